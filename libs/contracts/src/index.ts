export * from './lib/vocabulary';
export * from './lib/applicant-data.util';
export * from './lib/timestamp.util';
export {
  JSON_SCHEMA_DIALECT,
  SCHEMA_DEFINITIONS,
  TIMESTAMP_PATTERN,
  type JsonSchema,
  type JsonSchemaObject,
  type SchemaDefinitionName,
} from './lib/json-schema.util';
export * from './lib/field-classification.util';
export * from './lib/event-envelope.event';
export * from './lib/v1';
export * from './lib/event-schema.util';
export * from './lib/event-validation.exception';
export * from './lib/parse-event.util';
export * from './lib/create-event.util';
export * from './lib/public-projection.util';
export * from './lib/kafka-topics.util';
export * from './lib/artifacts/contract-artifacts.util';
export { toYaml } from './lib/artifacts/yaml.util';
