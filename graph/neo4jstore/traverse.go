package neo4jstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// maxFrontier caps how many nodes one level of a neighbourhood expands, whatever
// room the node cap leaves, so that a level around hubs stays bounded.
const maxFrontier = 200

// neighborhoodCypher builds the one statement of a neighbourhood of the given
// depth over the given relationship pattern.
//
// Level i expands f(i-1), the nodes first reached at level i-1, best first, but
// only as many as the node cap still has room for (and at most maxFrontier): there
// is no use expanding 200 hubs to find 3 more nodes, and once the cap is full no
// level expands anything. Each expanded node keeps, per type, its $cap strongest
// relationships and counts the others. The nodes those relationships reach that
// were not seen before are ranked by the strongest relationship reaching them
// (confidence, then id), and the first ones that fit in the room left are kept;
// the relationships to the others are counted as omitted too. Only the
// relationships kept in the end are projected (evidence sentences looked up,
// endpoints read), once each.
//
// Each expanded node reads all its relationships of the pattern and sorts them:
// one typed branch per type with ORDER BY ... LIMIT (a top-k) and counts from the
// degree store read 10% fewer database hits on the 1M graph but took as long, and
// its 25 branches a level took Neo4j 5 times as long to plan (3 s for depth 3, 8 s
// on a fresh server: docs/benchmarks.md).
func neighborhoodCypher(depth int, pattern string, sel graph.RelSelect, wantUndated bool) string {
	var b strings.Builder
	b.WriteString("MATCH (c:Entity {id: $id})\nWITH c, [c] AS f0, [c] AS seen0, $maxNodes - 1 AS room0")
	var edges, truncs, capped, expanded []string
	for i := 1; i <= depth; i++ {
		p := i - 1
		fmt.Fprintf(&b, `
		WITH *, CASE WHEN room%[2]d < %[3]d THEN room%[2]d ELSE %[3]d END AS width%[1]d
		CALL (f%[2]d, seen%[2]d, room%[2]d, width%[1]d) {
			UNWIND f%[2]d[..width%[1]d] AS f
			CALL (f) {
				// The other end needs no label check: vocabulary types join entities only.
				MATCH (f)-[r%[4]s]-() WHERE %[5]s
				WITH f, type(r) AS t, r ORDER BY r.confidence DESC, r.id
				WITH f, t, collect(r) AS rs
				RETURN t, size(rs) AS n,
					[r IN rs[..$cap] | {r: r, m: CASE WHEN startNode(r) = f THEN endNode(r) ELSE startNode(r) END}] AS kept
			}
			WITH collect({f: f, t: t, kept: kept, n: n}) AS groups
			// The nodes reached for the first time, best first. A CALL, not a COLLECT
			// subquery: there the aggregation would also group by the outer lists,
			// and Neo4j counts their memory once per group.
			CALL (groups, seen%[2]d) {
				UNWIND groups AS g
				UNWIND g.kept AS k
				WITH * WHERE NOT k.m IN seen%[2]d
				WITH k.m AS m, k.r AS r ORDER BY r.confidence DESC, r.id
				WITH m, collect(r)[0] AS best ORDER BY best.confidence DESC, best.id
				RETURN collect(m) AS reached
			}
			WITH groups, reached[..room%[2]d] AS fresh, reached[room%[2]d..] AS dropped
			RETURN fresh AS f%[1]d, size(dropped) > 0 AS over%[1]d,
				COLLECT { UNWIND groups AS g UNWIND g.kept AS k WITH k WHERE NOT k.m IN dropped RETURN k.r } AS e%[1]d,
				COLLECT { UNWIND groups AS g
					WITH g, g.n - size([k IN g.kept WHERE NOT k.m IN dropped]) AS omitted WHERE omitted > 0
					RETURN {node: g.f.id, type: g.t, omitted: omitted} } AS t%[1]d
		}
		WITH *, seen%[2]d + f%[1]d AS seen%[1]d, room%[2]d - size(f%[1]d) AS room%[1]d`,
			i, p, maxFrontier, pattern, windowCypher)
		edges = append(edges, fmt.Sprintf("e%d", i))
		truncs = append(truncs, fmt.Sprintf("t%d", i))
		capped = append(capped, fmt.Sprintf("over%d OR size(f%d) > width%d", i, p, i))
		expanded = append(expanded, fmt.Sprintf("f%d[..width%d]", p, i))
	}
	// The relationships of the expanded entities that the window left out for
	// want of a date, each once; only when the request selects the count.
	undated := "0"
	if wantUndated {
		undated = fmt.Sprintf(`size(COLLECT { UNWIND %s AS uf MATCH (uf)-[ur%s]-() WHERE %s RETURN DISTINCT ur })`,
			strings.Join(expanded, " + "), pattern, undatedCond("ur", ""))
	}
	fmt.Fprintf(&b, `
		CALL (%[1]s) {
			UNWIND %[2]s AS r
			WITH DISTINCT r
			RETURN collect(%[3]s) AS edges
		}
		RETURN properties(c) AS center, edges, %[4]s AS truncated, %[5]s AS capped, %[6]s AS undated`,
		strings.Join(edges, ", "), strings.Join(edges, " + "), relMap(sel, false), strings.Join(truncs, " + "), strings.Join(capped, " OR "), undated)
	return b.String()
}

