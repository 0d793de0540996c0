package neo4jstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// timeDocs, timeEntities and timeRels are a small dataset of the cases of issue 14:
// a policy announced in one month whose restrictions carry no dates, a
// relationship dated only by its evidence document, a policy whose status changes
// twice, a meeting with a start and an end, a stated interval, and a fact with no
// date at all.
func timeDocs() []model.DocumentRecord {
	doc := func(id, date, text string) model.DocumentRecord {
		return model.DocumentRecord{ID: id, Title: id, Date: date, Text: text, Sentences: model.SplitSentences(text)}
	}
	return []model.DocumentRecord{
		doc("doc:june-report", "2025-06-11", "Officials met in London. China controls gallium."),
		doc("doc:october-report", "2025-10-20", "China announced controls in October. The controls restrict gallium. The truce was suspended."),
		doc("doc:undated-note", "", "China controls germanium."),
	}
}

func timeEntities() []model.EntityRecord {
	return []model.EntityRecord{
		{ID: "actor:china", Kind: "Actor", Type: "COUNTRY", Name: "China"},
		{ID: "actor:united-states", Kind: "Actor", Type: "COUNTRY", Name: "United States"},
		{ID: "commodity:gallium", Kind: "Commodity", Type: "MINERAL", Name: "Gallium"},
		{ID: "commodity:germanium", Kind: "Commodity", Type: "MINERAL", Name: "Germanium"},
		{ID: "policy:october-controls", Kind: "Policy", Type: "EXPORT_CONTROL", Name: "October controls",
			Status: "IN_FORCE", Announced: "2025-10"},
		{ID: "policy:truce", Kind: "Policy", Type: "TRUCE", Name: "Truce", Status: "SUSPENDED",
			StatusHistory: []model.StatusChange{{Date: "2025-05-12", Status: "TENTATIVE"}, {Date: "2025-05-14", Status: "IN_FORCE"}, {Date: "2025-11-10", Status: "SUSPENDED"}}},
		{ID: "meeting:london-talks", Kind: "Meeting", Type: "NEGOTIATION", Name: "London talks", Start: "2025-06-09", End: "2025-06-10"},
	}
}

func timeRels() []model.RelationshipRecord {
	ev := func(doc string, n int, quote string) []model.Evidence {
		return []model.Evidence{{Doc: doc, Sentence: n, Quote: quote}}
	}
	return []model.RelationshipRecord{
		// No dates of its own: the policy's lifetime (from October 2025) dates it.
		{From: "policy:october-controls", Type: "RESTRICTS", To: "commodity:gallium", Evidence: ev("doc:october-report", 2, "restrict gallium")},
		// Dated only by its evidence document (2025-06-11).
		{From: "actor:china", Type: "CONTROLS", To: "commodity:gallium", Evidence: ev("doc:june-report", 2, "China controls gallium")},
		// At the meeting's dates.
		{From: "actor:united-states", Type: "PARTICIPATED_IN", To: "meeting:london-talks", Evidence: ev("doc:june-report", 1, "Officials met in London")},
		// Stated, and within the policy's lifetime.
		{From: "actor:china", Type: "IMPOSES", To: "policy:october-controls", ValidFrom: "2025-10-09", Evidence: ev("doc:october-report", 1, "China announced controls")},
		// A truce that exists from 2025-05-12.
		{From: "policy:truce", Type: "TARGETS", To: "actor:china", Evidence: ev("doc:october-report", 3, "The truce was suspended")},
		// Nothing dates it.
		{From: "actor:china", Type: "CONTROLS", To: "commodity:germanium", Evidence: ev("doc:undated-note", 1, "China controls germanium")},
	}
}

// storedEff is what the writer stored for one relationship.
type storedEff struct {
	from, to, known time.Time
	source          string
	span            string // effSpan as "from..to", "" when absent
}

func readEff(t *testing.T, d neo4j.DriverWithContext) map[string]storedEff {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), d, `
		MATCH (a:Entity)-[r]->(b:Entity)
		RETURN a.id + '|' + type(r) + '|' + b.id AS key, r.effFrom AS f, r.effTo AS t, r.knownFrom AS k, r.dateSource AS s,
			[d IN r.effSpan | toString(d)] AS span`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database))
	if err != nil {
		t.Fatal(err)
	}
	day := func(v any) time.Time {
		if d, ok := v.(neo4j.Date); ok {
			return d.Time()
		}
		return time.Time{}
	}
	out := map[string]storedEff{}
	for _, rec := range res.Records {
		m := rec.AsMap()
		s, _ := m["s"].(string)
		var span []string
		if l, ok := m["span"].([]any); ok {
			for _, d := range l {
				span = append(span, d.(string))
			}
		}
		out[m["key"].(string)] = storedEff{day(m["f"]), day(m["t"]), day(m["k"]), s, strings.Join(span, "..")}
	}
	return out
}

