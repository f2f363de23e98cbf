import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import { inbox } from '#lib/notifier';
import { templateIds } from '#lib/notifier-platforms';

export const handler = featureHandler(api.notifications, {
  mine: async ({ principal }) => ({ items: await inbox(principal.userId) }),
  templates: async () => templateIds(),
});
