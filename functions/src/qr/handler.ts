import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as qr from './service';

export const handler = featureHandler(api.qr, {
  resolve: ({ params }) => qr.resolve(params.code),
  list: ({ principal, query }) => qr.list(principal, query.orgId),
  create: ({ principal, body }) => qr.create(principal, body),
  image: ({ principal, params, query }) => qr.image(principal, params.code, query.size),
});
