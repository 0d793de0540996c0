package loaders_test

import (
	"context"
	"strings"
	"testing"

	"tradegraph/loaders"
)

// TestSeedIsValidAndFollowsItsRules validates the seed with no database and checks
// the modelling rules docs/model.md states for it: an inference or hedge has a
// confidence below 1 and a note saying why, and every claim a note reports
// ("according to ...") is attributed.
func TestSeedIsValidAndFollowsItsRules(t *testing.T) {
	p, probs := loaders.ParseCurated(seedDataset)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	ds, probs := loaders.ValidateCurated(context.Background(), []*loaders.Parsed{p}, nil)
	if len(probs) > 0 {
		t.Fatalf("the seed does not validate:\n%v", probs)
	}
	if got := len(p.Data.Documents[0].Sentences); got != 15 {
		t.Errorf("got %d sentences in the seed article, want 15", got)
	}
	for _, r := range ds.Relationships {
		conf := 1.0
		if r.Confidence != nil {
			conf = *r.Confidence
		}
		if conf < 1 && r.Note == "" {
			t.Errorf("%s: confidence %v without a note saying why", r.Key(), conf)
		}
		if strings.HasPrefix(r.Note, "inferred") && conf >= 1 {
			t.Errorf("%s: an inference (%q) at confidence %v, want below 1", r.Key(), r.Note, conf)
		}
		if strings.HasPrefix(r.Note, "according to") && r.AttributedTo == "" {
			t.Errorf("%s: note %q but no attributedTo", r.Key(), r.Note)
		}
	}
}
