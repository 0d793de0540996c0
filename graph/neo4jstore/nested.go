package neo4jstore

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Relationship pages read inside another statement: an entity's page of
// relationships is a COLLECT subquery (and its total a COUNT subquery) of the row
// that holds the entity, and the pages of the endpoints of those relationships are
// subqueries of each relationship's projection, so that an entity, its
// relationships, their endpoints and the endpoints' relationships come back in
// one round trip. Each page keeps the order, cursor, page size, total and time
// window of Store.Relationships. Everything taken from the request is a
// parameter, named by the page's place in the tree (q0_, q0_1_, ...); relationship
// types reach the text only through relPattern's vocabulary check.

// maxNestedDepth is the deepest level of pages read in one statement: the entity's
// relationships are level 1.
const maxNestedDepth = 4

// nestedBuilder collects the parameters of the pages it writes and, unless
// paramsOnly (the statement's text is cached: statementFor), their text.
type nestedBuilder struct {
	params     map[string]any
	paramsOnly bool
}

// windowConds returns the conditions of window w on relationship variable r,
// parameters named with prefix p: only the parts of windowCypher that w sets.
func windowConds(r, p string, w graph.Window) []string {
	var conds []string
	if !w.From.IsZero() || !w.To.IsZero() {
		conds = append(conds, windowParams(r, p).Replace(spanCypher))
	}
	if !w.Known.IsZero() {
		conds = append(conds, windowParams(r, p).Replace(knownRelCypher))
	}
	return conds
}

// undatedCond is undatedCypher for relationship variable r and parameters named
// with prefix p.
func undatedCond(r, p string) string {
	return windowParams(r, p).Replace(undatedCypher)
}

func windowParams(r, p string) *strings.Replacer {
	return strings.NewReplacer("r.", r+".", "$wFrom", "$"+p+"wFrom", "$wTo", "$"+p+"wTo", "$known", "$"+p+"known")
}

// addWindowAs is addWindow with parameter names prefixed by p.
func addWindowAs(params map[string]any, p string, w graph.Window) {
	inner := map[string]any{}
	addWindow(inner, w)
	for k, v := range inner {
		params[p+k] = v
	}
}

// owner is what the decoder holds of the entity a page of relationships belongs
// to when it decodes the page: built (decoded from an earlier part of the same
// result), and if so, read as names only (graph.RelSelect.Names) or whole.
type owner struct{ built, names bool }

// covers reports whether the page's relationships can send their owner's side as
// its id: the decoder has built the owner, with every field the page reads of an
// endpoint (decoder.end).
func (o owner) covers(sel graph.RelSelect) bool { return o.built && (!o.names || sel.Names) }

// pageEnds returns how relationship r of a page of entity e (direction dir) reads
// its endpoints: the owner's side as e's id when o covers the page (a page's
// relationships all have their owner at one end, and reading it again for each of
// them cost Neo4j its properties and the server a map to decode), otherwise both
// as nodeMap.
func pageEnds(r, e string, dir model.Direction, sel graph.RelSelect, o owner) (from, to string) {
	from, to = nodeMap("startNode("+r+")", sel.Names), nodeMap("endNode("+r+")", sel.Names)
	if !o.covers(sel) {
		return from, to
	}
	switch dir {
	case model.DirectionOut:
		return e + ".id", to
	case model.DirectionIn:
		return from, e + ".id"
	}
	return fmt.Sprintf("CASE WHEN startNode(%[1]s) = %[2]s THEN %[2]s.id ELSE %[3]s END", r, e, from),
		fmt.Sprintf("CASE WHEN endNode(%[1]s) = %[2]s THEN %[2]s.id ELSE %[3]s END", r, e, to)
}

// endOwner is the owner of the nested pages at end of the relationships of a page
// whose owner is o: that end is read as a map (built then, as sel reads it)
// unless pageEnds sends it as the page owner's id (then built as o says); in
// either direction it may be either.
func endOwner(o owner, sel graph.RelSelect, dir model.Direction, end graph.End) owner {
	asMap := owner{built: true, names: sel.Names}
	switch {
	case !o.covers(sel):
		return asMap
	case dir != model.DirectionOut && dir != model.DirectionIn: // both, as pageEnds reads it
		return owner{built: true, names: o.names || sel.Names}
	case (dir == model.DirectionOut) == (end == graph.EndFrom):
		return o // the owner's own side
	}
	return asMap
}

