import { authRoutes } from './auth';
import { healthRoutes } from './health';

/** Every route, grouped by the Lambda function (feature) that serves it. */
export const api = {
  health: healthRoutes,
  auth: authRoutes,
};
export type Api = typeof api;
export type Feature = keyof Api;

export * from './contract';
export * from './auth';
export * from './health';
