export * from './calendar.type';
export * from './calendar.exception';
export * from './civil-service-calendar.data';
export * from './legal.calendar';
