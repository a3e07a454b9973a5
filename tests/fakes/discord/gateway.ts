// The gateway half of the fake: JSON frames over `ws` (no zlib, no ETF), HELLO, IDENTIFY →
// READY + GUILD_CREATE, heartbeat ACKs, RESUME, and drivers for op 7 / op 9 / dropped sockets.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { shardOf } from './ids.js';
import { isObject, type JsonObject } from './types.js';

export { shardOf } from './ids.js';

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** Where clients resume; points back at this fake. */
  url: () => string;
  user: () => JsonObject;
  applicationId: string;
  /** GUILD_CREATE payloads, built fresh for each IDENTIFY so seed changes show up. */
  guilds: () => JsonObject[];
  /** Fewer shards than this in IDENTIFY are refused with 4011, as Discord does past 2,500 guilds a shard. */
  requiredShards?: number;
}

export interface GatewayFrame {
  dir: 'in' | 'out';
  op: number;
  t: string | null;
  s: number | null;
  at: number;
}

export interface IdentifyInfo {
  intents: number;
  shard: unknown;
  at: number;
}

interface Session {
  id: string;
  seq: number;
  conn: Conn | null;
  intents: number;
  /** [shard id, shard count]; a session gets only the guilds its shard owns. */
  shard: [number, number];
}

/** Events whose `d` is the guild itself (its id in `id`); every other guild event names it in `guild_id`. */
const GUILD_OBJECT_EVENTS = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);

/** The guild a dispatch belongs to, which decides the shard that gets it. */
function guildOf(t: string, d: unknown): string | undefined {
  if (!isObject(d)) return undefined;
  if (typeof d.guild_id === 'string') return d.guild_id;
  return GUILD_OBJECT_EVENTS.has(t) && typeof d.id === 'string' ? d.id : undefined;
}

function parseShard(v: unknown): [number, number] | null {
  if (v === undefined || v === null) return [0, 1];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x))) return null;
  const [id, count] = v as [number, number];
  return count >= 1 && id >= 0 && id < count ? [id, count] : null;
}

interface Conn {
  ws: WebSocket;
  session: Session | null;
}

