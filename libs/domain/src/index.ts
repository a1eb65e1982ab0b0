export * from './errors';
export * from './time';
export * from './calendar';
export * from './deadlines';
export * from './lifecycle';
export * from './codes';
// export * from './indicators';
