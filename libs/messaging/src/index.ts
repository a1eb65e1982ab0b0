export * from './kafka.factory';
export * from './outbox';
export * from './dead-letter';
export * from './event-consumer';
