import { ErrorCode, VigiaException } from '@vigia/common';
import { StixInputError } from '@vigia/stix';
import { failureOf } from './normalise-report.handler';

const attempt = (attemptsMade: number, attempts = 3) => ({ attemptsMade, opts: { attempts } });

describe('failureOf', () => {
  it('retries an unexpected error until the last attempt, then fails the report with its message', () => {
    const error = new Error('connection terminated unexpectedly');
    expect(failureOf(error, attempt(0))).toEqual({ permanent: false, final: false, reason: error.message });
    expect(failureOf(error, attempt(1))).toMatchObject({ final: false });
    expect(failureOf(error, attempt(2))).toEqual({ permanent: false, final: true, reason: error.message });
  });

  it('fails at once, without retries, when the report is missing or its data cannot become STIX', () => {
    expect(failureOf(new VigiaException(ErrorCode.NotFound, 'No report x'), attempt(0))).toEqual({
      permanent: true,
      final: true,
      reason: 'No report x',
    });
    expect(failureOf(new VigiaException(ErrorCode.ValidationFailed, 'bad'), attempt(0)).permanent).toBe(true);
    expect(failureOf(new StixInputError('not a MD5 hash: x'), attempt(0)).permanent).toBe(true);
    expect(failureOf(new VigiaException(ErrorCode.ServiceUnavailable, 'down'), attempt(0)).permanent).toBe(false);
  });

  it('keeps the reason short', () => {
    expect(failureOf(new Error('x'.repeat(5000)), attempt(2)).reason).toHaveLength(1000);
    expect(failureOf('plain string', attempt(0, 1))).toEqual({ permanent: false, final: true, reason: 'plain string' });
  });
});
