import type { TFunction } from 'i18next';
import type { components } from '../api/generated/portal';

type Filters = components['schemas']['SubscriptionFiltersDto'];

/** A subscription's filters as the list shows them in one line: types, classifications and minimum severity. */
export function summariseFilters(
  filters: Pick<Filters, 'indicator_types' | 'classifications' | 'min_severity'>,
  t: TFunction,
): string {
  const { indicator_types, classifications, min_severity } = filters;
  const parts = [
    ...(indicator_types ?? []),
    ...(classifications ?? []),
    ...(min_severity ? [t('subscriptions.severityAtLeast', { severity: t(`severity.${min_severity}`) })] : []),
  ];
  return parts.length ? parts.join(', ') : t('subscriptions.everything');
}
