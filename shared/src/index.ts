export * from './errors';
export * from './roles';
export * from './api/index';
export * from './time';
export * from './money';
