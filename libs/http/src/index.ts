export * from './problem';
export * from './validation';
export * from './auth';
export * from './idempotency';
export * from './audit';
export * from './app-setup';
export * from './openapi';
