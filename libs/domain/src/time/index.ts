export * from './vn-time.util';
export * from './clock';
