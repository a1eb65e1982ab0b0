export * from './infra';
export * from './isolation';
export * from './kafka-api-versions';
export * from './lifecycle-fixtures';
export * from './lifecycle-service-harness';
export * from './raw-http';
export * from './foreign-group-member';
export * from './free-port';