// wantEff is model.EffectiveValidity over the records, the reference the stored
// dates must equal.
func wantEff(t *testing.T, docs []model.DocumentRecord, ents []model.EntityRecord, rels []model.RelationshipRecord) map[string]storedEff {
	t.Helper()
	life := map[string]model.Span{}
	for _, e := range ents {
		life[e.ID] = e.Lifetime()
	}
	published := map[string]model.PartialDate{}
	for _, d := range docs {
		if p, err := model.ParseDate(d.Date); err == nil {
			published[d.ID] = p
		}
	}
	out := map[string]storedEff{}
	for _, r := range rels {
		earliest := ""
		var known time.Time
		for _, ev := range r.Evidence {
			if p, ok := published[ev.Doc]; ok && (known.IsZero() || p.First().Before(known)) {
				known, earliest = p.First(), p.Text
			}
		}
		eff, _ := model.EffectiveValidity(r, life[r.From], life[r.To], earliest)
		span := ""
		if eff.Source != model.DatesUnknown {
			// An open end is the earliest or the latest day a date can name.
			span = "0001-01-01..9999-12-31"
			if !eff.Span.From.IsZero() {
				span = day(eff.Span.From) + span[10:]
			}
			if !eff.Span.To.IsZero() {
				span = span[:12] + day(eff.Span.To)
			}
		}
		out[r.Key()] = storedEff{eff.Span.From, eff.Span.To, known, string(eff.Source), span}
	}
	return out
}

func compareEff(t *testing.T, got, want map[string]storedEff) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d relationships stored, want %d", len(got), len(want))
	}
	for k, w := range want {
		if g := got[k]; g != w {
			t.Errorf("%s: stored eff %s..%s known %s source %q span %q, want %s..%s known %s source %q span %q", k,
				day(g.from), day(g.to), day(g.known), g.source, g.span, day(w.from), day(w.to), day(w.known), w.source, w.span)
		}
	}
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

// TestEffectiveMatchesModel checks that the dates the writer derives in Cypher are
// model.EffectiveValidity's, when written and after an endpoint's lifetime and a
// document's date change in later batches, and that the migration's backfill
// derives them for relationships stored without them.
func TestEffectiveMatchesModel(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	ctx := context.Background()
	w := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	docs, ents, rels := timeDocs(), timeEntities(), timeRels()
	if _, err := writeBatch(t, w, model.Batch{Documents: docs, Entities: ents, Relationships: rels}); err != nil {
		t.Fatal(err)
	}
	want := wantEff(t, docs, ents, rels)
	compareEff(t, readEff(t, d), want)
	for key, src := range map[string]model.DateSource{
		"policy:october-controls|RESTRICTS|commodity:gallium":      model.DatesFromEndpoint,
		"actor:china|CONTROLS|commodity:gallium":                   model.DatesFromEvidence,
		"actor:united-states|PARTICIPATED_IN|meeting:london-talks": model.DatesFromEndpoint,
		"actor:china|IMPOSES|policy:october-controls":              model.DatesStated,
		"policy:truce|TARGETS|actor:china":                         model.DatesFromEndpoint,
		"actor:china|CONTROLS|commodity:germanium":                 model.DatesUnknown,
	} {
		if want[key].source != string(src) {
			t.Errorf("the dataset does not exercise %s for %s: the reference says %s", src, key, want[key].source)
		}
	}

	// Later batches change only an endpoint (the meeting moves) and only a document
	// (the June report is re-dated): the relationships they touch follow.
	ents[6].Start, ents[6].End = "2025-06-02", "2025-06-03"
	docs[0].Date = "2025-06-05"
	if _, err := writeBatch(t, w, model.Batch{Entities: ents[6:7]}); err != nil {
		t.Fatal(err)
	}
	if _, err := writeBatch(t, w, model.Batch{Documents: docs[:1]}); err != nil {
		t.Fatal(err)
	}
	compareEff(t, readEff(t, d), wantEff(t, docs, ents, rels))
	if n := neo4jtest.Count(t, d, "MATCH (n) WHERE n._timeStale IS NOT NULL RETURN count(n) AS c", nil); n != 0 {
		t.Errorf("%d nodes still marked stale after the batch", n)
	}

	// A graph written before effective dates existed: the migration derives them.
	neo4jtest.Count(t, d, "MATCH ()-[r]->() REMOVE r.effFrom, r.effTo, r.knownFrom, r.dateSource, r.effSpan RETURN count(*) AS c", nil)
	neo4jtest.Count(t, d, "MATCH (m:Meeting) REMOVE m.lifeFrom, m.lifeTo RETURN count(*) AS c", nil)
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	compareEff(t, readEff(t, d), wantEff(t, docs, ents, rels))

	// A graph written before effSpan existed (its other dates derived): the
	// migration adds it.
	neo4jtest.Count(t, d, "MATCH ()-[r]->() REMOVE r.effSpan RETURN count(*) AS c", nil)
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	compareEff(t, readEff(t, d), wantEff(t, docs, ents, rels))
}
