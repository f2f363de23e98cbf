import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import { tableHealth } from './service';

export const handler = featureHandler(api.health, {
  health: () => tableHealth(),
});
