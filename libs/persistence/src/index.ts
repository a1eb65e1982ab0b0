export * from './data-source.factory';
export * from './cli-failure';
