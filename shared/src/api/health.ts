import * as z from 'zod';
import { route } from './contract';

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  stage: z.string(),
  region: z.string(),
  time: z.string(),
  table: z.object({ name: z.string(), status: z.string(), latencyMs: z.number().optional() }),
});

export const healthRoutes = {
  health: route({
    method: 'GET',
    path: '/v1/health',
    access: 'public',
    response: HealthResponse,
    summary: 'API and table status',
  }),
};
