package model

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func rate(f float64) *float64 { return &f }

func TestCombineClaims(t *testing.T) {
	seed := EntityClaim{Source: "data/seed/deal.yaml", Record: EntityRecord{ID: "actor:china", Kind: "Actor", Type: "COUNTRY",
		Name: "China", Aliases: []string{"China", "Beijing"}, Description: "Country that reached a tentative agreement."}}
	ev := EntityClaim{Source: "data/eu-ev-duties.yaml", Record: EntityRecord{ID: "actor:china", Kind: "Actor", Type: "COUNTRY",
		Name: "China", Aliases: []string{"Beijing", "PRC"}}}
	lutnickA := EntityClaim{Source: "a.yaml", Record: EntityRecord{ID: "actor:x", Kind: "Actor", Type: "PERSON", Name: "X", Role: "Commerce Secretary"}}
	lutnickB := EntityClaim{Source: "b.yaml", Record: EntityRecord{ID: "actor:x", Kind: "Actor", Type: "PERSON", Name: "X", Role: "Secretary of Commerce"}}

	tests := []struct {
		name          string
		claims        []EntityClaim
		wantAliases   []string
		wantDesc      string
		wantRole      string
		wantConflicts []string // fields
	}{
		{"an absent description never erases one", []EntityClaim{seed, ev},
			[]string{"Beijing", "PRC", "China"}, seed.Record.Description, "", nil},
		{"a role two sources disagree on is a conflict; byte order of the sources decides", []EntityClaim{lutnickA, lutnickB},
			nil, "", "Commerce Secretary", []string{"role"}},
		{"priority decides before byte order", []EntityClaim{lutnickA, withPriority(lutnickB, 1)},
			nil, "", "Secretary of Commerce", []string{"role"}},
		{"the value more sources give wins", []EntityClaim{lutnickA, lutnickB, withSource(lutnickB, "c.yaml")},
			nil, "", "Secretary of Commerce", []string{"role"}},
		{"a cleared field withdraws only the source's own value", []EntityClaim{seed, withCleared(withSource(seed, "z.yaml"), "description")},
			[]string{"China", "Beijing"}, seed.Record.Description, "", nil},
		{"a field cleared by its only source is empty", []EntityClaim{withCleared(seed, "description", "aliases")},
			nil, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every order of the claims gives the same entity and conflicts.
			var first EntityRecord
			var firstConflicts []FieldConflict
			for i, order := range permutations(tt.claims) {
				got, conflicts := CombineClaims(order)
				if i == 0 {
					first, firstConflicts = got, conflicts
				} else if !reflect.DeepEqual(got, first) || !reflect.DeepEqual(conflicts, firstConflicts) {
					t.Fatalf("order %d: got %+v %v, want the first order's %+v %v", i, got, conflicts, first, firstConflicts)
				}
			}
			if !slices.Equal(first.Aliases, tt.wantAliases) {
				t.Errorf("aliases: got %q, want %q", first.Aliases, tt.wantAliases)
			}
			if first.Description != tt.wantDesc || first.Role != tt.wantRole {
				t.Errorf("description %q role %q, want %q %q", first.Description, first.Role, tt.wantDesc, tt.wantRole)
			}
			var fields []string
			for _, c := range firstConflicts {
				fields = append(fields, c.Field)
				if len(c.Values) < 2 || c.Values[0].Value == c.Values[1].Value {
					t.Errorf("conflict %v does not show two values", c)
				}
			}
			if !slices.Equal(fields, tt.wantConflicts) {
				t.Errorf("conflicts on %v, want %v", fields, tt.wantConflicts)
			}
		})
	}
}