// Neighborhood returns the capped subgraph around q.ID in one round trip (a
// merged-away id answers its survivor).
func (s *Store) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (*model.Subgraph, error) {
	return orSurvivor(ctx, s, q.ID, func(id string) (*model.Subgraph, error) {
		q.ID = id
		return s.neighborhood(ctx, q)
	})
}

func (s *Store) neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (*model.Subgraph, error) {
	maxNodes := q.MaxNodes
	if maxNodes <= 0 {
		maxNodes = graph.DefaultMaxNodes
	}
	params := map[string]any{"id": q.ID, "cap": q.LimitPerType, "maxNodes": maxNodes}
	addWindow(params, q.Window)
	res, err := s.read(ctx, neighborhoodCypher(q.Depth, relPattern(q.Types), q.Select, q.WantUndated && !q.Window.IsZero()), params)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no entity with id %q", q.ID)
	}
	sub, err := decodeNeighborhood(res.Records[0], q.Window.Known)
	if err != nil {
		return nil, decodeErr(err)
	}
	// A stable order, whatever order the database enumerated in: centre first.
	sort.SliceStable(sub.Nodes[1:], func(i, j int) bool { return sub.Nodes[1+i].GetID() < sub.Nodes[1+j].GetID() })
	sort.Slice(sub.Edges, func(i, j int) bool { return sub.Edges[i].ID < sub.Edges[j].ID })
	sort.Slice(sub.Truncated, func(i, j int) bool {
		a, b := sub.Truncated[i], sub.Truncated[j]
		return a.NodeID < b.NodeID || (a.NodeID == b.NodeID && a.Type < b.Type)
	})
	return sub, nil
}

