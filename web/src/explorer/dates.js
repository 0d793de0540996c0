// Dates in the explorer. The API filters by time (see DateRange and
// Relationship.dates in the schema): the explorer only checks what is typed, turns
// it into the API's arguments, and says in words what a window is and where a
// relationship's dates come from. Pure functions, tested by dates.test.js.

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

/** rangeVariable is the API's DateRange for a filter, or null when there is none. */
export function rangeVariable(from, to) {
  if (!from && !to) return null;
  const r = {};
  if (from) r.from = from;
  if (to) r.to = to;
  return r;
}

/** knownVariable is the API's knownAsOf for a filter, or null when there is none. */
export function knownVariable(known) {
  return known || null;
}

/** windowActive says whether a window (valid between since and until, as known on known) filters anything. */
export function windowActive(since, until, known) {
  return Boolean(since || until || known);
}

/** windowText says a time window in words, e.g. "valid between 2024 and 2024, as known on 2025-07-01"; '' when there is none. */
export function windowText(since, until, known) {
  const parts = [];
  if (since && until) parts.push(since === until ? `valid in ${since}` : `valid between ${since} and ${until}`);
  else if (since) parts.push(`valid from ${since} on`);
  else if (until) parts.push(`valid until ${until}`);
  if (known) parts.push(`as known on ${known}`);
  return parts.join(', ');
}

function span(from, to) {
  const f = from?.text;
  const t = to?.text;
  if (f && t) return f === t ? f : `${f} – ${t}`;
  if (f) return `from ${f}`;
  if (t) return `until ${t}`;
  return '';
}

/**
 * effectiveDates says when a relationship r holds, as every time window reads it
 * (r.dates, see RelationshipDates in the schema), and where that comes from:
 * {text, source, undated}. A relationship read without its dates falls back to
 * its stated validFrom/validTo.
 */
export function effectiveDates(r) {
  const d = r.dates;
  if (!d) {
    const text = span(r.validFrom, r.validTo);
    return text ? { text, source: 'STATED', undated: false } : { text: 'undated', source: 'UNKNOWN', undated: true };
  }
  const reported = d.knownFrom?.text;
  switch (d.source) {
    case 'STATED':
      return { text: span(d.from, d.to), source: d.source, undated: false };
    case 'ENDPOINT':
      return { text: `${span(d.from, d.to)} (an endpoint's dates)`, source: d.source, undated: false };
    case 'EVIDENCE':
      return { text: reported ? `undated: first reported ${reported}` : 'undated', source: d.source, undated: true };
    default:
      return { text: 'undated: no source dates it', source: 'UNKNOWN', undated: true };
  }
}

/** DATE_SOURCES says in words where a relationship's dates come from, by DateSource. */
export const DATE_SOURCES = {
  STATED: 'stated by the source (bounded by its endpoints\' dates)',
  ENDPOINT: "taken from an endpoint: a meeting's dates or a policy's milestones",
  EVIDENCE: 'nothing dates the fact: it counts from the publication of its earliest evidence',
  UNKNOWN: 'no date at all: it is left out of every time window',
};

/** instant writes an ISO 8601 time as "2025-06-11 09:30 UTC". */
export function instant(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso || '');
  return m ? `${m[1]} ${m[2]} UTC` : iso || '';
}

/**
 * publishedAfter says whether a document dated date (a partial date, or '' when
 * undated) was published after the last day of known, as knownAsOf reads it: a
 * document whose date is partial counts from its first day.
 */
export function publishedAfter(date, known) {
  if (!date || !known || !isPartialDate(date) || !isPartialDate(known)) return false;
  return firstDay(date) > lastDay(known);
}
