// A second opinion on where the article is, for the pages Readability gets wrong in
// Chinese: a short post inside a big forum page, a blog post between sidebars. The idea is
// GeneralNewsExtractor's (text density × punctuation density, 洪鸿辉 et al. 2019), made
// additive so the best block is a maximum-weight subtree: prose (text that carries
// sentence punctuation) counts for it, link text and unpunctuated labels count against it,
// so the winner is the smallest element holding most of the prose and little else.
import { type DElement, type DNode, isElement, isHidden, TEXT_NODE } from './extract-dom.js';
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
}

const PUNCT_CODES = new Set([...'，。；！？、,;!?：…'].map((c) => c.charCodeAt(0)));

function textValue(data: string, inLink: boolean): { score: number; prose: number; chars: number } {
  const n = visibleLength(data);
  if (n === 0) return { score: 0, prose: 0, chars: 0 };
  if (inLink) return { score: -LINK_WEIGHT * n, prose: 0, chars: n };
  let marks = 0;
  for (let i = 0; i < data.length; i++) if (PUNCT_CODES.has(data.charCodeAt(i))) marks++;
  const prose = Math.min(n, marks * CHARS_PER_MARK);
  return { score: prose - PLAIN_WEIGHT * (n - prose), prose, chars: n };
}

/** Comment lists, sidebars, share bars… by their class or id. */
export function isFurniture(el: DElement): boolean {
  const id = el.getAttribute('id') ?? '';
  const cls = el.getAttribute('class') ?? '';
  return (id !== '' || cls !== '') && FURNITURE.test(`${id} ${cls}`);
}

const better = (cur: DensityCandidate | null, score: number): boolean => !cur || score > cur.score;

/** The elements of `body` with the highest prose-minus-clutter scores (null if none is positive). */
export function densityCandidates(body: DElement): DensityResult {
  const stack: Acc[] = [{ el: body, furniture: false, loose: 0, blocks: 0, prose: 0, links: 0, chars: 0 }];
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
    const weight = acc.furniture ? 0.5 : 1;
    const tightScore = acc.loose - TAG_COST * acc.blocks;
    const cand = { element: acc.el, prose: acc.prose, linkChars: acc.links, chars: acc.chars };
    if (block && better(loose, acc.loose * weight)) loose = { ...cand, score: acc.loose * weight };
    if (block && better(tight, tightScore * weight)) tight = { ...cand, score: tightScore * weight };
    const parent = stack[stack.length - 1];
    if (!parent) return;
    // Furniture keeps its own score as a candidate but only subtracts from its parent.
    parent.loose += acc.furniture && !parent.furniture ? -Math.abs(acc.loose) * 0.5 - PLAIN_WEIGHT * acc.chars * 0.5 : acc.loose;
    parent.blocks += acc.blocks;
    parent.prose += acc.prose;
    parent.links += acc.links;
    parent.chars += acc.chars;
  };
  let node: DNode | null = body.firstChild;
  while (node && node !== body) {
    let enter = false;
    if (isElement(node)) {
      const tag = node.localName;
      elements++;
      if (!SKIP_TAGS.has(tag) && !isHidden(node)) {
        stack.push({ el: node, furniture: stack[stack.length - 1]!.furniture || isFurniture(node), loose: 0, blocks: 0, prose: 0, links: 0, chars: 0 });
        if (tag === 'a') linkDepth++;
        enter = true;
      }
    } else if (node.nodeType === TEXT_NODE) {
      const v = textValue(node.textContent ?? '', linkDepth > 0);
      const top = stack[stack.length - 1]!;
      top.loose += v.score;
      top.prose += v.prose;
      top.chars += v.chars;
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
