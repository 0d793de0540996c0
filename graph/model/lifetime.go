package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Span is a run of whole days, both ends included. A zero From or To leaves that
// side open: the span began before anything is known, or has not ended.
type Span struct {
	From, To time.Time
}

// Contains reports whether day d lies in s.
func (s Span) Contains(d time.Time) bool {
	return (s.From.IsZero() || !d.Before(s.From)) && (s.To.IsZero() || !d.After(s.To))
}

// Overlaps reports whether s and o share a day.
func (s Span) Overlaps(o Span) bool {
	return (s.To.IsZero() || o.From.IsZero() || !s.To.Before(o.From)) &&
		(o.To.IsZero() || s.From.IsZero() || !o.To.Before(s.From))
}

// Intersect returns the days s and o share, and false when they share none.
func (s Span) Intersect(o Span) (Span, bool) {
	out := s
	if out.From.IsZero() || (!o.From.IsZero() && o.From.After(out.From)) {
		out.From = o.From
	}
	if out.To.IsZero() || (!o.To.IsZero() && o.To.Before(out.To)) {
		out.To = o.To
	}
	return out, out.From.IsZero() || out.To.IsZero() || !out.To.Before(out.From)
}

// Open reports whether s says nothing: both sides open.
func (s Span) Open() bool { return s.From.IsZero() && s.To.IsZero() }

// String writes s as "2025-05-01..2025-05-31", with ".." alone for an open side.
func (s Span) String() string {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return day(s.From) + ".." + day(s.To)
}

// DateSource says where a relationship's effective dates came from.
type DateSource string

// The sources of a relationship's dates, most direct first.
const (
	// DatesStated: the relationship's own validFrom/validTo.
	DatesStated DateSource = "STATED"
	// DatesFromEndpoint: an endpoint's lifetime (a meeting's dates, a policy's
	// milestones) bounds the relationship.
	DatesFromEndpoint DateSource = "ENDPOINT"
	// DatesFromEvidence: nothing dates the fact itself; it holds from when its
	// earliest evidence was published.
	DatesFromEvidence DateSource = "EVIDENCE"
	// DatesUnknown: no date at all; a time window never includes the fact.
	DatesUnknown DateSource = "UNKNOWN"
)

// StatusChange is one dated entry of a policy's status history.
type StatusChange struct {
	Date   string `yaml:"date" json:"date"`
	Status string `yaml:"status" json:"status"`
}

// span returns the days a partial date covers, or an open span for "".
func span(from, to string) Span {
	var s Span
	if d, err := ParseDate(from); err == nil {
		s.From = d.First()
	}
	if d, err := ParseDate(to); err == nil {
		s.To = d.Last()
	}
	return s
}

// Lifetime returns the days an entity exists: a meeting from its start to its end
// (its start's last day when it has no end), a policy from its first milestone
// (announced, in force or the first status change) to the last day of `ended`.
// Actors and commodities, and entities with no dates, have an open lifetime.
func (e EntityRecord) Lifetime() Span {
	switch Kind(e.Kind) {
	case KindMeeting:
		if e.Start == "" {
			return Span{}
		}
		end := e.End
		if end == "" {
			end = e.Start
		}
		return span(e.Start, end)
	case KindPolicy:
		var s Span
		for _, d := range e.policyDates() {
			if p, err := ParseDate(d); err == nil && (s.From.IsZero() || p.First().Before(s.From)) {
				s.From = p.First()
			}
		}
		if p, err := ParseDate(e.Ended); err == nil {
			s.To = p.Last()
		}
		return s
	}
	return Span{}
}

// policyDates are the dates that can open a policy's lifetime.
func (e EntityRecord) policyDates() []string {
	ds := []string{e.Announced, e.InForce}
	for _, c := range e.StatusHistory {
		ds = append(ds, c.Date)
	}
	return ds
}

// StatusAsOf returns the policy's status on day d: the latest status change on or
// before d, or, without a history, Status over the policy's lifetime. Before the
// lifetime (or before the first change) it returns "".
func (e EntityRecord) StatusAsOf(d time.Time) string {
	if !e.Lifetime().Contains(d) {
		return ""
	}
	if len(e.StatusHistory) == 0 {
		return e.Status
	}
	status := ""
	for _, c := range e.StatusHistory {
		if p, err := ParseDate(c.Date); err == nil && !p.First().After(d) {
			status = c.Status
		}
	}
	return status
}

