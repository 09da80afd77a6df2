/** Thrown when a builder is given a value that cannot become valid STIX (e.g. a malformed hash or CVE id). */
export class StixInputError extends Error {
  override readonly name = 'StixInputError';
}

/** Exhaustiveness check for switches; also guards against values that bypass the types at run time. */
export function assertNever(value: never): never {
  throw new StixInputError(`unsupported value: ${String(value)}`);
}
