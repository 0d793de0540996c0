package graph

import (
	"tradegraph/graph/model"
)

// The resolvers' arguments: their limits and defaults, and the mapping of GraphQL
// arguments and inputs onto Store queries and model records. Nothing here does
// I/O; fetch.go fetches. Both hold helpers kept out of the *.resolvers.go files,
// which gqlgen rewrites.

// Limits of the API's arguments. Larger values are refused, not clamped, so a
// client learns the limit instead of silently getting less.
const (
	MaxPageSize     = 100
	MaxSearchHits   = 50
	MaxDepth        = 3
	MaxLimitPerType = 50
	MaxNodes        = 2000
	MaxPathLength   = 6
	MaxPaths        = 10
	MaxTimeline     = 200
)

// Defaults of the traversal arguments, as the schema declares them.
const (
	// DefaultMaxNodes is the node cap of a neighbourhood when the request sets none.
	DefaultMaxNodes     = 300
	DefaultLimitPerType = 10
	DefaultPathLength   = 4
	DefaultPaths        = 3
)

// PathCandidates is how many candidate paths a request for first paths asks the
// Store for: more than wanted, so that near-duplicates can be dropped.
func PathCandidates(first int) int { return 4 * first }

// intArg returns *v (or def when nil), refusing values outside 1..max.
func intArg(name string, v *int, def, max int) (int, error) {
	n := def
	if v != nil {
		n = *v
	}
	if n < 1 || n > max {
		return 0, Errorf(EINVALID, "%s must be between 1 and %d, got %d", name, max, n)
	}
	return n, nil
}

// window turns asOf / during / knownAsOf arguments into a Window. asOf "2025-05"
// covers all of May 2025; during covers from its first day to its last; knownAsOf
// "2025-07" keeps what was published by 31 July 2025.
func window(asOf *model.DateInput, during *model.DateRange, knownAsOf *model.DateInput) (Window, error) {
	if asOf != nil && during != nil {
		return Window{}, Errorf(EINVALID, "give asOf or during, not both")
	}
	var w Window
	if asOf != nil {
		w = Window{From: asOf.First(), To: asOf.Last()}
	}
	if during != nil {
		if during.From != nil {
			w.From = during.From.First()
		}
		if during.To != nil {
			w.To = during.To.Last()
		}
		if !w.From.IsZero() && !w.To.IsZero() && w.To.Before(w.From) {
			return Window{}, Errorf(EINVALID, "during: to is before from")
		}
	}
	if knownAsOf != nil {
		w.Known = knownAsOf.Last()
	}
	return w, nil
}

func kindsFromEnum(ks []model.EntityKind) ([]model.Kind, error) {
	out := make([]model.Kind, 0, len(ks))
	for _, k := range ks {
		mk, ok := model.KindOf(k)
		if !ok || mk == model.KindDocument {
			return nil, Errorf(EINVALID, "kinds: %s is not an entity kind", k)
		}
		out = append(out, mk)
	}
	return out, nil
}

func derefStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dateText(d *model.DateInput) string {
	if d == nil {
		return ""
	}
	return d.Text
}

// listFilter is the common shape of the per-kind list filters.
type listFilter struct {
	types, statuses []string
	nameContains    string
	during          *model.DateRange
	asOf, knownAsOf *model.DateInput
}

func filterOf(f any) listFilter {
	switch f := f.(type) {
	case *model.ActorFilter:
		if f != nil {
			return listFilter{types: f.Types, nameContains: derefStr(f.NameContains), knownAsOf: f.KnownAsOf}
		}
	case *model.MeetingFilter:
		if f != nil {
			return listFilter{types: f.Types, nameContains: derefStr(f.NameContains), during: f.During, asOf: f.AsOf, knownAsOf: f.KnownAsOf}
		}
	case *model.CommodityFilter:
		if f != nil {
			return listFilter{types: f.Types, nameContains: derefStr(f.NameContains), knownAsOf: f.KnownAsOf}
		}
	case *model.PolicyFilter:
		if f != nil {
			return listFilter{types: f.Types, statuses: f.Statuses, nameContains: derefStr(f.NameContains), asOf: f.AsOf, knownAsOf: f.KnownAsOf}
		}
	}
	return listFilter{}
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

func statusHistory(in []model.PolicyStatusChangeInput) []model.StatusChange {
	var out []model.StatusChange
	for _, c := range in {
		out = append(out, model.StatusChange{Date: c.Date.Text, Status: c.Status})
	}
	return out
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
