export * from './json.logger';
export * from './metrics';
export * from './observability.module';
export * from './http-metrics.interceptor';
