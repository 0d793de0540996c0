package neo4jstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// maxFrontier caps how many nodes one level of a neighbourhood expands, whatever
// the per-type caps allow, so that depth 3 around a hub stays bounded.
const maxFrontier = 200

// neighborhoodCypher builds the one statement of a neighbourhood of the given
// depth: each level expands its frontier, keeping at most $cap relationships of each
// type per node (strongest first) and counting the rest.
func neighborhoodCypher(depth int, pattern string) string {
	level := func(i int, frontier string) string {
		return fmt.Sprintf(`
		CALL (%[2]s) {
			UNWIND %[2]s AS f
			WITH DISTINCT f LIMIT %[4]d
			MATCH (f)-[r%[3]s]-(m:Entity) WHERE %[5]s
			WITH f, type(r) AS t, r ORDER BY r.confidence DESC, r.id
			WITH f, t, collect(r) AS rs
			// Only the kept relationships are projected (evidence sentences looked up,
			// endpoints read): a hub has thousands of the others.
			RETURN collect({node: f.id, type: t, omitted: size(rs) - size(rs[0..$cap]),
				kept: [r IN rs[0..$cap] | {rel: %[6]s, m: CASE WHEN startNode(r) = f THEN endNode(r) ELSE startNode(r) END}]}) AS g%[1]d
		}`, i, frontier, pattern, maxFrontier, windowCypher, relProjection)
	}
	var b strings.Builder
	b.WriteString("MATCH (c:Entity {id: $id})\nWITH c, [c] AS f0")
	seen := "[c]"
	groups := []string{}
	for i := 1; i <= depth; i++ {
		b.WriteString(level(i, fmt.Sprintf("f%d", i-1)))
		groups = append(groups, fmt.Sprintf("g%d", i))
		if i < depth {
			// The next frontier: nodes reached at this level and not seen before.
			fmt.Fprintf(&b, `
		WITH c, %[1]s, %[2]s + f%[3]d AS seen%[4]d,
			[x IN reduce(acc = [], g IN g%[4]d | acc + [k IN g.kept | k.m]) WHERE NOT x IN (%[2]s + f%[3]d)] AS f%[4]d`,
				strings.Join(groups, ", "), seen, i-1, i)
			seen = fmt.Sprintf("seen%d", i)
		}
	}
	fmt.Fprintf(&b, "\nRETURN properties(c) AS center, %s AS groups", strings.Join(groups, " + "))
	return b.String()
}

