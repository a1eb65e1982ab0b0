export * from './health.controller';
export * from './lifecycle-events';
export * from './lifecycle-service.module';
export * from './lifecycle-service.options';
export * from './lifecycle.consumer';
export * from './outbox-relay.service';
