// The graph view: a Cytoscape.js canvas holding every entity and relationship the
// explorer has fetched, styled by kind, with "+N more" markers where the API's hub
// caps left relationships out, and the date and claim filters applied by hiding.
// Labels follow a level of detail: at each zoom, the labels of the entities that
// matter most (the open one, the path, the expanded ones, then by degree) are drawn
// where they do not overlap one already drawn; zooming in shows them all.
import cytoscape from 'cytoscape';
import { passes } from './caveats.js';
import { effectiveDates } from './dates.js';
import { neighbourhoodLayout } from './layout.js';

/** FONT is the labels' font; LABEL_PX their size on screen, at any zoom. */
const FONT = 'system-ui, sans-serif';
const LABEL_PX = 13;
const EDGE_PX = 11;
const LABEL_MAX = 150; // widest label, on screen px, before an ellipsis
/** EDGE_LABEL_ZOOM is the zoom from which relationship verbs are drawn on the edges. */
export const EDGE_LABEL_ZOOM = 1.2;
/** ZOOM_STEP is one press of a zoom button, or one notch of a mouse wheel. */
export const ZOOM_STEP = 1.25;
/** COSE_MAX is the largest graph laid out by force; larger ones get neighbourhood rings. */
const COSE_MAX = 45;

/** Colours and shapes by kind; the legend in App.jsx uses the same table. */
export const KINDS = {
  ACTOR: { label: 'Actor', color: '#1d4ed8', shape: 'ellipse' },
  MEETING: { label: 'Meeting', color: '#b45309', shape: 'diamond' },
  COMMODITY: { label: 'Commodity', color: '#047857', shape: 'hexagon' },
  POLICY: { label: 'Policy', color: '#7e22ce', shape: 'round-rectangle' },
};

const style = [
  {
    selector: 'node',
    style: {
      label: 'data(name)',
      'background-color': (n) => KINDS[n.data('kind')]?.color || '#475569',
      shape: (n) => KINDS[n.data('kind')]?.shape || 'ellipse',
      width: 28,
      height: 28,
      color: '#111827',
      'font-size': LABEL_PX,
      'font-family': FONT,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': LABEL_MAX,
      'text-outline-color': '#ffffff',
      'text-outline-width': 2,
      'border-width': 0,
    },
  },
  { selector: 'node.expanded', style: { width: 36, height: 36, 'font-weight': 600 } },
  { selector: 'node:selected, node.current', style: { 'border-width': 4, 'border-color': '#f59e0b' } },
  {
    selector: 'node.more',
    style: {
      label: 'data(name)',
      shape: 'round-rectangle',
      'background-color': '#ffffff',
      'border-width': 1,
      'border-style': 'dashed',
      'border-color': '#475569',
      width: 'label',
      height: 20,
      padding: 4,
      'text-valign': 'center',
      'text-margin-y': 0,
      color: '#334155',
      'font-size': 10,
    },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#94a3b8',
      'target-arrow-color': '#94a3b8',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      'curve-style': 'bezier',
      label: 'data(verb)',
      'font-size': 10,
      color: '#475569',
      'text-rotation': 'autorotate',
      'text-outline-color': '#ffffff',
      'text-outline-width': 2,
      'text-opacity': 0,
    },
  },
  { selector: 'edge.labelled, edge:selected, edge.chosen, edge.path', style: { 'text-opacity': 1 } },
  { selector: 'node.lod-hidden', style: { 'text-opacity': 0 } },
  { selector: 'edge.lod-edge', style: { 'text-opacity': 1 } },
  { selector: 'edge.chosen', style: { width: 4, 'line-color': '#f59e0b', 'target-arrow-color': '#f59e0b', color: '#92400e', 'z-index': 10 } },
  // A fact nothing dates (it counts from its first report): dotted.
  { selector: 'edge.undated', style: { 'line-style': 'dotted' } },
  { selector: 'edge.more', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', label: '' } },
  { selector: 'edge.path', style: { width: 3, 'line-color': '#dc2626', 'target-arrow-color': '#dc2626', color: '#991b1b' } },
  { selector: 'node.path', style: { 'border-width': 3, 'border-color': '#dc2626' } },
  { selector: '.faded', style: { opacity: 0.18 } },
  { selector: '.filtered', style: { display: 'none' } },
];

