// The graph view: a Cytoscape.js canvas holding every entity and relationship the
// explorer has fetched, styled by kind, with "+N more" markers where the API's hub
// caps left relationships out, and the date filter applied by hiding.
import cytoscape from 'cytoscape';
import { inRange } from './dates.js';

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
      'font-size': 13,
      'font-family': 'system-ui, sans-serif',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': 130,
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
  { selector: 'edge.labelled, edge:selected, edge.path', style: { 'text-opacity': 1 } },
  { selector: 'edge.more', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', label: '' } },
  { selector: 'edge.path', style: { width: 3, 'line-color': '#dc2626', 'target-arrow-color': '#dc2626', color: '#991b1b' } },
  { selector: 'node.path', style: { 'border-width': 3, 'border-color': '#dc2626' } },
  { selector: '.faded', style: { opacity: 0.18 } },
  { selector: '.filtered', style: { display: 'none' } },
];

/** GraphView wraps the Cytoscape instance; callbacks report user actions to React. */
export class GraphView {
  constructor(container, { onSelect, onMore }) {
    this.cy = cytoscape({
      container,
      style,
      minZoom: 0.2,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.truncated = new Map(); // nodeId -> [{type, omitted}]
    this.range = { since: '', until: '' };
    this.cy.on('tap', 'node', (e) => {
      const n = e.target;
      if (n.hasClass('more')) onMore(n.data('of'));
      else onSelect(n.id());
    });
    // Labels keep a readable size on screen when the view zooms out, up to a point.
    this.cy.on('zoom', () => this.scaleLabels());
    this.cy.on('mouseover', 'edge', (e) => e.target.addClass('labelled'));
    this.cy.on('mouseout', 'edge', (e) => e.target.removeClass('labelled'));
  }

  destroy() {
    this.cy.destroy();
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
      data: {
        id: r.id, source: from, target: to, type: r.type, verb: r.verb,
        validFrom: r.validFrom || null, validTo: r.validTo || null, rel: r,
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
      this.truncated.set(center, sub.truncated.filter((t) => t.nodeId === center));
      this.drawMore();
    });
    this.applyFilter();
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

  /** setRange hides relationships not valid in [since, until], and nodes left alone. */
  setRange(since, until) {
    this.range = { since, until };
    this.applyFilter();
  }

  applyFilter() {
    const { since, until } = this.range;
    this.cy.batch(() => {
      this.cy.elements().removeClass('filtered');
      if (!since && !until) return;
      this.cy.edges().not('.more').forEach((e) => {
        if (!inRange(e.data('validFrom'), e.data('validTo'), since, until)) e.addClass('filtered');
      });
      // A node stays when it is expanded, on a path, selected, or still linked.
      this.cy.nodes().not('.more').forEach((n) => {
        if (n.hasClass('expanded') || n.hasClass('path') || n.hasClass('current')) return;
        if (n.connectedEdges().not('.filtered').not('.more').empty()) n.addClass('filtered');
      });
    });
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
  }

  /** focusPath fades everything but one path (null: no fading). */
  focusPath(p) {
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
  }

  /** layout places the nodes; existing ones keep roughly their places. */
  layout(fit = true) {
    const n = this.cy.nodes().length;
    if (!n) return;
    this.cy.resize(); // the pane may have changed size since the last layout
    const layout = this.cy.layout({
      name: n <= 2 ? 'grid' : 'cose',
      animate: false,
      randomize: false,
      fit,
      padding: 40,
      nodeRepulsion: () => 9000,
      idealEdgeLength: () => 90,
      nodeDimensionsIncludeLabels: true,
      numIter: 1500,
    });
    layout.run();
  }

  scaleLabels() {
    const z = this.cy.zoom();
    const size = (px, max) => Math.min(px / Math.min(z, 1), max);
    this.cy
      .style()
      .selector('node')
      .style('font-size', size(12, 18))
      .selector('node.more')
      .style('font-size', size(10, 15))
      .selector('edge')
      .style('font-size', size(10, 14))
      .update();
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

  nodeName(id) {
    const n = this.cy.getElementById(id);
    return n.nonempty() ? n.data('name') : null;
  }
}
