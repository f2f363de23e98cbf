/**
 * Messaging between a contracted resident and their family-doctor team. A thread belongs to a
 * contract: the resident account that signed it and the team's members reach it, nobody else
 * (404). Writing needs an active contract; the history stays readable. Each new message is
 * pushed live to the other side (`care.message` on their user topics); clients poll as fallback.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { CARE_MESSAGE_EVENT, type MessageView, type PostMessageRequest, type ThreadView } from '@hospital/shared';
import { conflict } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import type { Principal } from '#lib/tokens';
import { requireResidentContract, requireTeamContract, statusToday, teamIdsOf, getTeam, type ContractItem, type TeamItem } from '../care/access';
import { compact } from '../care/compact';
import { imageUrl, requireOwnImage } from './images';
import * as store from './store';

const PAGE = 30;

const emptyThread = (c: ContractItem): store.ThreadItem => ({
  contractId: c.contractId, teamId: c.teamId, teamName: c.teamName, userId: c.userId, patientId: c.patientId, patientName: c.patientName, unreadResident: 0, unreadTeam: 0,
});

const threadView = (t: store.ThreadItem, side: store.Side): ThreadView =>
  compact({
    contractId: t.contractId,
    patient: { id: t.patientId, name: t.patientName },
    team: { id: t.teamId, name: t.teamName },
    last: t.lastAt && t.lastFrom ? { from: t.lastFrom, preview: t.lastPreview ?? '', at: t.lastAt } : undefined,
    unread: side === 'resident' ? t.unreadResident : t.unreadTeam,
  });

async function messageView(m: store.MessageItem): Promise<MessageView> {
  return compact({
    id: m.messageId,
    contractId: m.contractId,
    from: m.from,
    senderName: m.senderName,
    text: m.text,
    imageUrl: m.imageId ? await imageUrl(m.imageId) : undefined,
    createdAt: m.createdAt,
  });
}

async function page(c: ContractItem, side: store.Side, before?: string) {
  const thread = (await store.getThread(c.contractId)) ?? emptyThread(c);
  const { items, more } = await store.messages(c.contractId, PAGE, before);
  return { thread: threadView(thread, side), items: await Promise.all(items.map(messageView)), more };
}

async function post(c: ContractItem, team: TeamItem | undefined, sender: { id: string; name: string; side: store.Side }, body: z.output<typeof PostMessageRequest>) {
  if (statusToday(c) !== 'active') throw conflict('CONTRACT_NOT_ACTIVE', '签约生效期间才能留言');
  if (body.imageId) await requireOwnImage(sender.id, body.imageId, 'body.imageId');
  const m: store.MessageItem = {
    messageId: `msg-${randomUUID()}`,
    contractId: c.contractId,
    from: sender.side,
    senderId: sender.id,
    senderName: sender.name,
    text: body.text || undefined,
    imageId: body.imageId,
    createdAt: new Date().toISOString(),
  };
  const preview = m.text ? [...m.text].slice(0, 40).join('') : '[图片]';
  await store.post(emptyThread(c), compact(m), preview);
  logger.info('care message', { contract: c.contractId, from: sender.side });
  const topics = [userTopic(c.userId), ...(team?.members ?? []).flatMap((x) => (x.userId ? [userTopic(x.userId)] : []))];
  await publish(topics, { type: CARE_MESSAGE_EVENT, data: { contractId: c.contractId, messageId: m.messageId, from: m.from } });
  return messageView(m);
}

// ── resident ──

export async function myThreads(userId: string) {
  const items = (await store.accountThreads(userId)).map((t) => threadView(t, 'resident'));
  return { items, unread: items.reduce((n, t) => n + t.unread, 0) };
}

export async function thread(userId: string, contractId: string, before?: string) {
  return page(await requireResidentContract(userId, contractId), 'resident', before);
}

export async function residentPost(principal: Principal, contractId: string, body: z.output<typeof PostMessageRequest>) {
  const c = await requireResidentContract(principal.userId, contractId);
  return post(c, await getTeam(c.teamId), { id: principal.userId, name: principal.name, side: 'resident' }, body);
}

export async function residentRead(userId: string, contractId: string) {
  const c = await requireResidentContract(userId, contractId);
  return threadView((await store.markRead(contractId, 'resident')) ?? emptyThread(c), 'resident');
}

// ── team ──

export async function staffThreads(principal: Principal) {
  const teams = await teamIdsOf(principal.userId);
  const items = (await Promise.all(teams.map(store.teamThreads))).flat().map((t) => threadView(t, 'team'));
  items.sort((a, b) => (b.last?.at ?? '').localeCompare(a.last?.at ?? ''));
  return { items, unread: items.reduce((n, t) => n + t.unread, 0) };
}

export async function staffThread(principal: Principal, contractId: string, before?: string) {
  const { contract } = await requireTeamContract(principal, contractId);
  return page(contract, 'team', before);
}

export async function staffPost(principal: Principal, contractId: string, body: z.output<typeof PostMessageRequest>) {
  const { contract, team } = await requireTeamContract(principal, contractId);
  return post(contract, team, { id: principal.userId, name: principal.name, side: 'team' }, body);
}

export async function staffRead(principal: Principal, contractId: string) {
  const { contract } = await requireTeamContract(principal, contractId);
  return threadView((await store.markRead(contractId, 'team')) ?? emptyThread(contract), 'team');
}