// page returns the expression {rels: [...], total: n} of q's page of the
// relationships of the entity that expression from evaluates to, whose decoding
// finds that entity as o says; depth is the page's level (1 for the entity's own
// relationships).
func (b *nestedBuilder) page(from string, q graph.RelationshipQuery, p string, depth int, o owner) (string, error) {
	if depth > maxNestedDepth {
		return "", fmt.Errorf("relationship pages nested deeper than %d", maxNestedDepth)
	}
	afterType, afterID, err := decodeCursor(q.After)
	if err != nil {
		return "", err
	}
	e, r := fmt.Sprintf("e%d", depth), fmt.Sprintf("r%d", depth)
	pattern := "(%s)-[%s%s]-(:Entity)"
	switch q.Direction {
	case model.DirectionOut:
		pattern = "(%s)-[%s%s]->(:Entity)"
	case model.DirectionIn:
		pattern = "(%s)<-[%s%s]-(:Entity)"
	}
	pattern = fmt.Sprintf(pattern, e, r, relPattern(q.Types))
	b.params[p+"first"] = q.First + 1
	b.params[p+"afterType"] = nilIfEmpty(afterType)
	b.params[p+"afterId"] = afterID
	addWindowAs(b.params, p, q.Window)
	if b.paramsOnly {
		return "", b.nestedParams(q.Select, p, depth)
	}
	// Only the conditions the page sets (windowConds, the cursor): a condition on
	// a null parameter costs a test per relationship.
	unwind := fmt.Sprintf("UNWIND [%s] AS %s MATCH %s", from, e, pattern)
	conds := windowConds(r, p, q.Window)
	match := unwind
	if len(conds) > 0 {
		match += " WHERE " + strings.Join(conds, " AND ")
	}
	if q.After != "" {
		conds = append(conds, fmt.Sprintf("($%[1]safterType IS NULL OR type(%[2]s) > $%[1]safterType OR (type(%[2]s) = $%[1]safterType AND %[2]s.id > $%[1]safterId))", p, r))
	}
	page := unwind
	if len(conds) > 0 {
		page += " WHERE " + strings.Join(conds, " AND ")
	}
	proj, err := b.projection(r, e, q.Direction, q.Select, p, depth, o)
	if err != nil {
		return "", err
	}
	rels := fmt.Sprintf(`COLLECT { %[1]s
			WITH %[5]s, %[3]s ORDER BY type(%[3]s), %[3]s.id LIMIT $%[2]sfirst
			RETURN %[4]s }`, page, p, r, proj, e)
	total := "-1"
	if q.WantTotal {
		total = fmt.Sprintf("COUNT { %s }", match)
	}
	// Counted only when selected and a window can leave something out.
	undated := "0"
	if q.WantUndated && !q.Window.IsZero() {
		undated = fmt.Sprintf("COUNT { %s WHERE %s }", unwind, undatedCond(r, p))
	}
	return fmt.Sprintf("{rels: %s, total: %s, undated: %s}", rels, total, undated), nil
}

// projection returns the map relationship variable r of a page of entity e
// (direction dir, owner o) is read as under sel: relFields with pageEnds, and
// under n0, n1, ... the pages of sel.Nested (null for an endpoint not of the
// kinds asked).
func (b *nestedBuilder) projection(r, e string, dir model.Direction, sel graph.RelSelect, p string, depth int, o owner) (string, error) {
	var m strings.Builder
	from, to := pageEnds(r, e, dir, sel, o)
	m.WriteString("{" + relFieldsWith(r, fmt.Sprint(depth), sel, from, to))
	for i, n := range sel.Nested {
		end := fmt.Sprintf("endNode(%s)", r)
		if n.End == graph.EndFrom {
			end = fmt.Sprintf("startNode(%s)", r)
		}
		np := b.kindsParam(n, p, i)
		inner, err := b.page(end, n.Query, np, depth+1, endOwner(o, sel, dir, n.End))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&m, ",\n n%d: CASE WHEN $%skinds IS NULL OR %s.kind IN $%skinds THEN %s END", i, np, end, np, inner)
	}
	m.WriteString("}")
	return m.String(), nil
}

// kindsParam sets the kinds parameter of the i-th nested page of the page with
// parameter prefix p, and returns the nested page's prefix.
func (b *nestedBuilder) kindsParam(n graph.NestedRels, p string, i int) string {
	np := p + strconv.Itoa(i) + "_"
	var kinds []string
	for _, k := range n.Kinds {
		kinds = append(kinds, string(k))
	}
	b.params[np+"kinds"] = nilIfNone(kinds)
	return np
}

// nestedParams writes the parameters of the pages of sel.Nested, those of a
// page at depth with parameter prefix p, and no text.
func (b *nestedBuilder) nestedParams(sel graph.RelSelect, p string, depth int) error {
	for i, n := range sel.Nested {
		if _, err := b.page("", n.Query, b.kindsParam(n, p, i), depth+1, owner{}); err != nil {
			return err
		}
	}
	return nil
}

// pageShape writes to k what the text of q's page depends on (page writes
// everything else as parameters): direction, types, what is counted and what is
// read of each relationship, which parts of a window and whether a cursor are
// set, and the same of the nested pages.
func pageShape(k *strings.Builder, q graph.RelationshipQuery) {
	k.WriteString(string(q.Direction))
	k.WriteByte(':')
	for _, t := range q.Types {
		k.WriteString(string(t))
		k.WriteByte('|')
	}
	writeFlags(k, q.WantTotal, q.WantUndated && !q.Window.IsZero(), q.Select.Texts, q.Select.Attribution, q.Select.Names, q.Select.Bare,
		!q.Window.From.IsZero() || !q.Window.To.IsZero(), !q.Window.Known.IsZero(), q.After != "")
	k.WriteByte('(')
	for _, n := range q.Select.Nested {
		k.WriteString(string(n.End))
		pageShape(k, n.Query)
		k.WriteByte(',')
	}
	k.WriteByte(')')
}

