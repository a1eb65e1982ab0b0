export * from './vn-time.util';
