package neo4jstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// maxChangeRels caps the relationships one changes statement reads per list
// asked for: around a hub, a long period holds more than anyone reads.
const maxChangeRels = 3

// changesCypher returns the statement of Changes for a depth (a validated int,
// so a literal): the relationships within depth hops of the centre whose
// effective dates start or end in $from..$to or that were first reported then,
// and the policies within depth hops (the centre included).
func changesCypher(depth int) string {
	return fmt.Sprintf(`
		MATCH (c:Entity {id: $id})
		CALL (c) {
			MATCH (c)-[rs%[1]s*1..%[2]d]-(:Entity)
			UNWIND rs AS r
			WITH DISTINCT r
			WHERE (r.dateSource IN ['STATED', 'ENDPOINT'] AND $from <= r.effFrom <= $to)
				OR $from <= r.effTo <= $to
				OR $from <= r.knownFrom <= $to
			WITH r ORDER BY coalesce(r.effFrom, r.knownFrom), r.id LIMIT $cap
			RETURN collect(%[3]s) AS rels
		}
		CALL (c) {
			MATCH (c)-[%[1]s*0..%[2]d]-(p:Policy)
			WITH DISTINCT p LIMIT $cap
			RETURN collect(properties(p)) AS policies
		}
		RETURN rels, policies`, relPattern(nil), depth, relProjection)
}

// Changes returns what changed around q.ID between q.From and q.To: each list
// oldest first and cut at q.First (a merged-away id answers its survivor).
func (s *Store) Changes(ctx context.Context, q graph.ChangesQuery) (*model.Changes, error) {
	return orSurvivor(ctx, s, q.ID, func(id string) (*model.Changes, error) {
		q.ID = id
		return s.changes(ctx, q)
	})
}

func (s *Store) changes(ctx context.Context, q graph.ChangesQuery) (*model.Changes, error) {
	params := map[string]any{"id": q.ID, "from": neo4j.DateOf(q.From), "to": neo4j.DateOf(q.To), "cap": q.First * maxChangeRels}
	res, err := s.read(ctx, changesCypher(q.Depth), params)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no entity with id %q", q.ID)
	}
	rels, err := get[[]any](res.Records[0], "rels")
	if err != nil {
		return nil, decodeErr(err)
	}
	policies, err := get[[]any](res.Records[0], "policies")
	if err != nil {
		return nil, decodeErr(err)
	}
	out := &model.Changes{Started: []model.Relationship{}, Ended: []model.Relationship{}, Reported: []model.Relationship{}, Policies: []model.PolicyChange{}}
	in := func(d *model.PartialDate) bool {
		return d != nil && !d.First().Before(q.From) && !d.First().After(q.To)
	}
	dec := newDecoder()
	for _, rv := range rels {
		r, err := dec.relationship(rv)
		if err != nil {
			return nil, decodeErr(err)
		}
		dates := r.Dates
		if (dates.Source == model.DatesStated || dates.Source == model.DatesFromEndpoint) && in(dates.From) {
			out.Started = append(out.Started, *r)
		}
		if in(dates.To) {
			out.Ended = append(out.Ended, *r)
		}
		if in(dates.KnownFrom) {
			out.Reported = append(out.Reported, *r)
		}
	}
	for _, pv := range policies {
		m, ok := pv.(map[string]any)
		if !ok {
			return nil, decodeErr(fmt.Errorf("policies: want a map, got %T", pv))
		}
		p, ok := dec.entity(m).(*model.Policy)
		if !ok {
			continue
		}
		out.Policies = append(out.Policies, policyChanges(p, in)...)
	}
	byDay := func(d *model.PartialDate) time.Time {
		if d == nil {
			return time.Time{}
		}
		return d.First()
	}
	sort.SliceStable(out.Started, func(i, j int) bool { return byDay(out.Started[i].Dates.From).Before(byDay(out.Started[j].Dates.From)) })
	sort.SliceStable(out.Ended, func(i, j int) bool { return byDay(out.Ended[i].Dates.To).Before(byDay(out.Ended[j].Dates.To)) })
	sort.SliceStable(out.Reported, func(i, j int) bool {
		return byDay(out.Reported[i].Dates.KnownFrom).Before(byDay(out.Reported[j].Dates.KnownFrom))
	})
	sort.SliceStable(out.Policies, func(i, j int) bool {
		a, b := out.Policies[i], out.Policies[j]
		return a.Date.First().Before(b.Date.First()) || (a.Date.First().Equal(b.Date.First()) && a.Policy.ID < b.Policy.ID)
	})
	out.Started, out.Ended, out.Reported = firstN(out.Started, q.First), firstN(out.Ended, q.First), firstN(out.Reported, q.First)
	out.Policies = firstN(out.Policies, q.First)
	return out, nil
}

// policyChanges returns the milestones and status history entries of p that in
// accepts.
func policyChanges(p *model.Policy, in func(*model.PartialDate) bool) []model.PolicyChange {
	var out []model.PolicyChange
	for _, m := range []struct {
		what string
		date *model.PartialDate
	}{{"ANNOUNCED", p.Announced}, {"IN_FORCE", p.InForce}, {"SUSPENDED", p.Suspended}, {"ENDED", p.Ended}} {
		if in(m.date) {
			out = append(out, model.PolicyChange{Policy: p, Date: m.date, What: m.what})
		}
	}
	for _, c := range p.StatusHistory {
		if in(c.Date) {
			status := c.Status
			out = append(out, model.PolicyChange{Policy: p, Date: c.Date, What: "STATUS", Status: &status})
		}
	}
	return out
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}
