import { Logger, Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { WarninglistMatcher, loadWarninglists } from '@vigia/warninglists';

export const WARNINGLIST_MATCHER = Symbol('WARNINGLIST_MATCHER');

/** The warninglists, loaded once at boot; a bad list file stops the worker with the file and entry named. */
export const warninglistMatcherProvider: Provider = {
  provide: WARNINGLIST_MATCHER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): WarninglistMatcher => {
    const matcher = new WarninglistMatcher(loadWarninglists(config.warninglists));
    new Logger('Warninglists').log({ lists: matcher.lists.map((list) => list.name) }, 'warninglists loaded');
    return matcher;
  },
};
