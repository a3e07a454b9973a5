// Options and ports shared by the worker and digest sending.
import type { OutgoingMessage } from '../presentation/message.js';
import type { Logger } from '../shared/logger.js';
import type { DeliverersPort, GuildSettings, OutboxPort, PostingPort, SettingsPort, SubscriptionsPort } from '../store/ports.js';
import type { ClaimOptions } from './claims.js';
import type { Limiter } from './limiter.js';
import type { Publisher } from './publisher.js';

/** A story rendered for one server, with what its channel may need besides the message. */
export interface RenderedPost {
  readonly message: OutgoingMessage;
  /** A forum post's title or a thread's name: the headline in the server's script. */
  readonly threadName: string;
  /** The story's places (presentation/forum placeKeys), for a forum's tags. */
  readonly places: readonly (readonly string[])[];
  /** The story's revision this rendering shows (corrections edit older ones). */
  readonly revision: number;
}

export interface Renderer {
  /** Async: a guild's own summary length may ask the Summarizer port for a longer summary. */
  story(storyId: number, settings: GuildSettings, compact: boolean): Promise<RenderedPost | null>;
  digest(storyIds: readonly number[], settings: GuildSettings, kind: 'burst' | 'scheduled', since: number | null): Promise<OutgoingMessage[]>;
  /** The places of a digest's stories, most specific first (a digest posted in a forum is tagged by them). */
  digestPlaces?(storyIds: readonly number[]): Promise<readonly (readonly string[])[]>;
}

export interface WorkerOptions {
  readonly burstCap: number; // posts per channel per window before the rest become a digest
  readonly burstWindowMs: number;
  readonly burstDigestDelayMs: number; // how long a burst digest gathers stories before it goes
  readonly maxAttempts: number;
  readonly maxInFlight: number;
  readonly tickMs: number;
  /**
   * Claim mode (several deliverers share the outbox): rows are claimed with a lease for this
   * worker's share. null: the one-process path (due list and begin).
   */
  readonly claim: Partial<ClaimOptions> | null;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  burstCap: 10,
  burstWindowMs: 10 * 60_000,
  burstDigestDelayMs: 60_000,
  maxAttempts: 8,
  maxInFlight: 16,
  tickMs: 250,
  claim: null,
};

export const backoffMs = (attempts: number): number => Math.min(10 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));

/** The store ports the worker uses (store/ports.ts): a deliverer is wired with these alone. */
export interface WorkerDeps {
  readonly outbox: OutboxPort;
  readonly subscriptions: Pick<SubscriptionsPort, 'get' | 'channel' | 'pauseChannel'>;
  readonly settings: Pick<SettingsPort, 'settings'>;
  readonly publisher: Publisher;
  readonly limiter: Limiter;
  readonly renderer: Renderer;
  readonly now: () => number;
  readonly logger: Logger;
  readonly options?: Partial<WorkerOptions>;
  /** The database failed (disk full, read-only…): the worker stops and reports it here. */
  readonly onStorageFailure?: (err: unknown) => void;
  /** Corrections: posts to edit (issue #15). Without it posts are never edited. */
  readonly edits?: EditQueue;
  /** A story's text as routing matches words (a subscription may ping only for some words). */
  readonly matchText?: (storyId: number) => Promise<string>;
  /** Claim mode: the live deliverers (shares), and this worker's unique id among them. */
  readonly deliverers?: DeliverersPort;
  readonly delivererId?: string;
}

export type EditQueue = Pick<PostingPort, 'dueEdits' | 'beginEdit' | 'editDone' | 'editRetry' | 'editFinish' | 'skipChannelEdits'>;
