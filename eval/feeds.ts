// Feeds as they are in the wild: the ingest's decode + parse over feedparser's test files
// (../shared/eval/feeds/feedparser-tests), beside bare rss-parser on the same bytes.
// Prints parsed / clean errors / crashes / hangs / expectation checks / wrong-character
// files and the time ratio; returns the targets missed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { FeedError } from '../src/feeds/errors.js';
import { parseFeed, type ParsedFeed } from '../src/feeds/parse.js';
import { bomOf, decodeAs, replacements, wideWithoutBom } from '../src/text/charset-decoders.js';
import { canonicalCharset, charsetFromContentType, declaredCharset, decodeBytes } from '../src/text/charset.js';
import { type Check, checkExpect, differenceReason, expectsWellFormed, readMeta } from './feeds-expect.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, '../shared/eval/feeds/feedparser-tests');
const HANG_MS = 10_000;
const TARGET_TIME_RATIO = 1.5;
const NOW = Date.UTC(2026, 11, 1);

/**
 * Expectations we fail on purpose, with the reason. feedparser makes choices this project
 * does not (plain-text titles here, U+FFFD where feedparser guesses windows-1252 for a
 * document that declares UTF-8); each entry is a file and why.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'encoding/bozo_linenoise.xml': 'declares UTF-8 and holds invalid bytes: kept as UTF-8 with U+FFFD (feedparser re-reads it as windows-1252)',
};

type Run = { kind: 'parsed'; feed: ParsedFeed | null; charset: string; text: string; ms: number } | { kind: 'error' | 'crash' | 'hang'; message: string; charset: string; text: string; ms: number };

const withTimeout = <T>(p: Promise<T>): Promise<T | 'hang'> => {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), HANG_MS)));
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
};

async function runOurs(bytes: Buffer, contentType: string | null): Promise<Run> {
  const t0 = performance.now();
  let charset = '?';
  let text = '';
  try {
    const decoded = decodeBytes(bytes, contentType);
    charset = decoded.charset;
    text = decoded.text;
    const feed = await withTimeout(parseFeed(decoded.text, { timeZone: 'UTC', now: NOW }));
    const ms = performance.now() - t0;
    if (feed === 'hang') return { kind: 'hang', message: 'no result', charset, text, ms };
    return { kind: 'parsed', feed, charset, text, ms };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof FeedError) return { kind: 'error', message: e.message, charset, text, ms };
    return { kind: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), charset, text, ms };
  }
}

/** rss-parser as its parseURL would use it: the HTTP charset if Node knows it, else UTF-8. */
async function runBare(bytes: Buffer, contentType: string | null): Promise<Run> {
  const t0 = performance.now();
  const label = charsetFromContentType(contentType)?.toLowerCase();
  const enc: BufferEncoding = label && Buffer.isEncoding(label) ? label : 'utf8';
  try {
    const feed = await withTimeout(new Parser().parseString(bytes.toString(enc)));
    const ms = performance.now() - t0;
    return feed === 'hang' ? { kind: 'hang', message: 'no result', charset: enc, text: '', ms } : { kind: 'parsed', feed: null, charset: enc, text: '', ms };
  } catch (e) {
    const ms = performance.now() - t0;
    // sax's and rss-parser's own errors name the problem; TypeErrors and the like are crashes.
    const crash = e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError;
    return { kind: crash ? 'crash' : 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), charset: enc, text: '', ms };
  }
}

/**
 * The text the document's own valid declaration gives (BOM, else the header's charset, else
 * the document's), or null when it declares nothing usable or its declaration does not fit
 * the bytes. Our decoding must produce exactly this text.
 */
function declaredReading(bytes: Buffer, contentType: string | null): string | null {
  const bom = bomOf(bytes);
  if (bom) return decodeAs(bytes.subarray(bom.length), bom.charset);
  const wide = wideWithoutBom(bytes);
  for (const label of [charsetFromContentType(contentType), declaredCharset(bytes)]) {
    let cs = label ? canonicalCharset(label) : null;
    if (!cs) continue;
    if (wide && cs.slice(0, 6) === wide.slice(0, 6)) cs = wide; // "utf-16" names no byte order
    const text = decodeAs(bytes, cs);
    if (text !== null && replacements(text, bytes, cs) === 0) return text;
  }
  return null;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (name.endsWith('.xml')) out.push(p);
  }
  return out;
}

interface Tally {
  parsed: number;
  error: number;
  crash: number;
  hang: number;
  ms: number;
}
const tally = (): Tally => ({ parsed: 0, error: 0, crash: 0, hang: 0, ms: 0 });

