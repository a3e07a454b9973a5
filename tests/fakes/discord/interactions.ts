// Interactions end to end: the drivers that dispatch them, and the callback and webhook
// routes the bot answers through, with Discord's deadline and one-acknowledgement rules.
import type { FakeGateway } from './gateway.js';
import { until } from './gateway.js';
import type { RouteContext, RouteDef } from './http.js';
import {
  autocompletePayload, clickPayload, InteractionType, isEphemeral, slashPayload,
  type AutocompleteOpts, type ClickOpts, type Context, type SlashOpts,
} from './interaction-payloads.js';
import { isObject, type JsonObject, type Reply, type StoredMessage } from './types.js';
import { apiError, checkChoices, checkMessage, formError } from './validate.js';

export interface InteractionResponse {
  kind: 'callback' | 'edit' | 'followup' | 'followup-edit' | 'delete';
  /** For callbacks: 4 reply, 5 defer, 6 deferUpdate, 7 update, 8 choices, 9 modal. */
  type?: number;
  /** The request body as the bot sent it. */
  body: JsonObject;
  /** The message made or changed, as the API returned it. */
  message?: JsonObject;
  at: number;
}

export interface InteractionError {
  method: string;
  path: string;
  status: number;
  code: number;
  at: number;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE `d` as dispatched. */
  readonly payload: JsonObject;
  /** Accepted callbacks, `@original` edits and follow-ups, in order. */
  responses(): InteractionResponse[];
  /** Calls the fake refused (late 10062, double 40060, invalid bodies). */
  errors(): InteractionError[];
  waitForResponse(timeoutMs?: number): Promise<InteractionResponse>;
  waitForEdit(timeoutMs?: number): Promise<InteractionResponse>;
  waitForFollowUp(timeoutMs?: number): Promise<InteractionResponse>;
  waitForError(timeoutMs?: number): Promise<InteractionError>;
  /** Autocomplete: the choices the bot answered with. */
  choices(timeoutMs?: number): Promise<Array<{ name: string; value: string | number }>>;
}

interface Rec {
  payload: JsonObject;
  type: number;
  createdAt: number;
  acked: boolean;
  channelId: string;
  /** `@original`: the reply, or for a component acknowledged by update, the clicked message. */
  original?: StoredMessage;
  clicked?: StoredMessage;
  followUps: StoredMessage[];
  responses: InteractionResponse[];
  errors: InteractionError[];
}

/** Which callback types each interaction type accepts. */
const ALLOWED: Record<number, number[]> = {
  [InteractionType.Command]: [4, 5, 9],
  [InteractionType.Component]: [4, 5, 6, 7, 9],
  [InteractionType.Autocomplete]: [8],
};

const DEFAULT_WAIT_MS = 3000;

export class InteractionHub {
  private readonly byToken = new Map<string, Rec>();
  private readonly byId = new Map<string, Rec>();

  constructor(
    private readonly ctx: Context,
    private readonly gateway: FakeGateway,
    private readonly ackDeadlineMs: number,
  ) {}

  slash(o: SlashOpts): InteractionHandle {
    return this.send(slashPayload(this.ctx, o));
  }

  autocomplete(o: AutocompleteOpts): InteractionHandle {
    return this.send(autocompletePayload(this.ctx, o));
  }

  click(o: ClickOpts): InteractionHandle {
    const { payload, message } = clickPayload(this.ctx, o);
    const state = this.ctx.state;
    // Keep a made-up message so `update()` and `@original` edits have something to change.
    const clicked = state.findMessage(String(message.id)) ?? state.adopt(message);
    return this.send(payload, clicked);
  }

