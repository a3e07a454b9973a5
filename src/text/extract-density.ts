// A second opinion on where the article is, for the pages Readability gets wrong in
// Chinese: a short post inside a big forum page, a blog post between sidebars. The idea is
// GeneralNewsExtractor's (text density × punctuation density, 洪鸿辉 et al. 2019), made
// additive so the best block is a maximum-weight subtree: prose (text that carries
// sentence punctuation) counts for it, link text and unpunctuated labels count against it,
// so the winner is the smallest element holding most of the prose and little else.
import { classOf, type DElement, type DNode, isElement, isHidden, TEXT_NODE } from './extract-dom.js';
import { SKIP_TAGS, visibleLength } from './extract-lines.js';

/** Characters of prose that one punctuation mark vouches for. */
const CHARS_PER_MARK = 24;
const LINK_WEIGHT = 1.2;
const PLAIN_WEIGHT = 0.4;
/** What one block element costs in the tight reading, in characters of prose. */
const TAG_COST = 8;
const INLINE = new Set('a abbr b bdi bdo cite code em font i kbd label mark q s samp small span strike strong sub sup tt u var wbr img br'.split(' '));
// Class and id words of page furniture; their prose (comments, teasers) should not pull
// a candidate outward.
const FURNITURE = /comment|reply|replies|sidebar|side_|footer|\bfoot|\bnav|menu|related|recommend|share|banner|advert|\bads?\b|copyright|breadcrumb|toolbar|login|\btags?\b/i;

export interface DensityCandidate {
  readonly element: DElement;
  readonly score: number;
  /** Prose characters inside the element. */
  readonly prose: number;
  readonly linkChars: number;
  readonly chars: number;
}

/**
 * Two readings of the same page. `loose` ignores markup, so it unites an article split
 * into sections by adverts; `tight` charges every block element, so it drops a stack of
 * short replies under a forum post. When both pick the same element the answer is clear.
 */
export interface DensityResult {
  readonly loose: DensityCandidate | null;
  readonly tight: DensityCandidate | null;
  /** Elements visited: the page's size in DOM terms. */
  readonly elements: number;
}

interface Acc {
  readonly el: DElement;
  /** Inside (or being) furniture: a weak candidate. */
  readonly furniture: boolean;
  loose: number;
  blocks: number;
  prose: number;
  links: number;
  chars: number;
  /** Text outside links that carried no sentence punctuation (labels, captions), not yet credited. */
  plain: number;
  imgs: number;
  /** STAMP and ACTION bits seen in short text inside. */
  flags: number;
  /** The current run of same-shaped block children: its shape, length, and how many are stamped entries. */
  runSig: string;
  run: number;
  runEntries: number;
  /** A run of entries (comments, replies, a stream of posts) was found among the children. */
  list: boolean;
}

const STAMP_FLAG = 1;
const ACTION_FLAG = 2;
// A time as comments and replies are stamped: a date, a clock time, or "5 分钟前".
const STAMP_TEXT = /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d{2}|\d+\s*(?:秒|分钟|分鐘|小时|小時|天)前|昨天|刚刚|剛剛/;
// The buttons under each comment or reply.
const ACTION_TEXT = /^[[【(（]?\s*(?:回复|回覆|回應|回应|引用|举报|舉報|点赞|點讚|赞|讚|顶|踩|支持|反对|反對|reply|quote|like|report)\s*(?:[(（]?\s*\d*\s*[)）]?)?\s*[\]】)）]?$/i;
/** Same-shaped siblings in a row that make an entry list. */
const MIN_ENTRIES = 3;
/** Characters of caption that one image vouches for. */
const CHARS_PER_IMAGE = 40;
const newAcc = (el: DElement, furniture: boolean): Acc => ({
  el,
  furniture,
  loose: 0,
  blocks: 0,
  prose: 0,
  links: 0,
  chars: 0,
  plain: 0,
  imgs: 0,
  flags: 0,
  runSig: '',
  run: 0,
  runEntries: 0,
  list: false,
});

/** Ends the current run of same-shaped children; a run of stamped entries with buttons marks a list. */
function endRun(acc: Acc): void {
  if (acc.run >= MIN_ENTRIES && acc.runEntries >= acc.run * 0.6) acc.list = true;
  acc.run = 0;
  acc.runEntries = 0;
}

const PUNCT_CODES = new Set([...'，。；！？、,;!?：…'].map((c) => c.charCodeAt(0)));

function textValue(data: string, inLink: boolean): { score: number; prose: number; chars: number; flags: number } {
  const n = visibleLength(data);
  if (n === 0) return { score: 0, prose: 0, chars: 0, flags: 0 };
  const flags = n <= 24 ? (STAMP_TEXT.test(data) ? STAMP_FLAG : 0) | (ACTION_TEXT.test(data.trim()) ? ACTION_FLAG : 0) : 0;
  if (inLink) return { score: -LINK_WEIGHT * n, prose: 0, chars: n, flags };
  let marks = 0;
  for (let i = 0; i < data.length; i++) if (PUNCT_CODES.has(data.charCodeAt(i))) marks++;
  const prose = Math.min(n, marks * CHARS_PER_MARK);
  return { score: prose - PLAIN_WEIGHT * (n - prose), prose, chars: n, flags };
}

