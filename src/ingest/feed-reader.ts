// Where a fetched feed document is decoded and parsed. Small documents are read on the main
// thread (a worker round trip costs more than they do); a large one goes to a worker thread,
// because decoding, cutting and parsing a multi-megabyte document are each one synchronous
// block that would hold the event loop (gateway heartbeats, interaction acknowledgements)
// for hundreds of milliseconds (issue #11). Piscina keeps the one worker: started on the
// first large document, restarted if it dies, stopped when idle, never keeping the process up.
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { FeedItem } from '../domain/types.js';
import { FeedError } from '../feeds/errors.js';
import type { ParsedFeed, ParseOptions } from '../feeds/parse.js';
import type { IngestBounds } from './bounds.js';
import { parseBounded, prepareText, unpackItems, type BatchMessage, type FeedSummary, type PreparedDocument, type ReadResult, type ReadTask } from './read-document.js';

/** What the reader needs of a fetch: the raw bytes, and the fetcher's own decoding for small ones. */
export interface FetchedDocument {
  readonly bytes: Uint8Array;
  readonly contentType: string | null;
  /** Decoded on first read by the fetcher: never read for a document sent to the worker. */
  readonly text: string;
  readonly decodeWarnings?: readonly string[];
}

export interface ReadDocument extends PreparedDocument {
  /** Read on the worker thread (its parse goes there too). */
  readonly offThread: boolean;
}

export interface FeedReader {
  /** Decodes the document, cuts it to `bounds.scanItems` items and scans their guids. */
  prepare(doc: FetchedDocument, bounds: IngestBounds): Promise<ReadDocument>;
  /** Parses a prepared document; items cut to the text bounds. Throws FeedError. */
  parse(doc: ReadDocument, opts: ParseOptions, bounds: IngestBounds): Promise<ParsedFeed>;
  /**
   * parse, handing the items over a part at a time: a document read on the worker is parsed
   * in parts of about `sliceBytes` (read-document.ts readBatches), and `onBatch` runs on each
   * part while the worker reads the next. The last part comes with the document's summary.
   * `onBatch` is awaited before the next part; when it throws, the reading stops. A part that
   * fails to parse throws its FeedError after the parts before it were handed over.
   */
  readBatches(doc: ReadDocument, opts: ParseOptions, bounds: IngestBounds, sliceBytes: number, onBatch: OnBatch): Promise<void>;
  /** Stops the worker, if one runs. */
  close(): Promise<void>;
}

export interface FeedReaderOptions {
  /** Longest a worker job may take before the worker is stopped and the poll fails (ms). */
  readonly timeoutMs?: number;
  /** A worker idle this long is stopped (ms); the next large document starts a new one. */
  readonly idleMs?: number;
  /** Heap the worker may use (MB): a hostile document fails its poll, not the process. */
  readonly maxHeapMb?: number;
}

/** One part of a document's items; `end` is the document's summary, given with its last part. */
export type OnBatch = (items: FeedItem[], end: FeedSummary | null) => Promise<void>;

const WORKER = new URL('./read-worker.mjs', import.meta.url).href;

/** Everything on the calling thread (the CLI's dry runs and tests may want this). */
export function inlineFeedReader(): FeedReader {
  return {
    prepare: async (doc, bounds) => ({ ...prepareText(doc.text, bounds.scanItems, doc.decodeWarnings ?? []), offThread: false }),
    parse: (doc, opts, bounds) => parseBounded(doc.xml, opts, bounds),
    async readBatches(doc, opts, bounds, _sliceBytes, onBatch) {
      const { items, ...summary } = await parseBounded(doc.xml, opts, bounds);
      await onBatch(items, summary);
    },
    close: async () => {},
  };
}