// decodeNeighborhood reads the record of a neighbourhood statement.
func decodeNeighborhood(rec *neo4j.Record, known time.Time) (*model.Subgraph, error) {
	c, err := get[map[string]any](rec, "center")
	if err != nil {
		return nil, err
	}
	edges, err := get[[]any](rec, "edges")
	if err != nil {
		return nil, err
	}
	truncated, err := get[[]any](rec, "truncated")
	if err != nil {
		return nil, err
	}
	capped, err := get[bool](rec, "capped")
	if err != nil {
		return nil, err
	}
	undated, err := get[int64](rec, "undated")
	if err != nil {
		return nil, err
	}
	dec := newDecoder()
	dec.known = known
	center := dec.entity(c)
	if center == nil {
		return nil, fmt.Errorf("center %s: not an entity of the model", str(c, "id"))
	}
	sub := &model.Subgraph{Center: center, Nodes: []model.Entity{center}, Edges: []model.Relationship{}, Truncated: []model.Truncation{}, NodeCapReached: capped,
		UndatedCount: int(undated)}
	seenNode := map[string]bool{center.GetID(): true}
	for _, rv := range edges {
		r, err := dec.relationship(rv)
		if err != nil {
			return nil, err
		}
		sub.Edges = append(sub.Edges, *r)
		for _, e := range []model.Entity{r.From, r.To} {
			if !seenNode[e.GetID()] {
				seenNode[e.GetID()] = true
				sub.Nodes = append(sub.Nodes, e)
			}
		}
	}
	for _, tv := range truncated {
		t, ok := tv.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("truncated: want a map, got %T", tv)
		}
		n, ok := num(t["omitted"])
		if !ok {
			return nil, fmt.Errorf("truncated: omitted is %T, want a number", t["omitted"])
		}
		sub.Truncated = append(sub.Truncated, model.Truncation{NodeID: str(t, "node"), Type: model.RelType(str(t, "type")), Omitted: int(n)})
	}
	return sub, nil
}

// Paths returns up to q.Candidates paths between two entities in one round trip,
// walking only vocabulary relationships valid in the window and avoiding the given
// entities: the best of all the shortest paths, ranked in the database (highest
// lowest confidence, then most evidence, then by ids) so that which of many tied
// paths come back does not depend on storage order; then, when there are fewer
// shortest paths than candidates wanted, the best paths one hop longer, ranked the
// same way (nearShortestCypher).
//
// When the ends are linked in the window, the shortest paths are those links,
// matched between the two ends (which reads the dates of those links only);
// otherwise they come from allShortestPaths, whose search (bidirectional, the
// predicates checked as it goes) took 21-148 ms on the generated 1M-relationship
// graph where SHORTEST 12 took up to 20 s (bench/paths.sh, docs/benchmarks.md).
// With a window, the search first runs without it (reading no relationship's
// dates) and keeps the paths in the window; only when it keeps none does a second
// search check the window on every relationship it walks.
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.RawPath, error) {
	avoid := q.Avoid
	if avoid == nil {
		avoid = []string{} // never null: NOT x IN null would drop every path
	}
	params := map[string]any{"from": q.From, "to": q.To, "avoid": avoid}
	addWindow(params, q.Window)
	res, err := s.read(ctx, pathsCypher(q.Types, q.MaxLength, q.Candidates, q.Select), params)
	if err != nil {
		return nil, err
	}
	return decodePaths(res, q.Window.Known)
}

// pathOrder ranks candidate paths, given as their nodes ns and relationships rs, the
// way graph.rankPaths does: shorter, then the highest lowest confidence, then the most
// evidence, then by ids, so that the database's enumeration order never decides.
// Every candidate runs from a to b, so the ids of its first and last nodes are
// the same for all and are left out of the key (the order is the same; reading
// them was two database hits for each walk ranked), and each relationship's
// confidence is read once (CASE WHEN x.confidence < c THEN x.confidence read it
// twice when it lowered the minimum).
var pathOrder = "size(rs),\n\t\t\t\t" + lowestConfidence("rs") + " DESC,\n\t\t\t\t" + evidenceCount("rs") +
	" DESC, " + nodeIDs("ns[1..-1]") + ", " + relIDs("rs")

// pathKeys are pathOrder's keys after the length, as columns c, e, nids and rids
// of a candidate (ns, rs): the near-shortest search ranks its candidates by them
// (ORDER BY size(rs), c DESC, e DESC, nids, rids), so that the joined walks can
// bring keys computed for their halves (halfKeys).
var pathKeys = lowestConfidence("rs") + " AS c,\n\t\t\t\t" + evidenceCount("rs") + " AS e, " +
	nodeIDs("ns[1..-1]") + " AS nids, " + relIDs("rs") + " AS rids"

