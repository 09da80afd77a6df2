// Test helpers of @vigia/stix (import as @vigia/stix/testing from specs only; never from code that runs in an app).
export {
  OasisSchemaValidator,
  describeWithOasisSchemas,
  findStixSchemaDirectory,
  resolveStixSchemaDirectory,
  STIX_SCHEMA_DIR_ENV,
} from './oasis-schema-validator';
export { VALID_OBJECTS } from './stix-corpus';