// validateLifetime checks a policy's milestones and status history: dates well
// formed, milestones in order, the history in date order with known statuses, and
// Status equal to the last entry of the history.
func (e EntityRecord) validateLifetime(kind Kind, add func(field, format string, args ...any)) {
	milestones := []struct{ field, value string }{
		{"announced", e.Announced}, {"inForce", e.InForce}, {"suspended", e.Suspended}, {"ended", e.Ended}}
	for _, m := range milestones {
		if m.value != "" && kind != "" && kind != KindPolicy {
			add(m.field, "applies to Policy only, not to %s", withArticle(kind))
		}
	}
	if len(e.StatusHistory) > 0 && kind != "" && kind != KindPolicy {
		add("statusHistory", "applies to Policy only, not to %s", withArticle(kind))
	}
	dates := map[string]PartialDate{}
	for _, m := range milestones {
		if m.value == "" {
			continue
		}
		d, err := ParseDate(m.value)
		if err != nil {
			add(m.field, "%v", err)
			continue
		}
		dates[m.field] = d
	}
	// announced <= inForce <= ended, and a suspension within announced..ended.
	for _, pair := range [][2]string{{"announced", "inForce"}, {"inForce", "ended"}, {"announced", "ended"},
		{"announced", "suspended"}, {"inForce", "suspended"}, {"suspended", "ended"}} {
		early, okE := dates[pair[0]]
		late, okL := dates[pair[1]]
		if okE && okL && late.Last().Before(early.First()) {
			add(pair[1], "%s is before %s %s", late.Text, pair[0], early.Text)
		}
	}
	var last PartialDate
	for i, c := range e.StatusHistory {
		field := fmt.Sprintf("statusHistory[%d]", i)
		if !slices.Contains(PolicyStatuses, c.Status) {
			add(field+".status", "unknown status %q (want one of %s)", c.Status, strings.Join(PolicyStatuses, ", "))
		}
		d, err := ParseDate(c.Date)
		if err != nil {
			add(field+".date", "%v", err)
			continue
		}
		if i > 0 && last.Text != "" && !d.First().After(last.First()) {
			add(field+".date", "%s is not after the previous entry's %s: the history must be in date order", c.Date, last.Text)
		}
		last = d
	}
	if n := len(e.StatusHistory); n > 0 && e.Status != "" && e.StatusHistory[n-1].Status != e.Status {
		add("status", "%s differs from the last statusHistory entry, %s (%s)", e.Status, e.StatusHistory[n-1].Status, e.StatusHistory[n-1].Date)
	}
	if e.Ended != "" {
		if end, err := ParseDate(e.Ended); err == nil {
			for i, c := range e.StatusHistory {
				if d, err := ParseDate(c.Date); err == nil && d.First().After(end.Last()) {
					add(fmt.Sprintf("statusHistory[%d].date", i), "%s is after the policy ended (%s)", c.Date, e.Ended)
				}
			}
		}
	}
}

// Effective is a relationship's validity as reads use it: its stated interval
// intersected with its endpoints' lifetimes, or, when none of them dates it, the
// day its earliest evidence was published onwards.
type Effective struct {
	Span   Span
	Source DateSource
}

// EffectiveValidity derives r's effective validity from its stated dates, its
// endpoints' lifetimes and the publication dates of its evidence documents
// (earliestEvidence: the earliest of them, "" when none is dated). It returns false
// when the stated dates and a lifetime share no day: a relationship stated to hold
// outside its endpoint's lifetime.
func EffectiveValidity(r RelationshipRecord, from, to Span, earliestEvidence string) (Effective, bool) {
	stated := span(r.ValidFrom, r.ValidTo)
	eff := stated
	ok := true
	for _, life := range []Span{from, to} {
		if ok {
			eff, ok = eff.Intersect(life)
		}
	}
	switch {
	case !stated.Open() && !ok:
		// Stated outside a lifetime (a note must explain it): the statement wins.
		return Effective{stated, DatesStated}, false
	case !stated.Open():
		return Effective{eff, DatesStated}, true
	case ok && !eff.Open():
		return Effective{eff, DatesFromEndpoint}, true
	}
	// Nothing dates the fact itself, or its endpoints' lifetimes share no day:
	// it holds from its first report.
	if d, err := ParseDate(earliestEvidence); err == nil {
		return Effective{Span{From: d.First()}, DatesFromEvidence}, ok
	}
	return Effective{Source: DatesUnknown}, ok
}

// StatusAsOf returns the policy's status on day d, as EntityRecord.StatusAsOf
// does for the record it was read from.
func (p *Policy) StatusAsOf(d time.Time) string {
	rec := EntityRecord{Kind: string(KindPolicy), Status: deref(p.Status),
		Announced: dateText(p.Announced), InForce: dateText(p.InForce), Suspended: dateText(p.Suspended), Ended: dateText(p.Ended)}
	for _, c := range p.StatusHistory {
		rec.StatusHistory = append(rec.StatusHistory, StatusChange{Date: c.Date.Text, Status: c.Status})
	}
	return rec.StatusAsOf(d)
}

func dateText(d *PartialDate) string {
	if d == nil {
		return ""
	}
	return d.Text
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Lifetimes is a Lookup that also knows the lifetimes of the entities it holds.
// CheckRelationship uses it, when the Lookup has it, to refuse a relationship
// stated to hold outside an endpoint's lifetime.
type Lifetimes interface {
	// Lifetime returns the lifetime of entity id, and false when it is not known.
	Lifetime(id string) (Span, bool)
}

// checkLifetimes reports a relationship whose stated dates share no day with an
// endpoint's lifetime, unless its note explains why (a curator's exception, e.g.
// a measure reported as planned before it existed).
func checkLifetimes(r RelationshipRecord, lk Lookup, add func(field, format string, args ...any)) {
	lt, ok := lk.(Lifetimes)
	stated := span(r.ValidFrom, r.ValidTo)
	if !ok || stated.Open() || strings.TrimSpace(r.Note) != "" {
		return
	}
	for _, end := range []struct{ field, id string }{{"from", r.From}, {"to", r.To}} {
		life, ok := lt.Lifetime(end.id)
		if !ok || life.Open() {
			continue
		}
		if _, overlap := stated.Intersect(life); !overlap {
			// The side that crosses the lifetime: an end before it starts, or a
			// start after it ends.
			field := "validFrom"
			if !stated.To.IsZero() && !life.From.IsZero() && stated.To.Before(life.From) {
				field = "validTo"
			}
			add(field, "stated to hold %s, outside the lifetime of %s (%s): fix the dates, or say why in note", stated, end.id, life)
		}
	}
}
