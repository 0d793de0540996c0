package neo4jstore_test

import (
	"context"
	"sync"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// raceRounds is how many times each race runs.
const raceRounds = 200

// TestEvidenceRace runs the race of issue 16: a write of a relationship quoting
// sentence 1 of a document, and a write of that document with a new text that
// no longer holds the quote, started together, both validated beforehand
// against the old text. Whichever commits first, the other must fail inside
// its transaction: exactly one succeeds each round, and no quote in the graph
// is ever missing from its stored sentence. The variant races the API's
// upsertRelationship mutation against the document write.
func TestEvidenceRace(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	ctx := context.Background()
	s := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const oldText = "Alpha imposes the levy. Beta objects."
	doc := func(text string) model.DocumentRecord {
		return model.DocumentRecord{ID: "doc:race", Title: "Race", Text: text, Sentences: model.SplitSentences(text)}
	}
	rel := model.RelationshipRecord{From: "actor:alpha", Type: "IMPOSES", To: "policy:levy",
		Evidence: []model.Evidence{{Doc: "doc:race", Sentence: 1, Quote: "Alpha imposes the levy"}}}
	relID := model.RelationshipID(rel.From, rel.Type, rel.To)
	loadSrc := model.Source{ID: "race/rel.yaml", By: "race"}
	docSrc := model.Source{ID: "race/doc.yaml", By: "race"}
	write := func(b model.Batch) error {
		p, err := s.Prepare(b)
		if err != nil {
			t.Fatalf("prepare: %v", err)
		}
		_, err = s.WritePrepared(ctx, p)
		return err
	}
	if err := write(model.Batch{Source: docSrc, Documents: []model.DocumentRecord{doc(oldText)}, Entities: []model.EntityRecord{
		{ID: "actor:alpha", Kind: "Actor", Type: "COUNTRY", Name: "Alpha"},
		{ID: "policy:levy", Kind: "Policy", Type: "TARIFF", Name: "Levy", Status: "IN_FORCE"}}}); err != nil {
		t.Fatal(err)
	}
	broken := func() int64 { return neo4jtest.Count(t, d, neo4jtest.BrokenQuotesCypher, nil) }

	for _, variant := range []string{"load", "mutation"} {
		t.Run(variant, func(t *testing.T) {
			relWins, docWins := 0, 0
			for i := range raceRounds {
				// Back to the old text, with no relationship quoting it.
				if _, err := s.DeleteRelationship(ctx, relID); err != nil {
					t.Fatal(err)
				}
				if err := write(model.Batch{Source: docSrc, Documents: []model.DocumentRecord{doc(oldText)}}); err != nil {
					t.Fatalf("round %d: reset: %v", i, err)
				}
				var relErr, docErr error
				var wg sync.WaitGroup
				start := make(chan struct{})
				wg.Add(2)
				go func() {
					defer wg.Done()
					<-start
					if variant == "load" {
						relErr = write(model.Batch{Source: loadSrc, Relationships: []model.RelationshipRecord{rel}})
					} else {
						_, relErr = s.UpsertRelationship(ctx, rel)
					}
				}()
				go func() {
					defer wg.Done()
					<-start
					docErr = write(model.Batch{Source: docSrc, Documents: []model.DocumentRecord{doc("Alpha lifts the levy. Beta objects.")}})
				}()
				close(start)
				wg.Wait()
				if n := broken(); n != 0 {
					t.Fatalf("round %d: %d broken quote(s) in the graph (relationship error %v, document error %v)", i, n, relErr, docErr)
				}
				switch {
				case relErr == nil && docErr != nil:
					relWins++
				case docErr == nil && relErr != nil:
					docWins++
				default:
					t.Fatalf("round %d: relationship error %v, document error %v: want exactly one to fail", i, relErr, docErr)
				}
				for _, err := range []error{relErr, docErr} {
					if err != nil && graph.ErrorCode(err) != graph.ECONFLICT && graph.ErrorCode(err) != graph.EINVALID {
						t.Fatalf("round %d: the losing write failed with %v, want a conflict (or, for the mutation, its own validation)", i, err)
					}
				}
			}
			t.Logf("%d rounds: the relationship won %d, the document %d; 0 broken quotes", raceRounds, relWins, docWins)
		})
	}
}