export async function evalFeeds(): Promise<string[]> {
  console.log('\n## feeds in the wild (feedparser test files)\n');
  if (!existsSync(CORPUS)) {
    console.log(`(corpus not found at ${CORPUS}: skipped)`);
    return [];
  }
  const paths = files(CORPUS);
  const corpus = paths.map((p) => ({ id: relative(CORPUS, p), bytes: readFileSync(p) }));
  // Warm both sides up so the time ratio compares steady states, not JIT and lazy loading.
  for (const f of corpus.slice(0, 200)) {
    const meta = readMeta(f.bytes);
    await runOurs(f.bytes, meta.contentType);
    await runBare(f.bytes, meta.contentType);
  }

  const ours = tally();
  const bare = tally();
  const checks = { pass: 0, fail: 0, known: 0, unmapped: 0 };
  const unmapped = new Map<string, number>();
  const known = new Map<string, number>();
  const failed: string[] = [];
  const crashes: string[] = [];
  const rejectedWellFormed: string[] = [];
  const wrongChars: string[] = [];
  let declaredFiles = 0;
  for (const f of corpus) {
    const meta = readMeta(f.bytes);
    const o = await runOurs(f.bytes, meta.contentType);
    const b = await runBare(f.bytes, meta.contentType);
    for (const [t, r] of [[ours, o], [bare, b]] as const) t[r.kind === 'parsed' ? 'parsed' : r.kind]++;
    if (o.kind === 'crash' || o.kind === 'hang') crashes.push(`${f.id}: ${o.kind} ${o.message.slice(0, 100)}`);
    if (expectsWellFormed(meta.expect) && o.kind !== 'parsed') rejectedWellFormed.push(`${f.id}: ${o.kind === 'error' ? o.message : o.kind}`);
    const reference = declaredReading(f.bytes, meta.contentType);
    if (reference !== null) {
      declaredFiles++;
      if (o.text !== reference) wrongChars.push(`${f.id}: read as ${o.charset}`);
    }
    if (!meta.expect) continue;
    const asciiOnly = !f.bytes.some((x) => x >= 0x80 || x === 0);
    const outcome = { feed: o.kind === 'parsed' ? o.feed : null, charset: o.charset, asciiOnly };
    const results: Check[] = checkExpect(meta.expect, outcome);
    for (const c of results) {
      if (c.kind === 'pass') checks.pass++;
      else if (c.kind === 'unmapped') {
        checks.unmapped++;
        unmapped.set(c.reason, (unmapped.get(c.reason) ?? 0) + 1);
      } else if (KNOWN_DIFFERENCES[f.id] ?? differenceReason(c, outcome, expectsWellFormed(meta.expect), f.bytes.toString('latin1'))) {
        checks.known++;
        const reason = KNOWN_DIFFERENCES[f.id] ?? differenceReason(c, outcome, expectsWellFormed(meta.expect), f.bytes.toString('latin1'))!;
        known.set(reason, (known.get(reason) ?? 0) + 1);
      } else {
        checks.fail++;
        failed.push(`${f.id}: ${c.detail}`);
      }
    }
  }

  // Timing apart from the checks, without the hang guard's timers: best of three per file
  // and side, so a busy shared machine's noise does not decide the ratio.
  for (const [i, f] of corpus.entries()) {
    const contentType = readMeta(f.bytes).contentType;
    const best = async (fn: () => Promise<unknown>): Promise<number> => {
      let min = Infinity;
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        await fn().catch(() => undefined);
        min = Math.min(min, performance.now() - t0);
      }
      return min;
    };
    const oursRun = () => best(async () => parseFeed(decodeBytes(f.bytes, contentType).text, { timeZone: 'UTC', now: NOW }));
    const label = charsetFromContentType(contentType)?.toLowerCase();
    const bareRun = () => best(async () => new Parser().parseString(f.bytes.toString(label && Buffer.isEncoding(label) ? label : 'utf8')));
    if (i % 2) {
      ours.ms += await oursRun();
      bare.ms += await bareRun();
    } else {
      bare.ms += await bareRun();
      ours.ms += await oursRun();
    }
  }

  const row = (name: string, a: string | number, b: string | number): string => `${name.padEnd(44)} ${String(a).padStart(10)} ${String(b).padStart(12)}`;
  console.log(`${corpus.length} files; ${declaredFiles} declare a charset that fits their bytes or carry a BOM\n`);
  console.log(row('', 'ingest', 'rss-parser'));
  console.log(row('parsed', ours.parsed, bare.parsed));
  console.log(row('clean errors (named problem)', ours.error, bare.error));
  console.log(row('crashes (TypeError etc.)', ours.crash, bare.crash));
  console.log(row('hangs', ours.hang, bare.hang));
  console.log(row('well-formed ("not bozo") files rejected', rejectedWellFormed.length, '—'));
  console.log(row('wrong-character files (declared/BOM)', wrongChars.length, '—'));
  console.log(row('expectation checks passed', `${checks.pass}/${checks.pass + checks.fail + checks.known}`, '—'));
  console.log(row('  failing, with a reason listed', checks.known, '—'));
  console.log(row('  not mapped onto our fields', checks.unmapped, '—'));
  const ratio = ours.ms / bare.ms;
  console.log(row('time, summed (ms)', ours.ms.toFixed(0), bare.ms.toFixed(0)));
  console.log(row('time ratio (decode+parse / bare parse)', ratio.toFixed(2), `target ≤${TARGET_TIME_RATIO}`));
  console.log('\nfailing by design, by reason:');
  for (const [reason, n] of [...known].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${reason}`);
  console.log('\nnot mapped, by reason:');
  for (const [reason, n] of [...unmapped].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${reason}`);
  for (const [title, list] of [['crashes and hangs', crashes], ['well-formed files rejected', rejectedWellFormed], ['wrong characters', wrongChars], ['failed checks', failed]] as const) {
    if (list.length === 0) continue;
    console.log(`\n${title} (${list.length}):`);
    for (const l of list.slice(0, Number(process.env.EVAL_LIST ?? 40))) console.log(`  ${l}`);
  }

  const failures: string[] = [];
  if (ours.crash + ours.hang > 0) failures.push(`feeds: ${ours.crash} crashes, ${ours.hang} hangs`);
  if (rejectedWellFormed.length > 0) failures.push(`feeds: ${rejectedWellFormed.length} well-formed files rejected`);
  if (wrongChars.length > 0) failures.push(`feeds: ${wrongChars.length} wrong-character files among declared/BOM`);
  if (checks.fail > 0) failures.push(`feeds: ${checks.fail} expectation checks failed without a listed reason`);
  if (ratio > TARGET_TIME_RATIO) failures.push(`feeds: decode+parse ${ratio.toFixed(2)}× bare rss-parser > ${TARGET_TIME_RATIO}×`);
  return failures;
}
