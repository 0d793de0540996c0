package loaders

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tradegraph/graph/model"
)

// goldDoc returns the document of a curated dataset, as drafting reads it.
func goldDoc(t *testing.T, path string) (model.DocumentRecord, CuratedFile) {
	t.Helper()
	p, probs := ParseCurated(path)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return p.Data.Documents[0].DocumentRecord, p.Data
}

// writeAndDryRun writes dr as a draft file and loads it with --dry-run, as an
// analyst would before editing anything; it returns the file's path.
func writeAndDryRun(t *testing.T, dr *Draft, gl GraphLookup, extra ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "draft.yaml")
	if err := WriteDraft(context.Background(), dr, "test", path, gl, false); err != nil {
		t.Fatalf("WriteDraft: %v", err)
	}
	var out bytes.Buffer
	if _, err := Load(context.Background(), Options{DryRun: true, Out: &out}, append(extra, path)); err != nil {
		t.Fatalf("load --dry-run of the unedited draft: %v\n%s", err, out.String())
	}
	return path
}

// The quality floors of the development sets (docs/loading.md#scoring): a change
// that lowers any figure below its floor fails here. The floors sit just under the
// measured figures; on the seed, the targets (relationship recall 0.5 at
// precision 0.6, entity recall 0.8) are lower still.
func TestDraftScoreFloors(t *testing.T) {
	for _, tc := range []struct {
		gold                          string
		entP, entR, relP, relR, endsR float64
	}{
		{"../data/seed/us-china-rare-earth-deal.yaml", 0.93, 0.88, 0.95, 0.55, 0.55},
		{"testdata/draft/eu-canada-steel.yaml", 0.95, 0.95, 0.95, 0.55, 0.60},
		// The holdout: never used to change the patterns.
		{"testdata/draft/japan-korea-chips.yaml", 0.85, 0.70, 0.80, 0.20, 0.20},
	} {
		t.Run(filepath.Base(tc.gold), func(t *testing.T) {
			doc, gold := goldDoc(t, tc.gold)
			dr := DraftDocument(doc, nil)
			sc := ScoreDraft(dr, gold)
			var b bytes.Buffer
			sc.Print(&b)
			t.Logf("\n%s", b.String())
			for _, c := range []struct {
				what      string
				got, want float64
			}{
				{"entity precision", sc.Entities.Precision(), tc.entP},
				{"entity recall", sc.Entities.Recall(), tc.entR},
				{"relationship precision", sc.Relationships.Precision(), tc.relP},
				{"relationship recall", sc.Relationships.Recall(), tc.relR},
				{"endpoint recall", sc.Endpoints.Recall(), tc.endsR},
			} {
				if c.got < c.want {
					t.Errorf("%s %.3f, want at least %.2f", c.what, c.got, c.want)
				}
			}
			// docs/loading.md#scoring shows the figures as they are.
			row := fmt.Sprintf("| %.2f / %.2f | %.2f / %.2f | %.2f / %.2f |", sc.Entities.Precision(), sc.Entities.Recall(),
				sc.Relationships.Precision(), sc.Relationships.Recall(), sc.Endpoints.Precision(), sc.Endpoints.Recall())
			if docs, err := os.ReadFile("../docs/loading.md"); err != nil || !strings.Contains(string(docs), filepath.Base(strings.TrimSuffix(tc.gold, ".yaml"))) || !strings.Contains(string(docs), row) {
				t.Errorf("docs/loading.md does not show %s as %q (%v)", tc.gold, row, err)
			}
			writeAndDryRun(t, dr, KnownLookup(nil))
		})
	}
}

