export * from './kafka.factory';
export * from './replaceable-producer';
export * from './outbox';
export * from './dead-letter';
export * from './event-consumer';
export * from './outbox-runner';
export * from './dossier-event-consumer';
export * from './nest';
