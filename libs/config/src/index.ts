export * from './env.config';
export * from './lifecycle-service.config';
