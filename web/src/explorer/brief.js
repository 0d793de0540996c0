// A cited brief of the explorer's view: the picture with a legend and the date window,
// the paths in plain words with their caveats, the relationships in view, and
// numbered citations to the documents and sentences that state each one. As one
// self-contained HTML page (the picture inlined as a data: URL, the style inline,
// no script, nothing fetched) or as Markdown. Pure: tested by brief.test.js.
import { caveats, filterActive } from './caveats.js';

/** escapeHTML makes text safe in HTML text and in quoted attribute values. */
export function escapeHTML(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** escapeMarkdown keeps text from being read as Markdown or HTML. */
export function escapeMarkdown(s) {
  return String(s ?? '')
    .replace(/[\\`*_{}[\]()#+!|<>~=-]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** dateWindow writes the date filter in words: valid time, then knowledge time. */
export function dateWindow(since, until, known = '') {
  const parts = [];
  if (since && until) parts.push(`valid between ${since} and ${until}`);
  else if (since) parts.push(`valid from ${since} on`);
  else if (until) parts.push(`valid until ${until}`);
  if (known) parts.push(`as known on ${known}`);
  return parts.join(', ') || 'all dates';
}

function claimWords(f) {
  if (!filterActive(f)) return 'all claims';
  const parts = [];
  if (f.minConfidence > 0) parts.push(`confidence ${f.minConfidence} or more`);
  if (f.hideAttributed) parts.push('attributed claims left out');
  return parts.join(', ');
}

/**
 * Citations numbers the evidence sentences in the order first cited; a sentence
 * cited by several relationships keeps one number and collects their quotes.
 */
export class Citations {
  constructor() {
    this.list = [];
    this.index = new Map();
  }

  /** cite returns the numbers of a relationship's evidence sentences. */
  cite(evidence) {
    return (evidence || []).map((ev) => {
      const key = `${ev.document.id}#${ev.sentence}`;
      let c = this.index.get(key);
      if (!c) {
        c = { n: this.list.length + 1, document: ev.document, sentence: ev.sentence, text: ev.sentenceText, quotes: [] };
        this.index.set(key, c);
        this.list.push(c);
      }
      if (ev.quote && !c.quotes.includes(ev.quote)) c.quotes.push(ev.quote);
      return c.n;
    });
  }
}