const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;
const bare = (token: unknown): string => (typeof token === 'string' ? token.replace(/^Bot\s+/i, '') : '');

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private readonly sessions = new Map<string, Session>();
  /** Every frame in and out, without payloads (IDENTIFY and RESUME carry the token). */
  readonly frames: GatewayFrame[] = [];
  readonly identifies: IdentifyInfo[] = [];
  resumes = 0;

  constructor(private readonly opts: GatewayOptions) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, new URL(req.url ?? '/', 'ws://127.0.0.1')));
  }

  /** Sessions that finished IDENTIFY or RESUME and still have a socket. */
  get liveSessions(): number {
    return [...this.sessions.values()].filter((s) => s.conn).length;
  }

  /** `[shard id, shard count]` of each live session, sorted. */
  get liveShards(): Array<[number, number]> {
    return [...this.sessions.values()].filter((s) => s.conn).map((s) => [...s.shard] as [number, number]).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  }

  /**
   * Sends a dispatch to every live session that should get it: the shard owning the guild
   * (`d.guild_id`, or `d.id` for GUILD_CREATE / UPDATE / DELETE; DMs: shard 0), and only
   * sessions that asked for `intent` when one is given (e.g. 1 << 9 GuildMessages for
   * MESSAGE_DELETE). Returns how many got it: 0 when no session runs the owning shard.
   */
  dispatch(t: string, d: unknown, intent?: number): number {
    let sent = 0;
    const guildId = guildOf(t, d);
    for (const session of this.sessions.values()) {
      if (!session.conn) continue;
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      const [shard, count] = session.shard;
      if ((guildId ? shardOf(guildId, count) : 0) !== shard) continue;
      this.send(session.conn, { op: Op.Dispatch, t, s: ++session.seq, d });
      sent++;
    }
    return sent;
  }

  /** Op 7 to every live session; resolves once each has come back with RESUME. */
  async reconnect(timeoutMs = 5000): Promise<void> {
    const before = this.resumes;
    const live = [...this.sessions.values()].filter((s) => s.conn);
    if (live.length === 0) throw new Error('fake-discord: no gateway session to reconnect');
    for (const s of live) if (s.conn) this.send(s.conn, { op: Op.Reconnect, d: null });
    await until(() => this.resumes >= before + live.length && this.liveSessions >= live.length, timeoutMs, 'RESUME after op 7');
  }

  /**
   * Op 9. Resumable: the client resumes on the same socket. Not resumable: the session is
   * gone and the client identifies again, which discord.js delays by about 5 s.
   */
  async invalidateSession(resumable = false, timeoutMs = 15_000): Promise<void> {
    const resumesBefore = this.resumes;
    const identifiesBefore = this.identifies.length;
    const live = [...this.sessions.values()].filter((s) => s.conn);
    if (live.length === 0) throw new Error('fake-discord: no gateway session to invalidate');
    for (const s of live) {
      if (s.conn) this.send(s.conn, { op: Op.InvalidSession, d: resumable });
      if (!resumable) {
        if (s.conn) s.conn.session = null;
        this.sessions.delete(s.id);
      }
    }
    if (resumable) await until(() => this.resumes >= resumesBefore + live.length, timeoutMs, 'RESUME after op 9');
    else await until(() => this.identifies.length >= identifiesBefore + live.length && this.liveSessions > 0, timeoutMs, 'IDENTIFY after op 9');
  }

  /** Closes every socket, or those of one shard id, with `code` (4000 lets the client resume). */
  disconnectAll(code = 4000, shard?: number): void {
    for (const c of this.conns) if (shard === undefined || c.session?.shard[0] === shard) c.ws.close(code, 'fake-discord disconnect');
  }

  waitForSession(timeoutMs = 5000): Promise<void> {
    return until(() => this.liveSessions > 0, timeoutMs, 'a gateway session (IDENTIFY or RESUME)');
  }

  close(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, url: URL): void {
    const conn: Conn = { ws, session: null };
    this.conns.add(conn);
    ws.on('close', () => {
      this.conns.delete(conn);
      if (conn.session?.conn === conn) conn.session.conn = null;
    });
    ws.on('error', () => ws.terminate());
    if (url.searchParams.has('compress') || (url.searchParams.get('encoding') ?? 'json') !== 'json') {
      // zlib-sync (or ETF) would garble every frame; say so instead of hanging.
      ws.close(4002, 'fake-discord speaks uncompressed JSON only');
      return;
    }
    ws.on('message', (raw) => this.receive(conn, raw.toString()));
    this.send(conn, { op: Op.Hello, d: { heartbeat_interval: this.opts.heartbeatIntervalMs } });
  }

  private send(conn: Conn, frame: { op: number; d: unknown; t?: string; s?: number }): void {
    const full = { op: frame.op, d: frame.d, s: frame.s ?? null, t: frame.t ?? null };
    this.frames.push({ dir: 'out', op: full.op, t: full.t, s: full.s, at: Date.now() });
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(full));
  }

  private receive(conn: Conn, text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      conn.ws.close(4002, 'Decode error');
      return;
    }
    if (!isObject(frame) || typeof frame.op !== 'number') {
      conn.ws.close(4002, 'Decode error');
      return;
    }
    this.frames.push({ dir: 'in', op: frame.op, t: null, s: null, at: Date.now() });
    const d = isObject(frame.d) ? frame.d : {};
    switch (frame.op) {
      case Op.Heartbeat:
        this.send(conn, { op: Op.HeartbeatAck, d: null });
        return;
      case Op.Identify:
        this.identify(conn, d);
        return;
      case Op.Resume:
        this.resume(conn, d);
        return;
      case 3: // presence update
      case 4: // voice state update
      case 8: // request guild members
        return;
      default:
        conn.ws.close(4001, 'Unknown opcode');
    }
  }

  private identify(conn: Conn, d: JsonObject): void {
    if (bare(d.token) !== this.opts.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    if (conn.session) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    const shard = parseShard(d.shard);
    if (!shard) {
      conn.ws.close(4010, 'Invalid shard');
      return;
    }
    if (shard[1] < (this.opts.requiredShards ?? 1)) {
      conn.ws.close(4011, 'Sharding required');
      return;
    }
    this.identifies.push({ intents: Number(d.intents), shard: d.shard, at: Date.now() });
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, conn, intents: Number(d.intents) || 0, shard };
    this.sessions.set(session.id, session);
    conn.session = session;
    const guilds = this.opts.guilds().filter((g) => shardOf(String(g.id), shard[1]) === shard[0]);
    this.send(conn, {
      op: Op.Dispatch, t: 'READY', s: ++session.seq,
      d: {
        v: 10, user: this.opts.user(), guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id, resume_gateway_url: this.opts.url(), shard,
        application: { id: this.opts.applicationId, flags: 0 }, private_channels: [], presences: [], relationships: [],
        guild_join_requests: [], geo_ordered_rtc_regions: [], user_settings: {}, _trace: ['fake-discord'],
      },
    });
    for (const g of guilds) this.send(conn, { op: Op.Dispatch, t: 'GUILD_CREATE', s: ++session.seq, d: g });
  }

  private resume(conn: Conn, d: JsonObject): void {
    if (bare(d.token) !== this.opts.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!session) {
      this.send(conn, { op: Op.InvalidSession, d: false });
      return;
    }
    // A session lives on one socket: an older one still attached is replaced, as on Discord.
    if (session.conn && session.conn !== conn) session.conn.ws.close(4000, 'Session resumed elsewhere');
    session.conn = conn;
    conn.session = session;
    this.resumes++;
    // Real Discord replays what the client missed; nothing is dispatched while a client is
    // away here, so there is nothing to replay.
    this.send(conn, { op: Op.Dispatch, t: 'RESUMED', s: ++session.seq, d: { _trace: ['fake-discord'] } });
  }
}
