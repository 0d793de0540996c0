package model

import (
	"strings"
	"testing"
)

func TestNameMatch(t *testing.T) {
	tests := []struct {
		x, y      string
		want      float64
		wantWhy   string
		wantBelow float64 // when want is 0: the score must stay under this
	}{
		{"United States", "the United States", scoreSame, "once normalised", 0},
		{"U.S.A.", "United States of America", scoreAcronym, "abbreviates", 0},
		{"United States of America", "USA", scoreAcronym, `"USA" abbreviates`, 0},
		{"Ministry of Commerce", "Commerce Ministry", scoreTokens, "share 100%", 0},
		{"United States of America", "United States", scoreSubset, `every word of "United States" is in "United States of America"`, 0},
		{"China", "Bank of China", 0, "", 0.6},
		{"Howard Lutnick", "Howard Lutnik", 0, "edit(s) apart", 0},
		{"China", "Chile", 0, "", 0.6},
		{"European Union", "European Commission", 0, "", 0.6},
		{"", "China", 0, "", 0.01},
	}
	for _, tt := range tests {
		t.Run(tt.x+"~"+tt.y, func(t *testing.T) {
			got, why := NameMatch(tt.x, tt.y)
			switch {
			case tt.want > 0 && got != tt.want:
				t.Errorf("score %v, want %v (%s)", got, tt.want, why)
			case tt.want == 0 && tt.wantBelow > 0 && got >= tt.wantBelow:
				t.Errorf("score %v, want below %v (%s)", got, tt.wantBelow, why)
			case tt.want == 0 && tt.wantWhy != "" && got < minEditSim*scoreEdit:
				t.Errorf("score %v, want a typo match of at least %v", got, minEditSim*scoreEdit)
			}
			if !strings.Contains(why, tt.wantWhy) {
				t.Errorf("why %q, want it to say %q", why, tt.wantWhy)
			}
		})
	}
}

func TestSuspects(t *testing.T) {
	ents := []NamedEntity{
		{ID: "actor:united-states", Kind: "Actor", Name: "United States", Aliases: []string{"United States of America", "US"}},
		{ID: "actor:usa", Kind: "Actor", Name: "USA"},
		{ID: "actor:china", Kind: "Actor", Name: "China", Aliases: []string{"PRC"}},
		{ID: "actor:howard-lutnick", Kind: "Actor", Name: "Howard Lutnick"},
		{ID: "actor:h-lutnick", Kind: "Actor", Name: "Howard Lutnik"},
		// Same name, other kind: never a suspect.
		{ID: "policy:usa", Kind: "Policy", Name: "USA"},
		{ID: "commodity:rare-earths", Kind: "Commodity", Name: "Rare earths"},
	}
	got := Suspects(ents, 0.6)
	if len(got) != 2 {
		t.Fatalf("got %d suspects, want 2: %+v", len(got), got)
	}
	if got[0].A != "actor:united-states" || got[0].B != "actor:usa" || got[0].Score != scoreAcronym {
		t.Errorf("best suspect %+v, want united-states/usa at %v", got[0], scoreAcronym)
	}
	if !strings.Contains(strings.Join(got[0].Evidence, "\n"), `"USA" abbreviates "United States of America"`) {
		t.Errorf("evidence %q does not name the matching names", got[0].Evidence)
	}
	if got[1].A != "actor:h-lutnick" || got[1].B != "actor:howard-lutnick" || got[1].Score >= got[0].Score {
		t.Errorf("second suspect %+v, want the lutnick typo pair, scored lower", got[1])
	}
	if n := len(Suspects(ents, 0.95)); n != 0 {
		t.Errorf("min score 0.95: %d suspects, want 0", n)
	}
}