/** Comment lists, sidebars, share bars… by their class or id. */
export function isFurniture(el: DElement): boolean {
  const id = el.getAttribute('id') ?? '';
  const cls = classOf(el);
  return (id !== '' || cls !== '') && FURNITURE.test(`${id} ${cls}`);
}

const better = (cur: DensityCandidate | null, score: number): boolean => !cur || score > cur.score;

/** The elements of `body` with the highest prose-minus-clutter scores (null if none is positive). */
export function densityCandidates(body: DElement): DensityResult {
  const stack: Acc[] = [newAcc(body, false)];
  let loose: DensityCandidate | null = null;
  let tight: DensityCandidate | null = null;
  let linkDepth = 0;
  let elements = 0;
  const close = (): void => {
    const acc = stack.pop()!;
    const tag = acc.el.localName;
    if (tag === 'a') linkDepth--;
    const block = !INLINE.has(tag);
    if (block) acc.blocks++;
    // Caption lines between pictures carry no punctuation but are the post's text: each
    // picture vouches for a caption's worth of it.
    // The smallest block holding two pictures uses them up, so page-wide containers (whose
    // plain text is mostly menus) get no credit from pictures far apart.
    if (block && acc.imgs >= 2) {
      if (acc.plain > 0 && acc.links < acc.chars * 0.3) {
        const credit = Math.min(acc.plain, acc.imgs * CHARS_PER_IMAGE);
        acc.loose += (1 + PLAIN_WEIGHT) * credit;
        acc.prose += credit;
      }
      acc.imgs = 0;
      acc.plain = 0;
    }
    endRun(acc);
    const furniture = acc.furniture || acc.list;
    const weight = furniture ? 0.5 : 1;
    const tightScore = acc.loose - TAG_COST * acc.blocks;
    const cand = { element: acc.el, prose: acc.prose, linkChars: acc.links, chars: acc.chars };
    if (block && better(loose, acc.loose * weight)) loose = { ...cand, score: acc.loose * weight };
    if (block && better(tight, tightScore * weight)) tight = { ...cand, score: tightScore * weight };
    const parent = stack[stack.length - 1];
    if (!parent) return;
    // Furniture and entry lists (comments, replies) keep their own score as candidates but
    // only subtract from their parent.
    parent.loose += furniture && !parent.furniture ? -Math.abs(acc.loose) * 0.5 - PLAIN_WEIGHT * acc.chars * 0.5 : acc.loose;
    parent.blocks += acc.blocks;
    parent.prose += acc.prose;
    parent.links += acc.links;
    parent.chars += acc.chars;
    parent.plain += acc.plain;
    parent.imgs += acc.imgs;
    if (block) {
      const sig = `${tag}.${classOf(acc.el)}`;
      if (sig !== parent.runSig) {
        endRun(parent);
        parent.runSig = sig;
      }
      parent.run++;
      if ((acc.flags & (STAMP_FLAG | ACTION_FLAG)) === (STAMP_FLAG | ACTION_FLAG)) parent.runEntries++;
    }
    // What a list's entries carry is the list's, not its parent's.
    if (!acc.list) parent.flags |= acc.flags;
  };
  let node: DNode | null = body.firstChild;
  while (node && node !== body) {
    let enter = false;
    if (isElement(node)) {
      const tag = node.localName;
      elements++;
      if (tag === 'img') stack[stack.length - 1]!.imgs++;
      else if (tag === 'button') stack[stack.length - 1]!.flags |= ACTION_FLAG;
      if (!SKIP_TAGS.has(tag) && !isHidden(node)) {
        stack.push(newAcc(node, stack[stack.length - 1]!.furniture || isFurniture(node)));
        if (tag === 'a') linkDepth++;
        enter = true;
      }
    } else if (node.nodeType === TEXT_NODE) {
      const v = textValue(node.textContent ?? '', linkDepth > 0);
      const top = stack[stack.length - 1]!;
      top.loose += v.score;
      top.prose += v.prose;
      top.chars += v.chars;
      top.flags |= v.flags;
      if (linkDepth === 0) top.plain += v.chars - v.prose;
      if (linkDepth > 0) top.links += v.chars;
    }
    if (enter && node.firstChild) {
      node = node.firstChild;
      continue;
    }
    if (enter) close();
    while (node && node !== body && !node.nextSibling) {
      node = node.parentNode;
      if (node && node !== body) close();
    }
    if (!node || node === body) break;
    node = node.nextSibling;
  }
  while (stack.length > 0) close();
  const l = loose as DensityCandidate | null;
  const t = tight as DensityCandidate | null;
  return { loose: l && l.score > 0 ? l : null, tight: t && t.score > 0 ? t : null, elements };
}