  routes(): RouteDef[] {
    const hook = '/webhooks/:app/:token';
    return [
      { method: 'POST', pattern: '/interactions/:id/:token/callback', auth: false, handler: (c) => this.callback(c) },
      { method: 'PATCH', pattern: `${hook}/messages/:message`, auth: false, handler: (c) => this.webhook(c, (r) => this.edit(r, c)) },
      { method: 'GET', pattern: `${hook}/messages/:message`, auth: false, handler: (c) => this.webhook(c, (r) => this.fetch(r, c)) },
      { method: 'DELETE', pattern: `${hook}/messages/:message`, auth: false, handler: (c) => this.webhook(c, (r) => this.remove(r, c)) },
      { method: 'POST', pattern: hook, auth: false, handler: (c) => this.webhook(c, (r) => this.followUp(r, c)) },
    ];
  }

  private send(payload: JsonObject, clicked?: StoredMessage): InteractionHandle {
    const rec: Rec = {
      payload, type: payload.type as number, createdAt: Date.now(), acked: false, channelId: String(payload.channel_id),
      followUps: [], responses: [], errors: [], ...(clicked ? { clicked } : {}),
    };
    if (this.gateway.dispatch('INTERACTION_CREATE', payload) === 0) {
      throw new Error('fake-discord: no gateway session to deliver the interaction to (is the bot logged in?)');
    }
    this.byToken.set(String(payload.token), rec);
    this.byId.set(String(payload.id), rec);
    return handle(rec);
  }

  private refuse(rec: Rec | undefined, c: RouteContext, reply: Reply): Reply {
    const code = isObject(reply.body) && typeof reply.body.code === 'number' ? reply.body.code : 0;
    rec?.errors.push({ method: c.method, path: c.path, status: reply.status, code, at: Date.now() });
    return reply;
  }