// halfKeys are pathKeys for a half x ({inner, rs}) of a walk joined from two: the
// walk's are the lower of the halves' c, the sum of their e (null if either is:
// as reduce gives for the whole walk) and the concatenations of their nids and
// rids, with inner the half's nodes other than a and b.
var halfKeys = "c: " + lowestConfidence("x.rs") + ",\n\t\t\t\t\te: " + evidenceCount("x.rs") +
	", nids: " + nodeIDs("x.inner") + ", rids: " + relIDs("x.rs")

// lowestConfidence, evidenceCount, nodeIDs and relIDs are the ranking's keys of the
// relationships or nodes of a Cypher list expression: written once, so that
// pathOrder, pathKeys and halfKeys cannot come to rank differently.
func lowestConfidence(rels string) string {
	return "reduce(c = 1.0, v IN [y IN " + rels + " | y.confidence] | CASE WHEN v < c THEN v ELSE c END)"
}

func evidenceCount(rels string) string {
	return "reduce(e = 0, y IN " + rels + " | e + size(y.evidenceDocs))"
}

func nodeIDs(nodes string) string { return "[n IN " + nodes + " | n.id]" }

func relIDs(rels string) string { return "[y IN " + rels + " | y.id]" }

// pathShape is what the text of a path statement depends on.
type pathShape struct {
	maxLength, candidates int
	texts, att, names     bool // the RelSelect the relationships are read under
}

// pathStatements caches the text of the path statements for all types (the
// requests' usual shape; at most MaxPathLength × MaxPaths × 4 selections of
// them): building it took about 16 µs of a path request's 50 µs of Go time in
// the Store.
var pathStatements sync.Map

// pathsCypher returns the path statement for the given types (all when empty),
// length bound, number of candidates and what is read of each relationship.
func pathsCypher(types []model.RelType, maxLength, candidates int, sel graph.RelSelect) string {
	key := pathShape{maxLength, candidates, sel.Texts, sel.Attribution, sel.Names}
	if len(types) == 0 {
		if c, ok := pathStatements.Load(key); ok {
			return c.(string)
		}
	}
	// SHORTEST k, LIMIT and the length bounds are literals: all are validated ints.
	pattern := relPattern(types)
	cypher := fmt.Sprintf(`
		MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
		// Directly linked (in the window): the shortest paths are those links. Checking
		// the relationships of one end for the other (Expand(Into)) reads no
		// relationship's dates but theirs, where the search reads every relationship
		// it walks from either end. linked: linked at all, in the window or not.
		CALL (a, b) {
			MATCH p = (a)-[r%[1]s]-(b)
			WHERE a <> b AND NOT a.id IN $avoid AND NOT b.id IN $avoid
			WITH p, nodes(p) AS ns, relationships(p) AS rs, %[3]s AS inWindow
			ORDER BY %[7]s
			RETURN collect(CASE WHEN inWindow THEN p END)[..%[4]d] AS direct, count(p) > 0 AS linked
		}
		// Filter first: the shortest paths regardless of the window (a search that
		// reads no relationship's dates), then those of them in the window. When one
		// is, they are exactly the shortest paths in the window: none is shorter (the
		// window only removes relationships), and each of that length is among them.
		// The window is checked after collect, so it cannot be planned into the search.
		CALL (a, b, direct, linked) {
			WITH a, b WHERE size(direct) = 0 AND NOT linked
			MATCH p = allShortestPaths((a)-[rs%[1]s*1..%[2]d]-(b))
			WHERE none(n IN nodes(p) WHERE n.id IN $avoid)
			RETURN collect(p) AS found
		}
		CALL (found) {
			UNWIND found AS p
			WITH p, nodes(p) AS ns, relationships(p) AS rs
			WHERE all(r IN rs WHERE %[3]s)
			ORDER BY %[7]s
			LIMIT %[4]d
			RETURN collect(p) AS kept
		}
		// Otherwise (the window removed every one of them, or the direct links), the
		// shortest paths in the window are longer: the search checks the window on
		// every relationship it walks.
		CALL (a, b, direct, linked, found, kept) {
			WITH a, b WHERE size(direct) = 0 AND size(kept) = 0 AND (linked OR size(found) > 0)
			MATCH p = allShortestPaths((a)-[rs%[1]s*1..%[2]d]-(b))
			WHERE all(r IN rs WHERE %[3]s) AND none(n IN nodes(p) WHERE n.id IN $avoid)
			WITH p, nodes(p) AS ns, rs
			ORDER BY %[7]s
			LIMIT %[4]d
			RETURN collect(p) AS longer
		}
		WITH a, b, direct + kept + longer AS best
		CALL (a, b, best) {%[6]s
		}
		// One record: each path as ids, each node and relationship once (candidate
		// paths share most of theirs), relationships naming their ends by id.
		WITH [p IN best | {nodes: nodes(p), rels: relationships(p)}] + more[..%[4]d - size(best)] AS ps
		CALL (ps) { UNWIND ps AS p UNWIND p.nodes AS n RETURN collect(DISTINCT n) AS ns }
		CALL (ps) { UNWIND ps AS p UNWIND p.rels AS r RETURN collect(DISTINCT r) AS rs }
		RETURN [p IN ps | {nodes: [n IN p.nodes | n.id], rels: [r IN p.rels | r.id]}] AS paths,
			[n IN ns | properties(n)] AS nodes, [r IN rs | %[5]s] AS rels`,
		pattern, maxLength, windowCypher, candidates, relMap(sel, true), nearShortestCypher(pattern, maxLength, candidates), pathOrder)
	if len(types) == 0 {
		pathStatements.Store(key, cypher)
	}
	return cypher
}

