package graph

import (
	"context"

	"tradegraph/graph/model"
)

// Helpers of the resolvers, kept out of the *.resolvers.go files that gqlgen rewrites.

// listFilter is the common shape of the per-kind list filters.
type listFilter struct {
	types, statuses []string
	nameContains    string
	during          *model.DateRange
}

func filterOf(f any) listFilter {
	switch f := f.(type) {
	case *model.ActorFilter:
		if f != nil {
			return listFilter{types: f.Types, nameContains: derefStr(f.NameContains)}
		}
	case *model.MeetingFilter:
		if f != nil {
			return listFilter{types: f.Types, nameContains: derefStr(f.NameContains), during: f.During}
		}
	case *model.CommodityFilter:
		if f != nil {
			return listFilter{types: f.Types, nameContains: derefStr(f.NameContains)}
		}
	case *model.PolicyFilter:
		if f != nil {
			return listFilter{types: f.Types, statuses: f.Statuses, nameContains: derefStr(f.NameContains)}
		}
	}
	return listFilter{}
}

type entityPage struct{ *EntityPage }

func (p entityPage) pageInfo() *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: p.HasNextPage}
	if n := len(p.Cursors); n > 0 {
		pi.EndCursor = &p.Cursors[n-1]
	}
	return pi
}

func (r *queryResolver) entities(ctx context.Context, kind model.Kind, f listFilter, first *int, after *string) (entityPage, error) {
	n, err := intArg("first", first, 20, MaxPageSize)
	if err != nil {
		return entityPage{}, err
	}
	w, err := window(nil, f.during, nil)
	if err != nil {
		return entityPage{}, err
	}
	page, err := r.Store.Entities(ctx, EntityQuery{
		PageQuery: PageQuery{First: n, After: derefStr(after), WantTotal: selected(ctx, "totalCount")},
		Kind:      kind, Types: f.types, Statuses: f.statuses, NameContains: f.nameContains, During: w,
	})
	return entityPage{page}, err
}

func (r *queryResolver) paths(ctx context.Context, from, to string, maxLength *int, types []model.RelType, avoid []string, first *int, asOf *model.DateInput, during *model.DateRange, knownAsOf *model.DateInput) (*model.PathResult, error) {
	q := PathQuery{Types: types, Avoid: avoid}
	var err error
	if q.MaxLength, err = intArg("maxLength", maxLength, DefaultPathLength, MaxPathLength); err != nil {
		return nil, err
	}
	n, err := intArg("first", first, DefaultPaths, MaxPaths)
	if err != nil {
		return nil, err
	}
	if q.Window, err = window(asOf, during, knownAsOf); err != nil {
		return nil, err
	}
	a, b, err := resolveEndpoints(ctx, r.Store, from, to)
	if err != nil {
		return nil, err
	}
	res := &model.PathResult{From: a, To: b, Paths: []model.Path{}}
	if a.GetID() == b.GetID() {
		return nil, Errorf(EINVALID, "from and to are the same entity %s", a.GetID())
	}
	q.From, q.To, q.Candidates = a.GetID(), b.GetID(), PathCandidates(n)
	cands, err := r.Store.Paths(ctx, q)
	if err != nil {
		return nil, err
	}
	res.Paths = rankPaths(cands, n)
	return res, nil
}

// vocabulary lists the relationship types for clients.
func vocabulary() []model.RelTypeInfo {
	out := make([]model.RelTypeInfo, 0, len(model.Vocabulary))
	for _, s := range model.Vocabulary {
		out = append(out, model.RelTypeInfo{Type: s.Type, From: kindEnums(s.From), To: kindEnums(s.To), Verb: s.Verb, Description: s.Description})
	}
	return out
}

func kindEnums(ks []model.Kind) []model.EntityKind {
	out := make([]model.EntityKind, len(ks))
	for i, k := range ks {
		out[i] = model.EnumOf(k)
	}
	return out
}

func entityRecord(in model.EntityInput) (model.EntityRecord, error) {
	ks, err := kindsFromEnum([]model.EntityKind{in.Kind})
	if err != nil {
		return model.EntityRecord{}, err
	}
	return model.EntityRecord{
		ID: in.ID, Kind: string(ks[0]), Type: in.Type, Name: in.Name, Aliases: in.Aliases,
		Description: derefStr(in.Description), Role: derefStr(in.Role), Start: dateText(in.Start), End: dateText(in.End),
		Place: derefStr(in.Place), Category: derefStr(in.Category), Uses: in.Uses, Status: derefStr(in.Status),
		Rate: in.Rate, Unit: derefStr(in.Unit),
		Announced: dateText(in.Announced), InForce: dateText(in.InForce), Suspended: dateText(in.Suspended), Ended: dateText(in.Ended),
		StatusHistory: statusHistory(in.StatusHistory),
	}, nil
}

func relationshipRecord(in model.RelationshipInput) model.RelationshipRecord {
	r := model.RelationshipRecord{
		Type: string(in.Type), From: in.From, To: in.To, ValidFrom: dateText(in.ValidFrom), ValidTo: dateText(in.ValidTo),
		Confidence: in.Confidence, AttributedTo: derefStr(in.AttributedTo), Note: derefStr(in.Note),
	}
	for _, ev := range in.Evidence {
		r.Evidence = append(r.Evidence, model.Evidence{Doc: ev.Doc, Sentence: ev.Sentence, Quote: ev.Quote})
	}
	return r
}

func statusHistory(in []model.PolicyStatusChangeInput) []model.StatusChange {
	var out []model.StatusChange
	for _, c := range in {
		out = append(out, model.StatusChange{Date: c.Date.Text, Status: c.Status})
	}
	return out
}

// policyStatus is Policy.status: the current status, or with asOf the status on
// asOf's last day (nil before the policy's lifetime).
func policyStatus(p *model.Policy, asOf *model.DateInput) *string {
	if asOf == nil {
		return p.Status
	}
	if s := p.StatusAsOf(asOf.Last()); s != "" {
		return &s
	}
	return nil
}

// MaxChangesDepth is the deepest neighbourhood Query.changes looks at.
const MaxChangesDepth = 2

func (r *queryResolver) changes(ctx context.Context, id string, from, to model.DateInput, depth, first *int) (*model.Changes, error) {
	q := ChangesQuery{ID: id, From: from.First(), To: to.Last()}
	var err error
	if q.Depth, err = intArg("depth", depth, 1, MaxChangesDepth); err != nil {
		return nil, err
	}
	if q.First, err = intArg("first", first, 20, MaxTimeline); err != nil {
		return nil, err
	}
	if q.To.Before(q.From) {
		return nil, Errorf(EINVALID, "changes: to %s is before from %s", to.Text, from.Text)
	}
	return r.Store.Changes(ctx, q)
}
