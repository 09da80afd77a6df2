import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { StixObjects1764000000000 } from './1764000000000-stix-objects';

/** Every migration in order; the data source runs exactly these. */
export const MIGRATIONS = [InitialSchema1763900000000, StixObjects1764000000000];