// decodePaths builds the paths of a path statement's record.
func decodePaths(res *neo4j.EagerResult, known time.Time) ([]graph.RawPath, error) {
	if len(res.Records) == 0 {
		return nil, nil // an endpoint is not there: the resolver looked them up first
	}
	rec := res.Records[0]
	rawPaths, err := get[[]any](rec, "paths")
	if err != nil {
		return nil, decodeErr(err)
	}
	nodes, err := get[[]any](rec, "nodes")
	if err != nil {
		return nil, decodeErr(err)
	}
	rels, err := get[[]any](rec, "rels")
	if err != nil {
		return nil, decodeErr(err)
	}
	dec := newDecoder()
	dec.known = known
	for _, n := range nodes {
		m, ok := n.(map[string]any)
		if !ok {
			return nil, decodeErr(fmt.Errorf("nodes: want a map, got %T", n))
		}
		dec.entity(m)
	}
	for _, rv := range rels {
		if _, err := dec.relationship(rv); err != nil {
			return nil, decodeErr(err)
		}
	}
	paths := make([]graph.RawPath, 0, len(rawPaths))
	for _, pv := range rawPaths {
		pm, ok := pv.(map[string]any)
		if !ok {
			return nil, decodeErr(fmt.Errorf("paths: want a map, got %T", pv))
		}
		var p graph.RawPath
		for _, id := range strs(pm, "nodes") {
			p.Nodes = append(p.Nodes, dec.entities[id])
		}
		for _, id := range strs(pm, "rels") {
			p.Rels = append(p.Rels, dec.rels[id])
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// nearShortestCypher is the body of the Paths statement's subquery that adds, when
// there are fewer shortest paths (best, of length L) than candidates wanted, the
// best paths of length L+1, as {nodes, rels} maps in "more". Up to 4 hops they come
// from two halves that meet in the middle, L+1 = left + right hops, walked from
// each end and joined on the middle node (USING JOIN; for an odd length the end with
// fewer relationships walks the longer half): between two entities with a
// few relationships each, whose neighbours are hubs, that found all 102-175 paths of
// length 3 in 59-365 ms on the generated 1M graph, where SHORTEST 12 took 8-10 s to
// find 11 of them (bench/pathtime -scan). All are ranked like the shortest ones
// (pathKeys, the keys of pathOrder; a joined walk's from its halves' halfKeys), so
// which come back does not depend on storage order. Longer ones (maxLength 5 and 6)
// come from SHORTEST k.
func nearShortestCypher(types string, maxLength, candidates int) string {
	var branches []string
	for l := 1; l < maxLength; l++ {
		n := l + 1
		if n <= 4 {
			// An odd length splits unevenly: the end with fewer relationships walks
			// the longer half (two hops from a hub reach millions of walks; from
			// an entity with a few relationships, its neighbours' relationships).
			type half struct {
				cond string // when a walks this many hops
				left int
			}
			halves := []half{{"", n / 2}}
			if n%2 == 1 {
				halves = []half{{" AND COUNT { (a)--() } > COUNT { (b)--() }", n / 2}, {" AND COUNT { (a)--() } <= COUNT { (b)--() }", n - n/2}}
			}
			for _, h := range halves {
				branches = append(branches, fmt.Sprintf(`
				WITH a, b, best WHERE length(best[0]) = %[1]d%[6]s
				// Each half's own conditions, so that they are checked as it is walked,
				// before the join, not on every joined walk.
				MATCH pl = (a)-[ls%[2]s*%[3]d]-(m), pr = (b)-[rrs%[2]s*%[4]d]-(m)
				USING JOIN ON m
				WHERE all(r IN ls WHERE %[5]s) AND all(r IN rrs WHERE %[5]s)
					AND none(x IN nodes(pl) WHERE x.id IN $avoid) AND none(x IN nodes(pr) WHERE x.id IN $avoid)
				// The joined halves grouped by their middle node, each once, so that the
				// ranking's keys (halfKeys) are read once for each half, not for each
				// joined walk (a half is in as many as the other side has halves there).
				// Their product gives back the joined walks, and the pairs the join left
				// out for sharing a relationship: those repeat an entity, dropped below.
				// The middle node is an entity, checked once for each (one hit each: on
				// either half, before the join, it was one for each of its walks).
				WITH a, b, m, collect(DISTINCT pl) AS lefts, collect(DISTINCT pr) AS rights
				WHERE m:Entity
				// Each half as the nodes between the ends (the middle node in the left
				// one) and its relationships, from a to b.
				WITH a, b, [p IN lefts | {inner: nodes(p)[1..], rs: relationships(p)}] AS lefts,
					[p IN rights | {inner: reverse(nodes(p))[1..-1], rs: reverse(relationships(p))}] AS rights
				WITH a, b, [x IN lefts | x {.*, %[7]s}] AS lefts, [x IN rights | x {.*, %[7]s}] AS rights
				UNWIND lefts AS l
				UNWIND rights AS r
				WITH [a] + l.inner + r.inner + [b] AS ns, l.rs + r.rs AS rs, CASE WHEN r.c < l.c THEN r.c ELSE l.c END AS c,
					l.e + r.e AS e, l.nids + r.nids AS nids, l.rids + r.rids AS rids
				// A path, not a walk: no entity twice.
				WHERE size(reduce(u = [], x IN ns | CASE WHEN x IN u THEN u ELSE u + [x] END)) = size(ns)
				RETURN ns, rs, c, e, nids, rids`, l, types, h.left, n-h.left, windowCypher, h.cond, halfKeys))
			}
			continue
		}
		branches = append(branches, fmt.Sprintf(`
				WITH a, b, best WHERE length(best[0]) = %[1]d
				MATCH p = SHORTEST %[2]d (a) ((qa:Entity)-[r%[3]s]-(qb:Entity) WHERE %[4]s AND NOT qb.id IN $avoid AND NOT qa.id IN $avoid){%[5]d,%[6]d} (b)
				WITH nodes(p) AS ns, relationships(p) AS rs
				RETURN ns, rs, %[7]s`, l, candidates, types, windowCypher, n, maxLength, pathKeys))
	}
	if len(branches) == 0 { // maxLength 1: nothing is longer
		return "\n\t\t\tRETURN [] AS more"
	}
	return fmt.Sprintf(`
			CALL (a, b, best) {
				WITH a, b, best WHERE 0 < size(best) < %[1]d
				CALL (a, b, best) {%[2]s
				}
				RETURN ns, rs, c, e, nids, rids
			}
			WITH ns, rs ORDER BY size(rs), c DESC, e DESC, nids, rids
			LIMIT %[1]d
			RETURN collect({nodes: ns, rels: rs}) AS more`, candidates, strings.Join(branches, "\n\t\t\t\tUNION ALL"))
}

// Timeline returns an entity's dated relationships and the dated meetings it took
// part in, oldest first, in one round trip (a merged-away id answers its survivor).
func (s *Store) Timeline(ctx context.Context, q graph.TimelineQuery) ([]model.TimelineEvent, error) {
	return orSurvivor(ctx, s, q.ID, func(id string) ([]model.TimelineEvent, error) {
		q.ID = id
		return s.timeline(ctx, q)
	})
}

func (s *Store) timeline(ctx context.Context, q graph.TimelineQuery) ([]model.TimelineEvent, error) {
	params := map[string]any{"id": q.ID, "first": q.First}
	addWindow(params, q.Window)
	res, err := s.read(ctx, fmt.Sprintf(`
		MATCH (e:Entity {id: $id})
		OPTIONAL CALL (e) {
			MATCH (e)-[r%[1]s]-(:Entity)
			WHERE r.validFromDate IS NOT NULL AND %[2]s
				AND NOT (type(r) = 'PARTICIPATED_IN' AND startNode(r) = e) // the meeting branch has these
			RETURN r.validFromDate AS day, r.validFrom AS date, %[3]s AS rel, null AS meeting
			UNION ALL
			MATCH (e)-[r:PARTICIPATED_IN]->(m:Meeting)
			WHERE %[4]s AND ($known IS NULL OR r.knownFrom <= $known)
			RETURN m.startFrom AS day, m.start AS date, null AS rel, properties(m) AS meeting
		}
		WITH e, day, date, rel, meeting ORDER BY day, coalesce(meeting.name, rel.type) LIMIT $first
		RETURN properties(e) AS e, collect(CASE WHEN day IS NOT NULL THEN {date: date, rel: rel, meeting: meeting} END) AS events`,
		relPattern(nil), windowCypher, relMap(q.Select, false), meetingWindowCypher("m")), params)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no entity with id %q", q.ID)
	}
	e, err := get[map[string]any](res.Records[0], "e")
	if err != nil {
		return nil, decodeErr(err)
	}
	dec := newDecoder()
	dec.known = q.Window.Known
	self := dec.entity(e)
	if self == nil {
		return nil, decodeErr(fmt.Errorf("timeline of %s: not an entity of the model", q.ID))
	}
	rows, err := get[[]any](res.Records[0], "events")
	if err != nil {
		return nil, decodeErr(err)
	}
	events := []model.TimelineEvent{}
	for _, row := range rows {
		m, ok := row.(map[string]any)
		if !ok {
			return nil, decodeErr(fmt.Errorf("events: want a map, got %T", row))
		}
		ev := model.TimelineEvent{Date: model.DateOrNil(str(m, "date"))}
		if ev.Date == nil {
			continue
		}
		if mt, ok := m["meeting"].(map[string]any); ok {
			meeting, _ := dec.entity(mt).(*model.Meeting)
			ev.Meeting = meeting
			ev.Summary = fmt.Sprintf("%s took part in %s", self.GetName(), meeting.Name)
			if meeting.Place != nil && !strings.Contains(meeting.Name, *meeting.Place) {
				ev.Summary += " in " + *meeting.Place
			}
		} else if m["rel"] != nil {
			r, err := dec.relationship(m["rel"])
			if err != nil {
				return nil, decodeErr(err)
			}
			ev.Relationship = r
			ev.Summary = fmt.Sprintf("%s %s %s", r.From.GetName(), r.Verb, r.To.GetName())
		}
		events = append(events, ev)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Date.First().Before(events[j].Date.First()) })
	return events, nil
}