/** Documents over `bounds.offThreadBytes` are read on a worker thread, the rest inline. */
export function createFeedReader(options: FeedReaderOptions = {}): FeedReader {
  const inline = inlineFeedReader();
  const timeoutMs = options.timeoutMs ?? 60_000;
  let pool: Piscina<ReadTask, ReadResult<PreparedDocument | null>> | null = null;

  async function run<T>(task: ReadTask, signal?: AbortSignal): Promise<T> {
    pool ??= new Piscina({
      filename: WORKER,
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: options.idleMs ?? 300_000,
      // The worker yields the CPU to the main thread: on a busy machine, reading a feed
      // may wait; a heartbeat may not.
      niceIncrement: 5,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512 },
    });
    let result: ReadResult<PreparedDocument | null>;
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      const transferList = task.op === 'batches' ? [task.port] : undefined;
      result = await pool.run(task, { signal: signal ? AbortSignal.any([timeout, signal]) : timeout, transferList });
    } catch (err) {
      const e = err as { name?: string; code?: string };
      if (e?.name === 'AbortError' || e?.name === 'TimeoutError') throw new FeedError('timeout', `reading the document took longer than ${Math.round(timeoutMs / 1000)} s`);
      if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') throw new FeedError('too-large', 'the document needs more memory to read than a feed may use');
      throw err;
    }
    if ('error' in result) throw new FeedError(result.error.kind, result.error.message);
    return result.ok as T;
  }

  const reader: FeedReader = {
    async prepare(doc, bounds) {
      if (doc.bytes.byteLength <= bounds.offThreadBytes) return inline.prepare(doc, bounds);
      const prepared = await run<PreparedDocument>({ op: 'prepare', bytes: doc.bytes, contentType: doc.contentType, scanItems: bounds.scanItems });
      return { ...prepared, offThread: true };
    },
    async parse(doc, opts, bounds) {
      if (!doc.offThread) return inline.parse(doc, opts, bounds);
      // The whole document as one part: the worker's one way of reading.
      let parsed: ParsedFeed | null = null;
      await reader.readBatches(doc, opts, bounds, Infinity, async (items, end) => void (parsed = { ...end!, items }));
      return parsed!;
    },
    async readBatches(doc, opts, bounds, sliceBytes, onBatch) {
      if (!doc.offThread) return inline.readBatches(doc, opts, bounds, sliceBytes, onBatch);
      const { port1, port2 } = new MessageChannel();
      const messages = inbox<BatchMessage>();
      port1.on('message', messages.put);
      const stop = new AbortController();
      // The job ends once the last part is posted; its own failure (a crash, the time limit)
      // reaches the reading as an error in place of the next part.
      const job = run<null>({ op: 'batches', xml: doc.xml, opts, bounds, sliceBytes, port: port2 }, stop.signal);
      job.catch((err: unknown) => messages.fail(err));
      // Whether the job's last message came (the last part, or the error that ended it).
      let ended = false;
      try {
        for (;;) {
          const m = await messages.take();
          ended = 'error' in m || m.end !== null;
          if ('error' in m) throw new FeedError(m.error.kind, m.error.message);
          await onBatch(unpackItems(m.items), m.end);
          if (ended) break;
        }
      } finally {
        // Stopped early (a storing error): the job is ended, which stops its worker. Otherwise
        // the job is ending by itself: waited for, so the worker is kept for the next document.
        if (ended) await job.catch(() => {});
        else stop.abort();
        port1.close();
      }
    },
    async close() {
      const p = pool;
      pool = null;
      await p?.destroy();
    },
  };
  return reader;
}

/** Messages taken in arrival order, each awaited when none is waiting; a failure ends the taking. */
function inbox<T>() {
  const queue: T[] = [];
  let failure: { err: unknown } | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  return {
    put: (m: T) => void (queue.push(m), poke()),
    fail: (err: unknown) => void ((failure ??= { err }), poke()),
    async take(): Promise<T> {
      for (;;) {
        if (queue.length > 0) return queue.shift()!;
        if (failure) throw failure.err;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

let shared: FeedReader | null = null;

/** The process's reader, made on first use (polls that were given none use it). */
export function sharedFeedReader(): FeedReader {
  return (shared ??= createFeedReader());
}
