import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ParsedBodyOf, ParsedQueryOf, RouteDef, Role } from '@hospital/shared';
import type * as z from 'zod';
import type { Principal } from '../tokens';
import type { Admission } from '../rate-limit';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** What the shared middlewares work out before a route's implementation runs. */
export interface HttpState {
  route: RouteDef;
  name: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
  principal: Principal | null;
  body: unknown;
  query: unknown;
  startedAt: number;
  /** A route whose limits are counted in its own write (`rateLimit.inWrite`, lib/http/rate-limits.ts). */
  admission?: Admission;
}

export type HttpContext = Context & { http: HttpState };

/** The request a route's implementation receives: parsed, validated, authorised. */
export interface Req<D extends RouteDef> {
  body: ParsedBodyOf<D>;
  query: ParsedQueryOf<D>;
  params: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
  principal: D['access'] extends readonly Role[] ? Principal : Principal | null;
  requestId: string;
  context: Context;
  /** Only on `rateLimit.inWrite` routes: the limits to put in the route's transaction. */
  admission?: Admission;
}

/** A reply other than the route's JSON schema: provider callbacks answer in their own format. */
export class RawReply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' },
    /** `body` is base64 of binary content (an image); the gateway decodes it. */
    readonly base64 = false,
  ) {}
}

export type Impl<D extends RouteDef> = (req: Req<D>) => Promise<z.input<D['response']> | RawReply>;