// writeFlags writes each of flags to k as '1' or '0' (a part of a shape key).
func writeFlags(k *strings.Builder, flags ...bool) {
	for _, f := range flags {
		if f {
			k.WriteByte('1')
		} else {
			k.WriteByte('0')
		}
	}
}

// statements caches the text of the entity and relationship page statements by
// shape (entitiesShape, pageShape): building the nested text took about a tenth of
// a nested request's CPU in the server (docs/benchmarks.md). User values are never
// part of a key or of a text; only the shape is. At most maxStatements shapes are
// kept (the relationship types' subsets are many): past that, texts are built
// every time.
var (
	statements      sync.Map
	statementsCount atomic.Int64
)

const maxStatements = 1024

// cachedStatement returns the cached text for key.
func cachedStatement(key string) (string, bool) {
	v, ok := statements.Load(key)
	if !ok {
		return "", false
	}
	return v.(string), true
}

// cacheStatement keeps cypher as the text for key, while there is room.
func cacheStatement(key, cypher string) {
	if statementsCount.Load() >= maxStatements {
		return
	}
	if _, loaded := statements.LoadOrStore(key, cypher); !loaded {
		statementsCount.Add(1)
	}
}

// textsProjection reads, for each evidence of relationship r, its sentence's text
// and its document's publication date; s makes the subquery's variables unique.
func textsProjection(r, s string) string {
	return fmt.Sprintf(`texts: [i%[2]s IN range(0, size(%[1]s.evidenceDocs) - 1) | head(COLLECT { MATCH (ed%[2]s:Document {id: %[1]s.evidenceDocs[i%[2]s]}) RETURN [ed%[2]s.sentences[%[1]s.evidenceSentences[i%[2]s] - 1], ed%[2]s.dateFirst] })]`, r, s)
}

// attProjection reads the entity relationship r is attributed to (nodeMap).
func attProjection(r, s string, names bool) string {
	return fmt.Sprintf(`att: CASE WHEN %[1]s.attributedTo IS NULL THEN null ELSE head(COLLECT { MATCH (att%[2]s:Entity {id: %[1]s.attributedTo}) RETURN %[3]s }) END`, r, s, nodeMap("att"+s, names))
}

// newPages returns empty answers shaped like q's nesting.
func newPages(q graph.RelationshipQuery) graph.RelationshipPages {
	out := graph.RelationshipPages{Pages: map[string]*model.RelationshipConnection{}}
	for _, n := range q.Select.Nested {
		out.Nested = append(out.Nested, newPages(n.Query))
	}
	return out
}

// relPages decodes a page expression's value v, the page of entity id under q,
// into into, and the nested pages of its relationships' endpoints likewise.
func (d *decoder) relPages(q graph.RelationshipQuery, into *graph.RelationshipPages, id string, v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("relationships of %s: want a map, got %T", id, v)
	}
	total, ok := num(m["total"])
	if !ok {
		return fmt.Errorf("relationships of %s: total is %T", id, m["total"])
	}
	undated, ok := num(m["undated"])
	if !ok {
		return fmt.Errorf("relationships of %s: undated is %T", id, m["undated"])
	}
	rows, _ := m["rels"].([]any)
	saved := d.known
	d.known = q.Window.Known
	defer func() { d.known = saved }()
	conn, err := d.relConn(rows, q.First, int(total))
	if err != nil {
		return err
	}
	conn.UndatedCount = int(undated)
	into.Pages[id] = conn
	for i, n := range q.Select.Nested {
		key := fmt.Sprintf("n%d", i)
		for j, e := range conn.Edges {
			nv := rows[j].(map[string]any)[key]
			if nv == nil {
				continue
			}
			end := e.Node.To
			if n.End == graph.EndFrom {
				end = e.Node.From
			}
			if err := d.relPages(n.Query, &into.Nested[i], end.GetID(), nv); err != nil {
				return err
			}
		}
	}
	return nil
}

// relConn builds one page of relationships from its rows, read with one more
// than first to tell whether there is a next page.
func (d *decoder) relConn(rows []any, first, total int) (*model.RelationshipConnection, error) {
	conn := &model.RelationshipConnection{TotalCount: total, PageInfo: &model.PageInfo{}, Edges: []model.RelationshipEdge{}}
	for i, row := range rows {
		if i == first {
			conn.PageInfo.HasNextPage = true
			break
		}
		r, err := d.relationship(row)
		if err != nil {
			return nil, err
		}
		c := cursor(string(r.Type), r.ID)
		conn.Edges = append(conn.Edges, model.RelationshipEdge{Cursor: c, Node: r})
		conn.PageInfo.EndCursor = &c
	}
	return conn, nil
}