/** marked splits text into [{text, mark}] runs, marking each quote found verbatim in it (overlapping ones as one run). */
export function marked(text, quotes) {
  const ranges = [];
  for (const q of quotes) {
    const i = q ? text.indexOf(q) : -1;
    if (i >= 0) ranges.push([i, i + q.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  // Overlapping or touching quotes make one marked run.
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  const out = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) out.push({ text: text.slice(at, a), mark: false });
    out.push({ text: text.slice(a, b), mark: true });
    at = b;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}

/** claims turns a view into the brief's statements, each with caveats and citations. */
function statements({ paths, relationships, names }, cites) {
  const name = (e) => e.name || names?.get(e.id) || e.id;
  const say = (r) => ({
    text: `${name(r.from)} ${r.verb} ${name(r.to)}`,
    caveats: caveats(r).map((c) => c.text),
    cites: cites.cite(r.evidence),
  });
  const ps = (paths || []).map((p) => ({
    rank: p.rank,
    explanation: p.explanation,
    confidence: p.confidence,
    hops: p.hops.map((h) => say(h.relationship)),
  }));
  const onPath = new Set((paths || []).flatMap((p) => p.hops.map((h) => h.relationship.id)));
  const rels = (relationships || []).filter((r) => !onPath.has(r.id)).map(say);
  return { ps, rels };
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#111827;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem;border-bottom:1px solid #d1d5db}
.meta{color:#4b5563;margin:.2rem 0}figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #d1d5db}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.4rem 0;font-size:.9rem}
.legend span{display:inline-block;width:12px;height:12px;margin-right:.3rem;vertical-align:-1px;border-radius:3px}
.caveat{color:#92400e;font-size:.9rem}sup{font-size:.75rem}mark{background:#fde68a}
ol.sources li{margin:.4rem 0}.doc{color:#4b5563}`;

/** briefHTML writes the brief as one self-contained HTML page. */
export function briefHTML(input) {
  const cites = new Citations();
  const { ps, rels } = statements(input, cites);
  const sup = (ns) => (ns.length ? `<sup>${ns.map((n) => `<a href="#c${n}">[${n}]</a>`).join('')}</sup>` : '');
  const cav = (cs) => (cs.length ? ` <span class="caveat">(${cs.map(escapeHTML).join('; ')})</span>` : '');
  const h = [];
  h.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push(`<title>${escapeHTML(input.title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>');
  h.push(`<h1>${escapeHTML(input.title)}</h1>`);
  h.push(`<p class="meta">A brief from the tradegraph explorer, made ${escapeHTML(input.generated)}. Dates: <strong data-brief="dates">${escapeHTML(dateWindow(input.since, input.until, input.known))}</strong>. Claims: ${escapeHTML(claimWords(input.claims))}.</p>`);
  h.push(`<p class="meta">The view: <code>${escapeHTML(input.url)}</code></p>`);
  if (input.png) {
    h.push('<figure>', `<img src="${escapeHTML(input.png)}" alt="${escapeHTML(`Graph: ${input.title}`)}">`, '<figcaption>');
    h.push('<ul class="legend">');
    for (const k of Object.values(input.kinds || {})) h.push(`<li><span style="background:${escapeHTML(k.color)}"></span>${escapeHTML(k.label)}</li>`);
    h.push('<li><span style="background:#dc2626"></span>path</li>', '</ul>');
    h.push(`<span class="meta">${escapeHTML(dateWindow(input.since, input.until, input.known))}</span>`, '</figcaption>', '</figure>');
  }
  if (ps.length) {
    h.push('<h2>How they are linked</h2>', '<ol class="paths">');
    for (const p of ps) {
      h.push(`<li><strong>${escapeHTML(p.explanation)}</strong> <span class="meta">(confidence ${p.confidence.toFixed(2)})</span><ol>`);
      for (const s of p.hops) h.push(`<li>${escapeHTML(s.text)}${sup(s.cites)}${cav(s.caveats)}</li>`);
      h.push('</ol></li>');
    }
    h.push('</ol>');
  }
  if (rels.length) {
    h.push(ps.length ? '<h2>Other relationships in view</h2>' : '<h2>Relationships in view</h2>', '<ul class="rels">');
    for (const s of rels) h.push(`<li>${escapeHTML(s.text)}${sup(s.cites)}${cav(s.caveats)}</li>`);
    h.push('</ul>');
  }
  h.push('<h2>Sources</h2>', '<ol class="sources">');
  for (const c of cites.list) {
    const text = marked(c.text || '', c.quotes)
      .map((r) => (r.mark ? `<mark>${escapeHTML(r.text)}</mark>` : escapeHTML(r.text)))
      .join('');
    h.push(`<li id="c${c.n}">“${text}” <span class="doc">— ${escapeHTML(c.document.title)}, sentence ${c.sentence} (<code>${escapeHTML(c.document.id)}</code>)</span></li>`);
  }
  h.push('</ol>', '</body>', '</html>', '');
  return h.join('\n');
}

/** briefMarkdown writes the same brief as Markdown (the picture as a data: URL). */
export function briefMarkdown(input) {
  const cites = new Citations();
  const { ps, rels } = statements(input, cites);
  const sup = (ns) => ns.map((n) => `[${n}]`).join('');
  const cav = (cs) => (cs.length ? ` _(${cs.map(escapeMarkdown).join('; ')})_` : '');
  const m = [];
  m.push(`# ${escapeMarkdown(input.title)}`, '');
  m.push(`A brief from the tradegraph explorer, made ${input.generated}. Dates: **${escapeMarkdown(dateWindow(input.since, input.until, input.known))}**. Claims: ${escapeMarkdown(claimWords(input.claims))}.`, '');
  m.push(`The view: \`${String(input.url).replaceAll('`', '')}\``, '');
  if (input.png) {
    m.push(`![Graph: ${escapeMarkdown(input.title)}](${input.png})`, '');
    m.push(`Legend: ${Object.values(input.kinds || {}).map((k) => `${k.label} (${k.color})`).join(', ')}, path (red). ${dateWindow(input.since, input.until, input.known)}.`, '');
  }
  if (ps.length) {
    m.push('## How they are linked', '');
    for (const p of ps) {
      m.push(`${p.rank}. **${escapeMarkdown(p.explanation)}** (confidence ${p.confidence.toFixed(2)})`);
      for (const s of p.hops) m.push(`   - ${escapeMarkdown(s.text)} ${sup(s.cites)}${cav(s.caveats)}`);
    }
    m.push('');
  }
  if (rels.length) {
    m.push(ps.length ? '## Other relationships in view' : '## Relationships in view', '');
    for (const s of rels) m.push(`- ${escapeMarkdown(s.text)} ${sup(s.cites)}${cav(s.caveats)}`);
    m.push('');
  }
  m.push('## Sources', '');
  for (const c of cites.list) {
    const text = marked(c.text || '', c.quotes)
      .map((r) => (r.mark ? `**${escapeMarkdown(r.text)}**` : escapeMarkdown(r.text)))
      .join('');
    m.push(`${c.n}. “${text}” — ${escapeMarkdown(c.document.title)}, sentence ${c.sentence} (\`${String(c.document.id).replaceAll('`', '')}\`)`);
  }
  m.push('');
  return m.join('\n');
}
