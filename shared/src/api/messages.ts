/**
 * Care-team messaging (家庭医生留言): one thread per contract between the resident's account and
 * the team, text and images (the image bytes are stored outside the table), unread counts on
 * both sides. New messages are pushed over the WebSocket (`care.message`); clients poll too.
 */
import * as z from 'zod';
import { route } from './contract';

const id = (what: string) => z.string().trim().regex(/^[\w-]{1,80}$/, `${what}无效`);

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** Base64 of at most ~1.5 MB of image: phones compress before upload. */
export const MAX_IMAGE_BASE64_CHARS = 2_000_000;

export const ImageUpload = z.object({
  contentType: z.enum(IMAGE_TYPES, { message: '仅支持 JPG、PNG、WebP 图片' }),
  dataBase64: z
    .string()
    .min(16, '图片内容为空')
    .max(MAX_IMAGE_BASE64_CHARS, '图片过大，请压缩后重试')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, '图片内容须为 Base64'),
});
export const ImageRef = z.object({ id: z.string(), url: z.string(), expiresAt: z.string() });
export type ImageRef = z.infer<typeof ImageRef>;

export const ImageQuery = z.object({ exp: z.string().regex(/^\d{1,12}$/), sig: z.string().regex(/^[\w-]{16,128}$/) });

export const PostMessageRequest = z
  .object({
    text: z.string().trim().max(500, '留言不能超过500字').optional(),
    imageId: id('图片').optional(),
  })
  .refine((m) => !!m.text || !!m.imageId, { message: '请输入留言或选择图片', path: ['text'] });

export const MessageView = z.object({
  id: z.string(),
  contractId: z.string(),
  from: z.enum(['resident', 'team']),
  senderName: z.string(),
  text: z.string().optional(),
  /** A signed, short-lived link (path under the API base). */
  imageUrl: z.string().optional(),
  createdAt: z.string(),
});
export type MessageView = z.infer<typeof MessageView>;

export const ThreadView = z.object({
  contractId: z.string(),
  patient: z.object({ id: z.string(), name: z.string() }),
  team: z.object({ id: z.string(), name: z.string() }),
  last: z.object({ from: z.enum(['resident', 'team']), preview: z.string(), at: z.string() }).optional(),
  /** Messages from the other side not read yet. */
  unread: z.number().int(),
});
export type ThreadView = z.infer<typeof ThreadView>;

export const ThreadPage = z.object({ thread: ThreadView, items: z.array(MessageView), more: z.boolean() });
/** `before`: `<createdAt>#<id>` of the oldest message shown, for the page before it. */
export const ThreadQuery = z.object({ before: z.string().max(160).optional() });

/** What the live channel carries: ids only, the client reads the thread through the API. */
export const CARE_MESSAGE_EVENT = 'care.message';

const PATIENT = ['patient'] as const;
const TEAM = ['doctor', 'nurse'] as const;

export const messagesRoutes = {
  uploadImage: route({
    method: 'POST',
    path: '/v1/care/images',
    access: ['patient', 'doctor', 'nurse'],
    body: ImageUpload,
    // Images are larger than the shared stack's JSON limit: the service parses the body itself.
    rawBody: true,
    response: ImageRef,
    status: 201,
    rateLimit: {
      rules: [
        { per: 'account', max: 20, windowSeconds: 60 },
        { per: 'account', max: 200, windowSeconds: 86400 },
      ],
      message: '上传过于频繁，请稍后再试',
    },
    summary: 'Upload an image for a message or a dose photo (stored outside the table)',
  }),
  image: route({ method: 'GET', path: '/v1/care/images/{imageId}', access: 'signature', query: ImageQuery, response: z.unknown(), summary: 'An image, by a signed short-lived link' }),

  myThreads: route({ method: 'GET', path: '/v1/me/care/threads', access: PATIENT, response: z.object({ items: z.array(ThreadView), unread: z.number().int() }), summary: 'My threads with family-doctor teams and the unread total' }),
  thread: route({ method: 'GET', path: '/v1/contracts/{contractId}/messages', access: PATIENT, query: ThreadQuery, response: ThreadPage, summary: 'Messages of my contract, newest first' }),
  post: route({ method: 'POST', path: '/v1/contracts/{contractId}/messages', access: PATIENT, body: PostMessageRequest, response: MessageView, status: 201, idempotency: 'required', summary: 'Message my team (active contracts)' }),
  read: route({ method: 'POST', path: '/v1/contracts/{contractId}/messages/read', access: PATIENT, response: ThreadView, summary: 'Mark the team’s messages read' }),

  staffThreads: route({ method: 'GET', path: '/v1/staff/care/threads', access: TEAM, response: z.object({ items: z.array(ThreadView), unread: z.number().int() }), summary: "My teams' threads, latest first" }),
  staffThread: route({ method: 'GET', path: '/v1/staff/contracts/{contractId}/messages', access: TEAM, query: ThreadQuery, response: ThreadPage, summary: "A resident's thread" }),
  staffPost: route({ method: 'POST', path: '/v1/staff/contracts/{contractId}/messages', access: TEAM, body: PostMessageRequest, response: MessageView, status: 201, idempotency: 'required', summary: 'Answer a resident' }),
  staffRead: route({ method: 'POST', path: '/v1/staff/contracts/{contractId}/messages/read', access: TEAM, response: ThreadView, summary: 'Mark the resident’s messages read (for the team)' }),
};
