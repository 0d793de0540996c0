// Date filtering on the client, with the API's semantics (see DateRange in the
// schema): a partial date covers its whole period; a relationship without validity
// dates is always valid; one is kept when it is valid at some time in the range.

const PARTIAL = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;

/** isPartialDate tells whether s reads 2025, 2025-05 or 2025-05-12. */
export function isPartialDate(s) {
  return PARTIAL.test(s);
}

/** firstDay is the first day a partial date covers, as YYYY-MM-DD. */
export function firstDay(s) {
  const [, y, m = '01', d = '01'] = s.match(PARTIAL);
  return `${y}-${m}-${d}`;
}

/** lastDay is the last day a partial date covers, as YYYY-MM-DD. */
export function lastDay(s) {
  const [, y, m, d] = s.match(PARTIAL);
  if (d) return `${y}-${m}-${d}`;
  if (!m) return `${y}-12-31`;
  const days = new Date(Date.UTC(+y, +m, 0)).getUTCDate();
  return `${y}-${m}-${String(days).padStart(2, '0')}`;
}

/**
 * inRange tells whether a relationship valid from validFrom to validTo (each
 * {first,last} or null) is valid at some time in [from, to] (partial dates or '').
 */
export function inRange(validFrom, validTo, from, to) {
  if (to && validFrom && validFrom.first > lastDay(to)) return false;
  if (from && validTo && validTo.last < firstDay(from)) return false;
  return true;
}

/** rangeVariable is the API's DateRange for a filter, or null when there is none. */
export function rangeVariable(from, to) {
  if (!from && !to) return null;
  const r = {};
  if (from) r.from = from;
  if (to) r.to = to;
  return r;
}
