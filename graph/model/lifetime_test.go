package model

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// controls is a policy announced in October 2025, in force from November, whose
// status changed twice.
var controls = EntityRecord{ID: "policy:cn-rare-earth-controls", Kind: "Policy", Type: "EXPORT_CONTROL", Name: "controls",
	Status: "SUSPENDED", Announced: "2025-10-09", InForce: "2025-11",
	StatusHistory: []StatusChange{{"2025-10-09", "PROPOSED"}, {"2025-11", "IN_FORCE"}, {"2025-11-10", "SUSPENDED"}}}

func TestLifetime(t *testing.T) {
	tests := []struct {
		name string
		e    EntityRecord
		want string
	}{
		{"meeting with start and end", EntityRecord{Kind: "Meeting", Start: "2025-06-09", End: "2025-06-10"}, "2025-06-09..2025-06-10"},
		{"meeting on one day", EntityRecord{Kind: "Meeting", Start: "2025-06-09"}, "2025-06-09..2025-06-09"},
		{"meeting in a month", EntityRecord{Kind: "Meeting", Start: "2025-06"}, "2025-06-01..2025-06-30"},
		{"undated meeting", EntityRecord{Kind: "Meeting"}, ".."},
		{"policy from its first milestone, open", controls, "2025-10-09.."},
		{"policy that ended", EntityRecord{Kind: "Policy", InForce: "2024", Ended: "2025-03"}, "2024-01-01..2025-03-31"},
		{"actor", EntityRecord{Kind: "Actor"}, ".."},
	}
	for _, tt := range tests {
		if got := tt.e.Lifetime().String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestStatusAsOf(t *testing.T) {
	for d, want := range map[string]string{
		"2025-06-01": "", // before the policy existed
		"2025-10-09": "PROPOSED",
		"2025-10-31": "PROPOSED",
		"2025-11-01": "IN_FORCE",
		"2025-11-09": "IN_FORCE",
		"2025-11-10": "SUSPENDED",
		"2026-05-01": "SUSPENDED",
	} {
		if got := controls.StatusAsOf(day(d)); got != want {
			t.Errorf("status on %s: got %q, want %q", d, got, want)
		}
	}
	noHistory := EntityRecord{Kind: "Policy", Status: "IN_FORCE", InForce: "2025-05", Ended: "2025-12"}
	if got := noHistory.StatusAsOf(day("2025-06-01")); got != "IN_FORCE" {
		t.Errorf("without a history, in its lifetime: got %q", got)
	}
	if got := noHistory.StatusAsOf(day("2026-01-01")); got != "" {
		t.Errorf("without a history, after it ended: got %q", got)
	}
}

func TestLifetimeValidation(t *testing.T) {
	base := controls
	tests := []struct {
		name   string
		edit   func(e *EntityRecord)
		fields []string // "" for none
	}{
		{"valid", func(e *EntityRecord) {}, nil},
		{"in force before announced", func(e *EntityRecord) { e.InForce = "2025-09" }, []string{"inForce"}},
		{"ended before in force", func(e *EntityRecord) { e.Ended = "2025-10-20"; e.StatusHistory = nil }, []string{"ended"}},
		{"bad milestone date", func(e *EntityRecord) { e.Suspended = "2025-13" }, []string{"suspended"}},
		{"history out of order", func(e *EntityRecord) {
			e.StatusHistory = []StatusChange{{"2025-11", "IN_FORCE"}, {"2025-10-09", "PROPOSED"}, {"2025-11-10", "SUSPENDED"}}
		}, []string{"statusHistory[1].date"}},
		{"unknown status in history", func(e *EntityRecord) {
			e.StatusHistory = []StatusChange{{"2025-10-09", "RUMOURED"}, {"2025-11-10", "SUSPENDED"}}
		}, []string{"statusHistory[0].status"}},
		{"status differs from the history's last", func(e *EntityRecord) { e.Status = "IN_FORCE" }, []string{"status"}},
		{"milestones on an actor", func(e *EntityRecord) {
			*e = EntityRecord{ID: "actor:x", Kind: "Actor", Type: "PERSON", Name: "X", Announced: "2025"}
		}, []string{"announced"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			e.StatusHistory = append([]StatusChange(nil), base.StatusHistory...)
			tt.edit(&e)
			var got []string
			for _, fe := range e.Validate() {
				got = append(got, fe.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("problems on %v, want %v: %v", got, tt.fields, e.Validate())
			}
		})
	}
}

func TestEffectiveValidity(t *testing.T) {
	meeting := EntityRecord{Kind: "Meeting", Start: "2025-06-09", End: "2025-06-10"}.Lifetime()
	policy := controls.Lifetime()
	open := Span{}
	tests := []struct {
		name       string
		r          RelationshipRecord
		from, to   Span
		evidence   string
		want       string
		wantSource DateSource
		wantOK     bool
	}{
		{"participation holds at the meeting's dates", RelationshipRecord{}, open, meeting, "2025-06-11", "2025-06-09..2025-06-10", DatesFromEndpoint, true},
		{"restrictions of a policy start with it", RelationshipRecord{}, policy, open, "2025-10-30", "2025-10-09..", DatesFromEndpoint, true},
		{"stated dates are tightened by the lifetime", RelationshipRecord{ValidFrom: "2025", ValidTo: "2025"}, policy, open, "", "2025-10-09..2025-12-31", DatesStated, true},
		{"only the evidence dates it", RelationshipRecord{}, open, open, "2025-06-11", "2025-06-11..", DatesFromEvidence, true},
		{"nothing dates it", RelationshipRecord{}, open, open, "", "..", DatesUnknown, true},
		{"stated outside the endpoint's lifetime", RelationshipRecord{ValidTo: "2025-05"}, policy, open, "", "..2025-05-31", DatesStated, false},
	}
	for _, tt := range tests {
		got, ok := EffectiveValidity(tt.r, tt.from, tt.to, tt.evidence)
		if got.Span.String() != tt.want || got.Source != tt.wantSource || ok != tt.wantOK {
			t.Errorf("%s: got %s %s %v, want %s %s %v", tt.name, got.Span, got.Source, ok, tt.want, tt.wantSource, tt.wantOK)
		}
	}
}

func TestSpanOverlaps(t *testing.T) {
	may := Span{day("2025-05-01"), day("2025-05-31")}
	for _, tt := range []struct {
		s    Span
		want bool
	}{
		{Span{From: day("2025-10-09")}, false},
		{Span{To: day("2025-05-01")}, true},
		{Span{}, true},
		{Span{day("2025-04-01"), day("2025-04-30")}, false},
		{Span{day("2025-05-31"), day("2025-06-30")}, true},
	} {
		if got := may.Overlaps(tt.s); got != tt.want {
			t.Errorf("%s overlaps %s: got %v, want %v", may, tt.s, got, tt.want)
		}
	}
}