// Neighborhood returns the capped subgraph around q.ID in one round trip.
func (s *Store) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (*model.Subgraph, error) {
	params := map[string]any{"id": q.ID, "cap": q.LimitPerType}
	addWindow(params, q.Window)
	res, err := s.read(ctx, neighborhoodCypher(q.Depth, relPattern(q.Types)), params)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no entity with id %q", q.ID)
	}
	rec := res.Records[0]
	c, _, _ := neo4j.GetRecordValue[map[string]any](rec, "center")
	groups, _, _ := neo4j.GetRecordValue[[]any](rec, "groups")
	dec := newDecoder()
	center := dec.entity(c)
	sub := &model.Subgraph{Center: center, Nodes: []model.Entity{center}, Edges: []model.Relationship{}, Truncated: []model.Truncation{}}
	seenNode := map[string]bool{center.GetID(): true}
	seenRel := map[string]bool{}
	for _, gv := range groups {
		g := gv.(map[string]any)
		if n, _ := num(g["omitted"]); n > 0 {
			sub.Truncated = append(sub.Truncated, model.Truncation{NodeID: str(g, "node"), Type: model.RelType(str(g, "type")), Omitted: int(n)})
		}
		kept, _ := g["kept"].([]any)
		for _, kv := range kept {
			r, err := dec.relationship(kv.(map[string]any)["rel"])
			if err != nil {
				return nil, err
			}
			if !seenRel[r.ID] {
				seenRel[r.ID] = true
				sub.Edges = append(sub.Edges, *r)
			}
			for _, e := range []model.Entity{r.From, r.To} {
				if !seenNode[e.GetID()] {
					seenNode[e.GetID()] = true
					sub.Nodes = append(sub.Nodes, e)
				}
			}
		}
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

// Paths returns up to q.Candidates paths between two entities in one round trip,
// walking only vocabulary relationships valid in the window and avoiding the given
// entities: the best of all the shortest paths, ranked in the database (highest
// lowest confidence, then most evidence, then by ids) so that which of many tied
// paths come back does not depend on storage order; then, when there are fewer
// shortest paths than candidates wanted, the next shortest ones (SHORTEST k).
//
// The shortest ones come from allShortestPaths, whose search (bidirectional, the
// predicates checked as it goes) took 21-148 ms on the generated 1M-relationship
// graph where SHORTEST 12 took up to 20 s (bench/paths.sh, docs/benchmarks.md).
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.RawPath, error) {
	avoid := q.Avoid
	if avoid == nil {
		avoid = []string{} // never null: NOT x IN null would drop every path
	}
	params := map[string]any{"from": q.From, "to": q.To, "avoid": avoid}
	addWindow(params, q.Window)
	// SHORTEST k, LIMIT and the length bounds are literals: all are validated ints.
	types := relPattern(q.Types)
	cypher := fmt.Sprintf(`
		MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
		CALL (a, b) {
			MATCH p = allShortestPaths((a)-[rs%[1]s*1..%[2]d]-(b))
			WHERE all(r IN rs WHERE %[3]s) AND none(n IN nodes(p) WHERE n.id IN $avoid)
			WITH p, reduce(c = 1.0, x IN rs | CASE WHEN x.confidence < c THEN x.confidence ELSE c END) AS conf,
				reduce(e = 0, x IN rs | e + size(x.evidenceDocs)) AS ev
			ORDER BY conf DESC, ev DESC, [n IN nodes(p) | n.id], [x IN rs | x.id]
			LIMIT %[4]d
			RETURN collect(p) AS best
		}
		CALL (a, b, best) {
			WITH a, b, best WHERE size(best) < %[4]d
			MATCH p = SHORTEST %[4]d (a) ((qa:Entity)-[r%[1]s]-(qb:Entity) WHERE %[3]s AND NOT qb.id IN $avoid AND NOT qa.id IN $avoid){1,%[2]d} (b)
			WITH best, p WHERE length(p) > length(best[0])
			RETURN collect(p) AS more
		}
		// One record: each path as ids, each node and relationship once (candidate
		// paths share most of theirs), relationships naming their ends by id.
		WITH best + more AS ps
		CALL (ps) { UNWIND ps AS p UNWIND nodes(p) AS n RETURN collect(DISTINCT n) AS ns }
		CALL (ps) { UNWIND ps AS p UNWIND relationships(p) AS r RETURN collect(DISTINCT r) AS rs }
		RETURN [p IN ps | {nodes: [n IN nodes(p) | n.id], rels: [r IN relationships(p) | r.id]}] AS paths,
			[n IN ns | properties(n)] AS nodes, [r IN rs | %[5]s] AS rels`,
		types, q.MaxLength, windowCypher, q.Candidates, relByIDProjection)
	res, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, nil // an endpoint is not there: the resolver looked them up first
	}
	rec := res.Records[0]
	rawPaths, _, _ := neo4j.GetRecordValue[[]any](rec, "paths")
	nodes, _, _ := neo4j.GetRecordValue[[]any](rec, "nodes")
	rels, _, _ := neo4j.GetRecordValue[[]any](rec, "rels")
	dec := newDecoder()
	for _, n := range nodes {
		dec.entity(n.(map[string]any))
	}
	for _, rv := range rels {
		if _, err := dec.relationship(rv); err != nil {
			return nil, err
		}
	}
	paths := make([]graph.RawPath, 0, len(rawPaths))
	for _, pv := range rawPaths {
		pm := pv.(map[string]any)
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

// Timeline returns an entity's dated relationships and the dated meetings it took
// part in, oldest first, in one round trip.
func (s *Store) Timeline(ctx context.Context, q graph.TimelineQuery) ([]model.TimelineEvent, error) {
	params := map[string]any{"id": q.ID, "first": q.First}
	addWindow(params, q.Window)
	res, err := s.read(ctx, fmt.Sprintf(`
		MATCH (e:Entity {id: $id})
		CALL (e) {
			MATCH (e)-[r%[1]s]-(:Entity)
			WHERE r.validFromDate IS NOT NULL AND %[2]s
				AND NOT (type(r) = 'PARTICIPATED_IN' AND startNode(r) = e) // the meeting branch has these
			RETURN r.validFromDate AS day, r.validFrom AS date, %[3]s AS rel, null AS meeting
			UNION ALL
			MATCH (e)-[:PARTICIPATED_IN]->(m:Meeting)
			WHERE m.startFrom IS NOT NULL
				AND ($wFrom IS NULL OR coalesce(m.endTo, m.startFrom) >= $wFrom) AND ($wTo IS NULL OR m.startFrom <= $wTo)
			RETURN m.startFrom AS day, m.start AS date, null AS rel, properties(m) AS meeting
		}
		WITH e, day, date, rel, meeting ORDER BY day, coalesce(meeting.name, rel.type) LIMIT $first
		RETURN properties(e) AS e, collect({date: date, rel: rel, meeting: meeting}) AS events`,
		relPattern(nil), windowCypher, relProjection), params)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no entity with id %q", q.ID)
	}
	e, _, _ := neo4j.GetRecordValue[map[string]any](res.Records[0], "e")
	dec := newDecoder()
	self := dec.entity(e)
	rows, _, _ := neo4j.GetRecordValue[[]any](res.Records[0], "events")
	events := []model.TimelineEvent{}
	for _, row := range rows {
		m := row.(map[string]any)
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
				return nil, err
			}
			ev.Relationship = r
			ev.Summary = fmt.Sprintf("%s %s %s", r.From.GetName(), r.Verb, r.To.GetName())
		}
		events = append(events, ev)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Date.First().Before(events[j].Date.First()) })
	return events, nil
}