  private callback(c: RouteContext): Reply {
    const rec = this.byId.get(c.params.id ?? '');
    if (!rec || rec.payload.token !== c.params.token) return this.refuse(rec, c, apiError(404, 10062, 'Unknown interaction'));
    if (rec.acked) return this.refuse(rec, c, apiError(400, 40060, 'Interaction has already been acknowledged.'));
    if (Date.now() - rec.createdAt > this.ackDeadlineMs) return this.refuse(rec, c, apiError(404, 10062, 'Unknown interaction'));
    const body = isObject(c.body) ? c.body : {};
    const type = Number(body.type);
    const data = isObject(body.data) ? body.data : {};
    if (!(ALLOWED[rec.type] ?? []).includes(type)) {
      return this.refuse(rec, c, formError({ type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid for this interaction.' }] } }));
    }
    const invalid = type === 8 ? checkChoices(data) : type === 4 ? checkMessage(data) : type === 7 ? checkMessage(data, { partial: true }) : null;
    if (invalid) return this.refuse(rec, c, prefixData(invalid, type));
    rec.acked = true;
    const state = this.ctx.state;
    let message: JsonObject | undefined;
    if (type === 4 || type === 5) {
      // A deferral shows "thinking…" (flag 128) until the first @original edit.
      const shown = type === 4 ? data : { content: '', flags: ((data.flags as number | undefined) ?? 0) | 128 };
      rec.original = state.createMessage(rec.channelId, shown, { webhookId: state.applicationId, interaction: this.metadata(rec) });
      message = rec.original.message;
    } else if ((type === 6 || type === 7) && rec.clicked) {
      rec.original = rec.clicked;
      if (type === 7) message = state.editMessage(rec.clicked, data);
    }
    rec.responses.push({ kind: 'callback', type, body, ...(message ? { message } : {}), at: Date.now() });
    if (c.query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: { id: rec.payload.id, type: rec.type, response_message_id: message?.id, response_message_loading: type === 5, response_message_ephemeral: isEphemeral(data) },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  private metadata(rec: Rec): JsonObject {
    const member = rec.payload.member as JsonObject;
    return { id: rec.payload.id, type: rec.type, user: member.user, authorizing_integration_owners: rec.payload.authorizing_integration_owners };
  }

  /** Resolves the interaction behind a webhook call; follow-ups and edits need an acknowledgement first. */
  private webhook(c: RouteContext, fn: (rec: Rec) => Reply): Reply {
    const rec = this.byToken.get(c.params.token ?? '');
    if (!rec || c.params.app !== this.ctx.state.applicationId) return this.refuse(rec, c, apiError(404, 10015, 'Unknown Webhook'));
    if (!rec.acked) return this.refuse(rec, c, apiError(404, 10015, 'Unknown Webhook'));
    const reply = fn(rec);
    return reply.status >= 400 ? this.refuse(rec, c, reply) : reply;
  }

  private target(rec: Rec, c: RouteContext): StoredMessage | undefined {
    const id = c.params.message;
    const found = id === '@original' ? rec.original : rec.followUps.find((m) => m.id === id);
    return found && !found.deleted ? found : undefined;
  }

  private edit(rec: Rec, c: RouteContext): Reply {
    const body = isObject(c.body) ? c.body : {};
    const invalid = checkMessage(body, { partial: true });
    if (invalid) return invalid;
    const m = this.target(rec, c);
    if (!m) return apiError(404, 10008, 'Unknown Message');
    // The first edit of a deferral replaces the "thinking…" state.
    const flags = typeof m.message.flags === 'number' ? m.message.flags & ~128 : 0;
    m.message = { ...m.message, flags };
    const message = this.ctx.state.editMessage(m, body);
    rec.responses.push({ kind: c.params.message === '@original' ? 'edit' : 'followup-edit', body, message, at: Date.now() });
    return { status: 200, body: message };
  }

  private fetch(rec: Rec, c: RouteContext): Reply {
    const m = this.target(rec, c);
    return m ? { status: 200, body: m.message } : apiError(404, 10008, 'Unknown Message');
  }

  private remove(rec: Rec, c: RouteContext): Reply {
    const m = this.target(rec, c);
    if (!m) return apiError(404, 10008, 'Unknown Message');
    m.deleted = true;
    rec.responses.push({ kind: 'delete', body: { message: c.params.message }, at: Date.now() });
    return { status: 204 };
  }

  private followUp(rec: Rec, c: RouteContext): Reply {
    const body = isObject(c.body) ? c.body : {};
    const invalid = checkMessage(body, { files: c.files.length });
    if (invalid) return invalid;
    const m = this.ctx.state.createMessage(rec.channelId, body, { files: c.files, webhookId: this.ctx.state.applicationId, interaction: this.metadata(rec) });
    rec.followUps.push(m);
    rec.responses.push({ kind: 'followup', body, message: m.message, at: Date.now() });
    return c.query.get('wait') === 'false' ? { status: 204 } : { status: 200, body: m.message };
  }
}

/** Callback errors sit under `data`, as Discord reports them. */
function prefixData(reply: Reply, type: number): Reply {
  if (type === 8 || !isObject(reply.body) || !isObject(reply.body.errors)) return reply;
  return { ...reply, body: { ...reply.body, errors: { data: reply.body.errors } } };
}

function handle(rec: Rec): InteractionHandle {
  const first = async (kind: InteractionResponse['kind'], timeoutMs: number): Promise<InteractionResponse> => {
    await until(() => rec.responses.some((r) => r.kind === kind), timeoutMs, `an interaction ${kind}`);
    return rec.responses.find((r) => r.kind === kind) as InteractionResponse;
  };
  return {
    id: String(rec.payload.id),
    token: String(rec.payload.token),
    payload: rec.payload,
    responses: () => [...rec.responses],
    errors: () => [...rec.errors],
    waitForResponse: (t = DEFAULT_WAIT_MS) => first('callback', t),
    waitForEdit: (t = DEFAULT_WAIT_MS) => first('edit', t),
    waitForFollowUp: (t = DEFAULT_WAIT_MS) => first('followup', t),
    async waitForError(t = DEFAULT_WAIT_MS) {
      await until(() => rec.errors.length > 0, t, 'a refused interaction call');
      return rec.errors[0] as InteractionError;
    },
    async choices(t = DEFAULT_WAIT_MS) {
      const r = await first('callback', t);
      const data = isObject(r.body.data) ? r.body.data : {};
      return (Array.isArray(data.choices) ? data.choices : []) as Array<{ name: string; value: string | number }>;
    },
  };
}