// The case: a later US-China article drafted against the seed's entities.
func TestDraftNewArticle(t *testing.T) {
	known, err := KnownFromCurated([]string{"../data/seed/us-china-rare-earth-deal.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ReadArticle("testdata/draft/us-china-busan.md", ArticleMeta{})
	if err != nil {
		t.Fatal(err)
	}
	dr := DraftDocument(doc, known)
	rels, err := KnownRelationships([]string{"../data/seed/us-china-rare-earth-deal.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	dr.DropKnown(rels)

	links := map[string]Link{}
	for _, l := range dr.Links {
		links[l.Text+"@"+string(rune('0'+l.Sentence))] = l
	}
	if l, ok := links["Xi@2"]; !ok || l.EntityID != "actor:xi-jinping" || l.Adjectival {
		t.Errorf(`"Xi" in sentence 2: got %+v, want a name mention of actor:xi-jinping`, l)
	}
	for _, s := range []string{"Chinese@1", "Chinese@3", "Chinese@5"} {
		if l, ok := links[s]; !ok || l.EntityID != "actor:china" || !l.Adjectival {
			t.Errorf("%s: got %+v, want an adjectival mention of actor:china", s, l)
		}
	}
	byName := map[string]model.EntityRecord{}
	for _, e := range dr.Entities {
		byName[e.Name] = e
		if model.IsCalendarWord(model.StripPossessive(e.Name)) || model.IsRoleHead(e.Name) || strings.HasSuffix(e.Name, "Secretary") {
			t.Errorf("candidate %q is a weekday, a month or a bare title", e.Name)
		}
		for _, w := range []string{"Thursday", "Secretary", "Chinese", "Busan", "Nvidia's"} {
			if e.Name == w {
				t.Errorf("candidate %q should not be one", e.Name)
			}
		}
	}
	for _, want := range []struct{ name, typ, role string }{
		{"Scott Bessent", "PERSON", "Treasury Secretary"},
		{"Marco Rubio", "PERSON", "Secretary of State"},
		{"Nvidia", "ORGANIZATION", ""},
	} {
		e, ok := byName[want.name]
		if !ok || e.Type != want.typ || e.Role != want.role {
			t.Errorf("candidate %s: got %+v, want type %s, role %q", want.name, e, want.typ, want.role)
		}
	}
	for _, e := range dr.Entities {
		if e.Name == "Xi Jinping" || e.Name == "Bessent" {
			t.Errorf("%q is proposed as new; it should link", e.Name)
		}
	}
	// "Chinese President Xi Jinping" says LEADS, which the seed already holds.
	if !slices.Contains(dr.AlreadyKnown, "actor:xi-jinping LEADS actor:china") {
		t.Errorf("already known: got %q, want the seed's LEADS actor:xi-jinping -> actor:china left out", dr.AlreadyKnown)
	}
	writeAndDryRun(t, dr, KnownLookup(known), "../data/seed/us-china-rare-earth-deal.yaml")
}

// Two people named Wang in one article: "Wang" alone links to neither, and the
// draft says why.
func TestDraftAmbiguousShortName(t *testing.T) {
	text := "Foreign Minister Wang Yi met Commerce Minister Wang Wentao in Beijing. Wang said the talks were useful. Xi Jinping did not attend. Xi spoke on Friday."
	doc := model.DocumentRecord{ID: "doc:wang", Type: "ARTICLE", Title: "Two Wangs", Text: text, Sentences: model.SplitSentences(text)}
	dr := DraftDocument(doc, nil)
	if want := "Wang: Wang Wentao, Wang Yi"; !slices.Contains(dr.Ambiguous, want) {
		t.Errorf("ambiguous: got %q, want %q", dr.Ambiguous, want)
	}
	names := map[string]string{}
	for _, e := range dr.Entities {
		names[e.Name] = e.Role
	}
	if _, ok := names["Wang"]; ok {
		t.Error(`"Wang" became an entity of its own`)
	}
	if names["Wang Yi"] != "Foreign Minister" || names["Wang Wentao"] != "Commerce Minister" {
		t.Errorf("roles: got %v", names)
	}
	if _, ok := names["Xi"]; ok {
		t.Error(`"Xi" is the short form of Xi Jinping, not a new entity`)
	}
	if _, ok := names["Friday"]; ok {
		t.Error("a weekday became a candidate")
	}
	writeAndDryRun(t, dr, KnownLookup(nil))
}

// Bad input gets a clear error naming the cause; nothing is drafted.
func TestDraftBadInput(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"empty.txt":   []byte("  \n\n"),
		"binary.txt":  {0x7f, 'E', 'L', 'F', 0, 1, 2},
		"latin1.txt":  []byte("Caf\xe9 talks in Z\xfcrich."),
		"huge.txt":    bytes.Repeat([]byte("Tariffs rose again. "), MaxArticleBytes/20+1),
		"front.md":    []byte("---\ntitle: Only front matter\n---\n"),
		"article.csv": []byte("a,b\n"),
	}
	want := map[string]string{
		"empty.txt": "the file is empty", "binary.txt": "a binary file", "latin1.txt": "invalid UTF-8 at byte offset 3",
		"huge.txt": "over the limit", "front.md": "text: is empty", "article.csv": "want a .txt or .md article",
		"missing.txt": "cannot read",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, msg := range want {
		t.Run(name, func(t *testing.T) {
			_, err := ReadArticle(filepath.Join(dir, name), ArticleMeta{Title: "T"})
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Fatalf("got %v, want an error containing %q", err, msg)
			}
		})
	}
}

// A draft that does not validate is not written, and an existing file is kept.
func TestWriteDraftWritesNothingInvalid(t *testing.T) {
	text := "Ruritania imposed a tariff on tin."
	doc := model.DocumentRecord{ID: "doc:r", Type: "ARTICLE", Title: "R", Text: text, Sentences: model.SplitSentences(text)}
	dr := DraftDocument(doc, nil)
	if len(dr.Relationships) == 0 {
		t.Fatal("no relationship drafted")
	}
	dr.Relationships[0].Evidence[0].Quote = "Ruritania banned tin"
	path := filepath.Join(t.TempDir(), "d.yaml")
	err := WriteDraft(context.Background(), dr, "test", path, KnownLookup(nil), false)
	if err == nil || !strings.Contains(err.Error(), "is not verbatim") {
		t.Fatalf("got %v, want the quote reported", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Fatalf("files left behind: %v", entries)
	}
	if err := os.WriteFile(path, []byte("edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dr.Relationships = nil
	if err := WriteDraft(context.Background(), dr, "test", path, KnownLookup(nil), false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("got %v, want a refusal to replace the file", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "edited\n" {
		t.Fatalf("the existing file changed: %q", b)
	}
}

// Subject and object follow the sentence: active, passive with "by", "X's Y",
// and the kind rules of the vocabulary.
func TestDraftPatterns(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // "TYPE from to", by name
		not  []string
	}{
		{"Ruritania imposed a 20 per cent tariff on Japanese steel.", []string{"IMPOSES Ruritania 20 per cent tariff on Japanese steel", "TARGETS 20 per cent tariff on Japanese steel Japanese steel", "TARGETS 20 per cent tariff on Japanese steel Japan"}, nil},
		{"The statement was published by the trade ministry.", []string{"ISSUED trade ministry statement"}, []string{"ISSUED statement trade ministry"}},
		{"Ruritania's export controls on gallium hurt German carmakers.", []string{"IMPOSES Ruritania export controls on gallium", "RESTRICTS export controls on gallium gallium", "AFFECTS export controls on gallium German carmakers", "MEMBER_OF German carmakers Germany"}, nil},
		{"The talks in Geneva, followed by a summit in Oslo, eased the sanctions on steel.", []string{"FOLLOWED summit in Oslo talks in Geneva"}, []string{"FOLLOWED talks in Geneva summit in Oslo"}},
		{"Ruritania will lift its ban on tin, while Borduria will ease its quotas on steel.", []string{"IMPOSES Borduria quotas on steel", "IMPOSES Ruritania ban on tin"}, []string{"EASES ban on tin quotas on steel"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			doc := model.DocumentRecord{ID: "doc:t", Type: "ARTICLE", Title: "T", Text: tc.text, Sentences: model.SplitSentences(tc.text)}
			dr := DraftDocument(doc, nil)
			name := map[string]string{}
			for _, e := range dr.Entities {
				name[e.ID] = e.Name
			}
			var got []string
			for _, r := range dr.Relationships {
				got = append(got, r.Type+" "+name[r.From]+" "+name[r.To])
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q; got %q", w, got)
				}
			}
			for _, w := range tc.not {
				if slices.Contains(got, w) {
					t.Errorf("proposed %q", w)
				}
			}
			writeAndDryRun(t, dr, KnownLookup(nil))
		})
	}
}

func TestKnownLookup(t *testing.T) {
	kinds, _, err := KnownLookup{{ID: "actor:a", Kind: model.KindActor}}.Known(context.Background(), []string{"actor:a", "actor:b"})
	if err != nil || len(kinds) != 1 || kinds["actor:a"] != model.KindActor {
		t.Fatalf("got %v, %v", kinds, err)
	}
	if _, err := ReadArticle("testdata/draft/none.txt", ArticleMeta{}); err == nil || errors.Is(err, ErrBadArticle) {
		t.Fatalf("a missing file: got %v, want a read error", err)
	}
}