/** GraphView wraps the Cytoscape instance; callbacks report user actions to React. */
export class GraphView {
  constructor(container, { onSelect, onMore, onEdge, onMoved }) {
    this.cy = cytoscape({
      container,
      style,
      minZoom: 0.1,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.truncated = new Map(); // nodeId -> [{type, omitted}]
    this.claims = null; // the caveat filter, see caveats.js
    this.expandedOrder = [];
    this.cy.on('tap', 'node', (e) => {
      const n = e.target;
      if (n.hasClass('more')) onMore(n.data('of'));
      else onSelect(n.id());
    });
    this.cy.on('tap', 'edge', (e) => {
      if (!e.target.hasClass('more')) onEdge?.(e.target.id());
    });
    // A node dragged by hand keeps its place in the URL (see App.jsx).
    this.cy.on('dragfree', 'node', (e) => onMoved?.(e.target.id()));
    this.cy.on('zoom pan resize', () => this.scheduleLabels());
    this.cy.on('add remove', () => this.scheduleLabels());
    this.cy.on('mouseover', 'edge', (e) => e.target.addClass('labelled'));
    this.cy.on('mouseout', 'edge', (e) => e.target.removeClass('labelled'));
    // The mouse wheel zooms by ZOOM_STEP a notch, around the pointer. Cytoscape's own
    // wheel zoom (about 1% a notch with the default mice of headless browsers and
    // many desktops) never sees the event: it is stopped on the way down.
    this.wheelHost = container.parentElement;
    this.onWheel = (e) => {
      if (!container.contains(e.target)) return;
      e.preventDefault();
      e.stopPropagation();
      const lines = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
      const notches = Math.max(-4, Math.min(4, (e.deltaY * lines) / 100));
      if (!notches) return;
      const r = container.getBoundingClientRect();
      this.zoomBy(Math.pow(ZOOM_STEP, -notches), { x: e.clientX - r.left, y: e.clientY - r.top });
    };
    this.wheelHost.addEventListener('wheel', this.onWheel, { capture: true, passive: false });
    this.measure = document.createElement('canvas').getContext('2d');
    this.widths = new Map();
  }

  destroy() {
    this.wheelHost.removeEventListener('wheel', this.onWheel, { capture: true });
    cancelAnimationFrame(this.labelFrame);
    this.cy.destroy();
  }

  /** zoomBy multiplies the zoom by f around a rendered point (default: the middle). */
  zoomBy(f, at) {
    const cy = this.cy;
    const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * f));
    cy.zoom({ level, renderedPosition: at || { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  /** fit shows every drawn entity. */
  fit() {
    this.cy.fit(this.cy.elements().not('.filtered'), 40);
  }

  /** addNode adds (or renames) an entity {id, name, kind, type}. */
  addNode(n) {
    const el = this.cy.getElementById(n.id);
    if (el.nonempty()) {
      el.data({ name: n.name, kind: n.kind, type: n.type ?? el.data('type') });
      return el;
    }
    return this.cy.add({ group: 'nodes', data: { id: n.id, name: n.name, kind: n.kind, type: n.type } });
  }

  /** addEdge adds a relationship whose endpoints are already drawn. */
  addEdge(r) {
    const from = r.from.id;
    const to = r.to.id;
    if (this.cy.getElementById(r.id).nonempty()) return;
    if (this.cy.getElementById(from).empty() || this.cy.getElementById(to).empty()) return;
    this.cy.add({
      group: 'edges',
      classes: effectiveDates(r).undated ? 'undated' : '',
      data: {
        id: r.id, source: from, target: to, type: r.type, verb: r.verb,
        rel: r,
      },
    });
  }

  /** addNeighborhood merges a neighbourhood answer and marks its centre expanded. */
  addNeighborhood(sub) {
    this.cy.batch(() => {
      for (const n of sub.nodes) this.addNode(n);
      for (const e of sub.edges) this.addEdge(e);
      const center = sub.center.id;
      this.cy.getElementById(center).addClass('expanded');
      if (!this.expandedOrder.includes(center)) this.expandedOrder.push(center);
      this.truncated.set(center, sub.truncated.filter((t) => t.nodeId === center));
      this.drawMore();
    });
    this.applyFilter();
    if (this.focused) this.refocus();
  }

  /** drawMore redraws the "+N more" marker of every expanded node that has one. */
  drawMore() {
    this.cy.remove('.more');
    for (const [id, ts] of this.truncated) {
      const omitted = ts.reduce((s, t) => s + t.omitted, 0);
      if (!omitted || this.cy.getElementById(id).empty()) continue;
      const mid = `more:${id}`;
      this.cy.add({ group: 'nodes', classes: 'more', data: { id: mid, of: id, name: `+${omitted} more` } });
      this.cy.add({ group: 'edges', classes: 'more', data: { id: `${mid}:edge`, source: id, target: mid } });
    }
  }

  /** setClaims hides relationships the caveat filter f refuses (see caveats.js). */
  setClaims(f) {
    this.claims = f;
    this.applyFilter();
  }

  // The time window is not applied here: what is drawn was fetched under it (see
  // App.jsx), with each relationship's effective dates as the API reads them.
  applyFilter() {
    this.cy.batch(() => {
      this.cy.elements().removeClass('filtered');
      this.cy.edges().not('.more').forEach((e) => {
        if (!passes(e.data('rel'), this.claims)) e.addClass('filtered');
      });
      // A node stays when it is expanded, on a path, selected, or still linked.
      this.cy.nodes().not('.more').forEach((n) => {
        if (n.hasClass('expanded') || n.hasClass('path') || n.hasClass('current')) return;
        if (n.connectedEdges().not('.filtered').not('.more').empty()) n.addClass('filtered');
      });
    });
  }

  /** setChosen marks the relationship whose panel is open. */
  setChosen(id) {
    this.cy.edges('.chosen').removeClass('chosen');
    if (id) this.cy.getElementById(id).addClass('chosen');
  }

  /** visibleCount is the number of drawn entities and relationships. */
  visibleCount() {
    const vis = this.cy.elements().not('.more').not('.filtered');
    return { nodes: vis.nodes().length, edges: vis.edges().length, hidden: this.cy.edges('.filtered').length };
  }

  /** setCurrent marks the entity whose card is open. */
  setCurrent(id) {
    this.cy.nodes('.current').removeClass('current');
    if (id) this.cy.getElementById(id).addClass('current');
  }

  /** setPaths adds the paths' nodes and hops and highlights them (rank 0: all). */
  setPaths(paths) {
    this.cy.batch(() => {
      this.cy.elements('.path').removeClass('path');
      for (const p of paths) {
        for (const n of p.nodes) this.addNode(n).addClass('path');
        for (const h of p.hops) {
          this.addEdge(h.relationship);
          this.cy.getElementById(h.relationship.id).addClass('path');
        }
      }
    });
    this.applyFilter();
    if (this.focused) this.refocus();
  }

  /** focusPath fades everything but one path (null: no fading), also what is drawn later. */
  focusPath(p) {
    this.focused = p;
    this.refocus();
  }

  refocus() {
    const p = this.focused;
    this.cy.batch(() => {
      this.cy.elements().removeClass('faded');
      if (!p) return;
      const keep = new Set([...p.nodes.map((n) => n.id), ...p.hops.map((h) => h.relationship.id)]);
      this.cy.elements().forEach((el) => {
        if (!keep.has(el.id())) el.addClass('faded');
      });
    });
  }

  clear() {
    this.cy.elements().remove();
    this.truncated.clear();
    this.expandedOrder = [];
  }

  /**
   * layout places the nodes, as a function of what is drawn (not of the order it
   * came in), so that a shared URL gives the same picture: rings around each
   * expanded entity (see layout.js), which larger graphs keep and smaller ones
   * start the force layout from. Nodes in pinned (id -> {x, y}) keep those places.
   */
  layout(fit = true, pinned = new Map()) {
    const cy = this.cy;
    const n = cy.nodes().length;
    if (!n) return;
    cy.resize(); // the pane may have changed size since the last layout
    const byId = (a, b) => (a.id() < b.id() ? -1 : a.id() > b.id() ? 1 : 0);
    const centres = this.expandedOrder.filter((id) => cy.getElementById(id).nonempty());
    const { positions } = neighbourhoodLayout({
      ids: cy.nodes().map((x) => x.id()),
      centres,
      neighbours: (c) =>
        cy.getElementById(c).connectedEdges().map((e) => {
          const other = e.source().id() === c ? e.target() : e.source();
          return { id: other.id(), group: other.hasClass('more') ? '' : e.data('type') };
        }),
    });
    cy.batch(() => {
      for (const [id, p] of positions) cy.getElementById(id).position(p);
    });
    if (n > 2 && n <= COSE_MAX) {
      // Without the "+N more" markers and the labels, whose sizes follow the zoom:
      // the places must not depend on how the view was zoomed before.
      cy.elements()
        .not('.more')
        .sort(byId)
        .layout({
          name: 'cose',
          animate: false,
          randomize: false,
          fit: false,
          padding: 40,
          // Labels are left out (their size follows the zoom): the repulsion
          // and edge length leave room for them instead.
          nodeRepulsion: () => 60000,
          idealEdgeLength: () => 110,
          nodeOverlap: 40,
          gravity: 0.6,
          nodeDimensionsIncludeLabels: false,
          numIter: 1500,
        })
        .run();
      cy.nodes('.more').forEach((m) => {
        const o = cy.getElementById(m.data('of')).position();
        m.position({ x: o.x, y: o.y - 45 });
      });
    } else if (n <= 2) {
      cy.nodes().sort(byId).layout({ name: 'grid', animate: false, fit: false }).run();
    }
    if (pinned.size) {
      cy.batch(() => {
        for (const [id, p] of pinned) cy.getElementById(id).position(p);
      });
    }
    if (fit) this.fit();
    this.updateLabels();
  }

  scheduleLabels() {
    if (this.labelFrame) return;
    this.labelFrame = requestAnimationFrame(() => {
      this.labelFrame = 0;
      this.updateLabels();
    });
  }

  /**
   * updateLabels applies the level of detail: labels keep LABEL_PX on screen at any
   * zoom, so zooming in makes room between them; in order of importance, an entity in view
   * gets its label when the label's box overlaps no box already kept. Relationship
   * verbs follow the same rule from EDGE_LABEL_ZOOM on.
   */
  updateLabels() {
    const cy = this.cy;
    if (cy.destroyed()) return;
    const t0 = performance.now();
    const z = cy.zoom();
    const k = 1 / z; // screen px -> model units: labels keep their size on screen
    const fs = LABEL_PX * k;
    const efs = EDGE_PX * k;
    const maxW = LABEL_MAX * k;
    cy.style()
      .selector('node')
      .style({ 'font-size': fs, 'text-max-width': maxW, 'text-margin-y': 4 * k, 'text-outline-width': 2 * k })
      .selector('node.more')
      .style({ 'font-size': 12 * k })
      .selector('edge')
      .style({ 'font-size': efs, 'text-outline-width': 2 * k })
      .update();

    const ext = cy.extent();
    const inView = (x, y) => x >= ext.x1 && x <= ext.x2 && y >= ext.y1 && y <= ext.y2;
    const pad = 2 * k;
    const kept = [];
    const clear = (b) => kept.every((o) => b.x2 + pad <= o.x1 || o.x2 + pad <= b.x1 || b.y2 + pad <= o.y1 || o.y2 + pad <= b.y1);
    const rank = (n) =>
      (n.hasClass('current') ? 8 : 0) + (n.hasClass('path') ? 4 : 0) + (n.hasClass('expanded') ? 2 : 0) + (n.hasClass('more') ? 1 : 0);
    const nodes = cy
      .nodes()
      .not('.filtered')
      .filter((n) => inView(n.position('x'), n.position('y')))
      .map((n) => ({ n, id: n.id(), score: rank(n) * 1e6 + n.connectedEdges().length }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .map((x) => x.n);
    const show = new Set();
    for (const n of nodes) {
      const b = this.labelBox(n, fs, maxW, k);
      if (clear(b)) {
        kept.push(b);
        show.add(n.id());
      }
    }
    // Nodes themselves are obstacles for the verbs, not for other labels (a label
    // may cross an edge's line but not another text).
    const verbs = new Set();
    if (z >= EDGE_LABEL_ZOOM) {
      for (const n of nodes) {
        const bb = n.boundingBox({ includeLabels: false });
        kept.push(bb);
      }
      const edges = cy.edges().not('.filtered').not('.more').sort((a, b) => (b.hasClass('path') - a.hasClass('path')) || (a.id() < b.id() ? -1 : 1));
      for (const e of edges) {
        const m = e.midpoint();
        if (!inView(m.x, m.y)) continue;
        const b = this.edgeLabelBox(e, efs);
        if (b && clear(b)) {
          kept.push(b);
          verbs.add(e.id());
        }
      }
    }
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        n.toggleClass('lod-hidden', !show.has(n.id()));
      });
      cy.edges().forEach((e) => {
        e.toggleClass('lod-edge', verbs.has(e.id()));
      });
    });
    this.labelMs = performance.now() - t0; // read by the browser tests
  }

  /** textWidth is the width in screen px of text in the labels' font at px, measured once. */
  textWidth(text, weight, px) {
    const key = `${weight}|${px}|${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      this.measure.font = `${weight} ${px}px ${FONT}`;
      w = this.measure.measureText(text).width;
      this.widths.set(key, w);
    }
    return w;
  }

  /** labelBox is the model-space box of a node's label under its shape. */
  labelBox(n, fs, maxW, k) {
    const more = n.hasClass('more');
    const size = more ? 12 * k : fs;
    const w = Math.min(this.textWidth(n.data('name') || '', n.hasClass('expanded') ? 600 : 400, more ? 12 : LABEL_PX) * k, maxW) + 4 * k;
    const h = size * 1.25 + 4 * k;
    const p = n.position();
    if (more) {
      return { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y - h / 2, y2: p.y + h / 2 };
    }
    const top = p.y + (n.hasClass('expanded') ? 18 : 14) + 2 * k;
    return { x1: p.x - w / 2, x2: p.x + w / 2, y1: top, y2: top + h };
  }

  /** edgeLabelBox is the model-space box of a verb along its edge, or null when the edge is too short. */
  edgeLabelBox(e, efs) {
    const w = (this.textWidth(e.data('verb') || '', 400, EDGE_PX) + 4) * (efs / EDGE_PX);
    const h = efs * 1.25;
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    const len = Math.hypot(t.x - s.x, t.y - s.y);
    if (len < w + 10) return null;
    const a = Math.atan2(t.y - s.y, t.x - s.x);
    const bw = Math.abs(w * Math.cos(a)) + Math.abs(h * Math.sin(a));
    const bh = Math.abs(w * Math.sin(a)) + Math.abs(h * Math.cos(a));
    const m = e.midpoint();
    return { x1: m.x - bw / 2, x2: m.x + bw / 2, y1: m.y - bh / 2, y2: m.y + bh / 2 };
  }

  /** png renders the whole graph as a PNG Blob on white. */
  png() {
    return this.cy.png({ output: 'blob-promise', full: true, scale: 2, bg: '#ffffff', maxWidth: 4000, maxHeight: 4000 });
  }

  /** data is what the JSON export writes: entities, relationships and hub-cap gaps. */
  data() {
    const nodes = this.cy.nodes().not('.more').map((n) => ({
      id: n.id(), name: n.data('name'), kind: n.data('kind'), type: n.data('type') ?? null,
      expanded: n.hasClass('expanded'), hidden: n.hasClass('filtered'),
    }));
    const relationships = this.cy.edges().not('.more').map((e) => ({ ...e.data('rel'), hidden: e.hasClass('filtered') }));
    const truncated = [...this.truncated].flatMap(([nodeId, ts]) => ts.map((t) => ({ nodeId, type: t.type, omitted: t.omitted })));
    return { nodes, relationships, truncated };
  }

  /** positions lists each node's position (model coordinates). */
  positions() {
    return new Map(this.cy.nodes().not('.more').map((n) => [n.id(), { ...n.position() }]));
  }

  nodeName(id) {
    const n = this.cy.getElementById(id);
    return n.nonempty() ? n.data('name') : null;
  }
}
