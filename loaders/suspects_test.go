package loaders

import (
	"testing"

	"tradegraph/graph/model"
)

// TestSuspectsFindThePlantedDuplicate: over the seed and data/duplicates/usa.yaml,
// which calls the United States actor:usa, the one likely duplicate is that pair.
func TestSuspectsFindThePlantedDuplicate(t *testing.T) {
	var ents []model.NamedEntity
	for _, f := range []string{"../data/seed/us-china-rare-earth-deal.yaml", "../data/duplicates/usa.yaml"} {
		p, probs := ParseCurated(f)
		if len(probs) > 0 || p == nil {
			t.Fatalf("%s: %v", f, probs)
		}
		for _, e := range p.Data.Entities {
			ents = append(ents, model.NamedEntity{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: e.Aliases})
		}
	}
	got := model.Suspects(ents, 0.6)
	if len(got) != 1 || got[0].A != "actor:united-states" || got[0].B != "actor:usa" {
		t.Fatalf("suspects %+v, want only actor:united-states / actor:usa", got)
	}
	if want := `0.75 every word of "United States" is in "United States of America"`; len(got[0].Evidence) != 1 || got[0].Evidence[0] != want {
		t.Errorf("evidence %q, want [%q]", got[0].Evidence, want)
	}
}
