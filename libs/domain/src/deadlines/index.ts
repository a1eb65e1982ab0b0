export * from './deadline.type';
export * from './deadline.exception';
export * from './deadline.calculator';
export * from './timeliness.util';
export * from './pause-shift.util';
