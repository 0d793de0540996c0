// The caveats of a claim (a relationship), shown wherever one is: in the card, on each
// hop of a path, in the relationship panel and in a brief; and the filter that hides
// claims by them. Pure functions, tested by caveats.test.js.
import { effectiveDates } from './dates.js';

/**
 * caveats lists what a reader should know before relying on a relationship r, each
 * as {kind, text}: 'attributed' (a claim someone makes), 'confidence' (below 1),
 * 'note' (the curator's note, e.g. why the claim is inferred) and 'undated' (nothing
 * dates the fact: "undated: first reported 2025-06-11" when its evidence is dated).
 */
export function caveats(r) {
  const out = [];
  if (r.attributedTo) out.push({ kind: 'attributed', text: `according to ${r.attributedTo.name}` });
  if (typeof r.confidence === 'number' && r.confidence < 1) out.push({ kind: 'confidence', text: `confidence ${r.confidence.toFixed(2)}` });
  if (r.note) out.push({ kind: 'note', text: `${/^inferred\b/i.test(r.note) ? '' : 'note: '}${r.note}` });
  const d = effectiveDates(r);
  if (d.undated) out.push({ kind: 'undated', text: d.text });
  return out;
}

/** NO_FILTER hides nothing. */
export const NO_FILTER = { minConfidence: 0, hideAttributed: false };

/** filterActive says whether a caveat filter hides anything at all. */
export function filterActive(f) {
  return Boolean(f && (f.minConfidence > 0 || f.hideAttributed));
}

/** passes says whether a relationship stays in view under the caveat filter f. */
export function passes(r, f) {
  if (!f) return true;
  if (f.minConfidence > 0 && (typeof r.confidence === 'number' ? r.confidence : 1) < f.minConfidence) return false;
  if (f.hideAttributed && r.attributedTo) return false;
  return true;
}

/** pathPasses says whether every hop of a path stays in view under f. */
export function pathPasses(p, f) {
  return p.hops.every((h) => passes(h.relationship, f));
}

/** parseConfidence reads the URL's minimum confidence: a number in (0, 1], else 0. */
export function parseConfidence(s) {
  const x = Number(s);
  return Number.isFinite(x) && x > 0 && x <= 1 ? x : 0;
}