func TestCombineClaimsRate(t *testing.T) {
	a := EntityClaim{Source: "a", Record: EntityRecord{ID: "policy:t", Kind: "Policy", Rate: rate(0.25)}}
	b := EntityClaim{Source: "b", Record: EntityRecord{ID: "policy:t", Kind: "Policy", Rate: rate(0.5)}}
	got, conflicts := CombineClaims([]EntityClaim{b, a})
	if got.Rate == nil || *got.Rate != 0.25 {
		t.Errorf("rate %v, want 0.25 (source a first)", got.Rate)
	}
	if len(conflicts) != 1 || !strings.Contains(conflicts[0].String(), `"0.5" (from [b]) differs`) {
		t.Errorf("conflicts %v, want rate 0.25 kept, 0.5 from b differs", conflicts)
	}
}

func TestDiffEntity(t *testing.T) {
	before := EntityRecord{Name: "China", Aliases: []string{"China", "Beijing"}, Description: "d"}
	after := EntityRecord{Name: "China", Aliases: []string{"Beijing"}}
	got := DiffEntity(before, after)
	want := []FieldChange{{"description", "d", ""}, {"aliases", `["China", "Beijing"]`, `["Beijing"]`}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if d := DiffEntity(before, before); len(d) != 0 {
		t.Errorf("an entity differs from itself: %v", d)
	}
}

func withPriority(c EntityClaim, p int) EntityClaim  { c.Priority = p; return c }
func withSource(c EntityClaim, s string) EntityClaim { c.Source = s; return c }
func withCleared(c EntityClaim, f ...string) EntityClaim {
	c.Cleared = f
	return c
}

// permutations returns every order of claims (few claims only).
func permutations(claims []EntityClaim) [][]EntityClaim {
	if len(claims) <= 1 {
		return [][]EntityClaim{claims}
	}
	var out [][]EntityClaim
	for i := range claims {
		rest := append(slices.Clone(claims[:i]), claims[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]EntityClaim{claims[i]}, p...))
		}
	}
	return out
}

func TestMergedClaims(t *testing.T) {
	into := []EntityClaim{{Source: "a.yaml", Record: EntityRecord{ID: "actor:united-states", Kind: "Actor", Name: "United States", Aliases: []string{"US"}}}}
	from := []EntityClaim{{Source: "b.yaml", Record: EntityRecord{ID: "actor:usa", Kind: "Actor", Name: "USA", Aliases: []string{"us", "U.S."}, Description: "d"}}}
	got := MergedClaims(into, from, "actor:usa", "actor:united-states")
	if len(got) != 2 || got[1].Source != "b.yaml (merged from actor:usa)" || got[1].Record.ID != "actor:united-states" || got[1].Record.Name != "" {
		t.Fatalf("got %+v", got)
	}
	if !slices.Equal(got[1].Record.Aliases, []string{"USA", "U.S."}) {
		t.Errorf("merged aliases %q, want [USA U.S.] (\"us\" is US in another case)", got[1].Record.Aliases)
	}
	combined, conflicts := CombineClaims(got)
	if combined.Name != "United States" || !slices.Equal(combined.Aliases, []string{"US", "USA", "U.S."}) || combined.Description != "d" || len(conflicts) != 0 {
		t.Errorf("combined %+v, conflicts %v", combined, conflicts)
	}
}

func TestUniteProvenance(t *testing.T) {
	a := []Provenance{{Source: "s1", FirstSeen: "2026-01-02T00:00:00Z", LastSeen: "2026-01-05T00:00:00Z", By: "ann"}}
	b := []Provenance{{Source: "s1", FirstSeen: "2026-01-01T00:00:00Z", LastSeen: "2026-01-03T00:00:00Z", By: "bob"},
		{Source: "s2", FirstSeen: "2026-01-04T00:00:00Z", LastSeen: "2026-01-04T00:00:00Z", By: "bob"}}
	got := UniteProvenance(a, b)
	want := []Provenance{{Source: "s1", FirstSeen: "2026-01-01T00:00:00Z", LastSeen: "2026-01-05T00:00:00Z", By: "ann"}, b[1]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
