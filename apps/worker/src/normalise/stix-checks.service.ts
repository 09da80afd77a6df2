import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { StixValidator } from '@vigia/stix';
import { StixObjectRow } from '@vigia/database';

const SHOWN_ERRORS = 5;

/**
 * With STIX_VALIDATE on, every object is checked by libs/stix's validator before it is stored (built once; it
 * compiles each type's schema on first use). A failure is a defect no retry can fix, so the report fails.
 */
@Injectable()
export class StixChecks {
  private readonly validator?: StixValidator;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.stix.validate) this.validator = new StixValidator();
  }

  get enabled(): boolean {
    return this.validator !== undefined;
  }

  check(rows: readonly StixObjectRow[]): void {
    if (!this.validator) return;
    for (const row of rows) {
      const { valid, errors } = this.validator.validate(row.object);
      if (!valid) {
        throw new VigiaException(
          ErrorCode.ValidationFailed,
          `${row.stix_id} is not valid STIX 2.1: ${errors.slice(0, SHOWN_ERRORS).join('; ')}`,
        );
      }
    }
  }
}
