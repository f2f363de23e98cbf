import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as images from './images';
import * as messages from './service';

export const handler = featureHandler(api.messages, {
  uploadImage: ({ principal, rawBody }) => images.upload(principal, rawBody),
  image: ({ params, query }) => images.serve(params.imageId, query),
  myThreads: ({ principal }) => messages.myThreads(principal.userId),
  thread: ({ principal, params, query }) => messages.thread(principal.userId, params.contractId, query.before),
  post: ({ principal, params, body }) => messages.residentPost(principal, params.contractId, body),
  read: ({ principal, params }) => messages.residentRead(principal.userId, params.contractId),
  staffThreads: ({ principal }) => messages.staffThreads(principal),
  staffThread: ({ principal, params, query }) => messages.staffThread(principal, params.contractId, query.before),
  staffPost: ({ principal, params, body }) => messages.staffPost(principal, params.contractId, body),
  staffRead: ({ principal, params }) => messages.staffRead(principal, params.contractId),
});
