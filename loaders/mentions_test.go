package loaders_test

import (
	"reflect"
	"slices"
	"testing"

	"tradegraph/graph/model"

	"tradegraph/loaders"
)

// spans returns what m finds in s as "text=entity" strings, in text order.
func spans(m *loaders.Matcher, s string) []string {
	var out []string
	for _, sp := range m.Find(s) {
		out = append(out, s[sp.Start:sp.End]+"="+sp.EntityID)
	}
	return out
}

func TestMatcherFind(t *testing.T) {
	m := loaders.NewMatcher([]loaders.Name{
		{"China", "actor:china"}, {"Beijing", "actor:china"},
		{"United States", "actor:us"}, {"U.S.", "actor:us"}, {"US", "actor:us"}, {"Washington", "actor:us"},
		{"U.S. officials", "actor:us-officials"},
		{"Xi Jinping", "actor:xi"}, {"Jinping", "actor:xi"}, {"President Xi Jinping", "actor:xi"},
		{"Trump", "actor:trump"},
		{"China’s restrictions on rare earth minerals", "policy:china-restrictions"},
		{"rare earth minerals", "commodity:rare-earths"},
		{"trade court", "actor:trade-court"}, {"trade court ruling", "policy:ruling"},
		{"George Washington", "actor:george-washington"},
		{"Georgia", "actor:georgia-country"}, {"Georgia", "actor:georgia-state"}, // ambiguous
		{"  ", "actor:blank"}, // ignored
	})
	tests := []struct {
		name, sentence string
		want           []string
	}{
		{"alias resolves to its entity", "addressing Beijing’s concerns", []string{"Beijing=actor:china"}},
		{"case-insensitive", "BEIJING and beijing", []string{"BEIJING=actor:china", "beijing=actor:china"}},
		{"longest first: full name over surname alias", "President Xi Jinping spoke", []string{"President Xi Jinping=actor:xi"}},
		{"short alias alone", "between Trump and Jinping.", []string{"Trump=actor:trump", "Jinping=actor:xi"}},
		{"longest first: a name inside a longer one of another entity", "to loosen China’s restrictions on rare earth minerals, a", []string{"China’s restrictions on rare earth minerals=policy:china-restrictions"}},
		{"longest first: group over country", "U.S. officials have remained cautious", []string{"U.S. officials=actor:us-officials"}},
		{"longest first: ruling over court", "A recent trade court ruling determined", []string{"trade court ruling=policy:ruling"}},
		{"the court alone", "an appeals court and the trade court", []string{"trade court=actor:trade-court"}},
		{"longest first: a person over a city alias", "George Washington and Washington", []string{"George Washington=actor:george-washington", "Washington=actor:us"}},
		{"word boundaries", "Chinatown, Trumpet, USB and Indochina", nil},
		{"boundary at punctuation", "(China) US-China, Trump’s", []string{"China=actor:china", "US=actor:us", "China=actor:china", "Trump=actor:trump"}},
		{"acronym US is case-sensitive", "the US would gain", []string{"US=actor:us"}},
		{"pronoun us is not the US", "he told us; Us too", nil},
		{"U.S. with its full stops", "the U.S. could offer China relief", []string{"U.S.=actor:us", "China=actor:china"}},
		{"lower-case u.s. is not an acronym match", "the u.s. could", nil},
		{"every occurrence", "China, China and China", []string{"China=actor:china", "China=actor:china", "China=actor:china"}},
		{"ambiguous name is not linked", "Georgia signed", nil},
		{"nothing known", "Ruritania bans tin.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spans(m, tt.sentence); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMatcherAmbiguityIsPerName(t *testing.T) {
	// One entity listing a name twice (as name and alias) is not ambiguous.
	m := loaders.NewMatcher([]loaders.Name{{"China", "actor:china"}, {"china", "actor:china"}, {"Georgia", "actor:a"}, {"Georgia", "actor:b"}, {"Tbilisi", "actor:a"}})
	if got, want := spans(m, "China and Georgia, from Tbilisi"), []string{"China=actor:china", "Tbilisi=actor:a"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMatcherMentions(t *testing.T) {
	m := loaders.NewMatcher([]loaders.Name{{"China", "actor:china"}, {"Beijing", "actor:china"}, {"Trump", "actor:trump"}})
	got := m.Mentions([]string{
		"China and Beijing.", // twice in one sentence: counted once
		"Nothing here.",
		"Trump met China.",
	})
	want := map[string][]int{"actor:china": {1, 3}, "actor:trump": {3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCandidates(t *testing.T) {
	known := []loaders.KnownEntity{{ID: "actor:rudolf", Kind: model.KindActor, Type: "PERSON", Name: "Rudolf Elphberg"}, {ID: "actor:ruritania", Kind: model.KindActor, Type: "COUNTRY", Name: "Ruritania"}}
	res := loaders.ResolveNames(doc(
		"Prime Minister Rudolf Elphberg met Chancellor Sapt in Zenda on Thursday.",         // titles, a new name, a place, a weekday
		"However, Ruritania’s ban holds.",                                                  // sentence-start word; the rest is known
		"In May the Zenda smelters closed.",                                                // month and sentence-start words skipped
		"The Hentzau’s plan failed, Sapt said.",                                            // possessive stripped
		"Zenda, Zenda and Zenda.",                                                          // once per sentence
		"In the E.U. they said “Borduria,” Secretary of State Fritz von Tarlenheim added.", // a country of the gazetteer; a title split off
	), known)
	want := []loaders.Candidate{
		{Text: "Sapt", Type: "PERSON", Role: "Chancellor", Sentences: []int{1, 4}},
		{Text: "Zenda", Type: "ORGANIZATION", Sentences: []int{3, 5}},
		{Text: "Hentzau", Type: "ORGANIZATION", Sentences: []int{4}},
		{Text: "European Union", Type: "COUNTRY", Sentences: []int{6}},
		{Text: "Fritz von Tarlenheim", Type: "PERSON", Role: "Secretary of State", Sentences: []int{6}},
		{Text: "Borduria", Type: "ORGANIZATION", Sentences: []int{6}},
	}
	if !reflect.DeepEqual(res.Candidates, want) {
		t.Errorf("got  %+v\nwant %+v", res.Candidates, want)
	}
	if want := map[string][]int{"actor:rudolf": {1}, "actor:ruritania": {2}}; !reflect.DeepEqual(res.Mentions, want) {
		t.Errorf("mentions: got %v, want %v", res.Mentions, want)
	}
}

// Short forms of people's names and country adjectives link; an ambiguous short
// form links to nobody and is reported.
func TestResolveNames(t *testing.T) {
	known := []loaders.KnownEntity{
		{ID: "actor:xi-jinping", Kind: model.KindActor, Type: "PERSON", Name: "Xi Jinping"},
		{ID: "actor:wang-yi", Kind: model.KindActor, Type: "PERSON", Name: "Wang Yi"},
		{ID: "actor:china", Kind: model.KindActor, Type: "COUNTRY", Name: "China", Aliases: []string{"Beijing"}},
		{ID: "actor:united-states", Kind: model.KindActor, Type: "COUNTRY", Name: "United States", Aliases: []string{"U.S."}},
		{ID: "actor:nvidia", Kind: model.KindActor, Type: "COMPANY", Name: "Nvidia"},
	}
	res := loaders.ResolveNames(doc(
		"Xi met U.S. officials on Monday.",                          // family name first; "U.S." as an adjective
		"Chinese buyers want American soybeans and Nvidia's chips.", // demonyms; a possessive
		"Wang Wentao and Wang Yi spoke, and Wang said no.",          // two Wangs: "Wang" links to neither
		"China agreed, Xi said.",
	), known)
	wantMentions := map[string][]int{"actor:xi-jinping": {1, 4}, "actor:united-states": {1, 2}, "actor:china": {2, 4}, "actor:nvidia": {2}, "actor:wang-yi": {3}}
	if !reflect.DeepEqual(res.Mentions, wantMentions) {
		t.Errorf("mentions: got %v, want %v", res.Mentions, wantMentions)
	}
	wantAdj := map[string][]int{"actor:united-states": {1, 2}, "actor:china": {2}}
	if !reflect.DeepEqual(res.Adjectival, wantAdj) {
		t.Errorf("adjectival: got %v, want %v", res.Adjectival, wantAdj)
	}
	if want := []string{"Wang: Wang Wentao, Wang Yi"}; !reflect.DeepEqual(res.Ambiguous, want) {
		t.Errorf("ambiguous: got %q, want %q", res.Ambiguous, want)
	}
	if len(res.Candidates) != 1 || res.Candidates[0].Text != "Wang Wentao" {
		t.Errorf("candidates: got %+v, want only Wang Wentao", res.Candidates)
	}
}

// KnownFromNames guesses the subtypes name resolution needs from the names alone.
func TestKnownFromNames(t *testing.T) {
	got := loaders.KnownFromNames([]loaders.Name{
		{Text: "China", EntityID: "actor:china"}, {Text: "Beijing", EntityID: "actor:china"},
		{Text: "Howard Lutnick", EntityID: "actor:lutnick"}, {Text: "Trade court", EntityID: "actor:court"},
		{Text: "European Commission", EntityID: "actor:ec"}, {Text: "Rare earth minerals", EntityID: "commodity:re"},
	}, map[string]model.Kind{"actor:china": model.KindActor, "actor:lutnick": model.KindActor, "actor:court": model.KindActor, "actor:ec": model.KindActor, "commodity:re": model.KindCommodity})
	types := map[string]string{}
	for _, k := range got {
		types[k.ID] = k.Type
	}
	want := map[string]string{"actor:china": "COUNTRY", "actor:lutnick": "PERSON", "actor:court": "", "actor:ec": "", "commodity:re": ""}
	if !reflect.DeepEqual(types, want) || !reflect.DeepEqual(got[0].Aliases, []string{"Beijing"}) {
		t.Errorf("got %+v, want types %v", got, want)
	}
}

func doc(sentences ...string) model.DocumentRecord {
	return model.DocumentRecord{ID: "doc:t", Sentences: sentences}
}

// The new article, loaded as an article into a graph that holds the seed:
// the loader knows the seed's names and kinds only (as it reads them from the graph),
// and still links "Xi" and "Chinese", and lists Scott Bessent with his title as role.
func TestResolveNamesNewArticle(t *testing.T) {
	names := seedNames(t)
	kinds := map[string]model.Kind{}
	for _, n := range names {
		kinds[n.EntityID], _ = model.KindOfID(n.EntityID)
	}
	d, err := loaders.ReadArticle("testdata/draft/us-china-busan.md", loaders.ArticleMeta{})
	if err != nil {
		t.Fatal(err)
	}
	res := loaders.ResolveNames(d, loaders.KnownFromNames(names, kinds))
	if got := res.Mentions["actor:xi-jinping"]; !slices.Equal(got, []int{1, 2, 7}) {
		t.Errorf("Xi Jinping: got sentences %v, want [1 2 7] (\"Xi\" in 2 and 7)", got)
	}
	if got := res.Adjectival["actor:china"]; !slices.Equal(got, []int{1, 3, 5}) {
		t.Errorf("China, adjectival: got sentences %v, want [1 3 5] (\"Chinese\")", got)
	}
	cands := map[string]loaders.Candidate{}
	for _, c := range res.Candidates {
		cands[c.Text] = c
		for _, bad := range []string{"Thursday", "Secretary", "Treasury Secretary", "Chinese", "April", "Nvidia's"} {
			if c.Text == bad {
				t.Errorf("candidate %q", c.Text)
			}
		}
	}
	if c := cands["Scott Bessent"]; c.Type != "PERSON" || c.Role != "Treasury Secretary" || !slices.Equal(c.Sentences, []int{3, 4, 5, 9}) {
		t.Errorf("Scott Bessent: got %+v, want a PERSON, Treasury Secretary, in sentences 3, 4, 5 and 9", c)
	}
	if c := cands["Marco Rubio"]; c.Role != "Secretary of State" {
		t.Errorf("Marco Rubio: got %+v, want the role Secretary of State", c)
	}
	if _, ok := cands["Nvidia"]; !ok {
		t.Errorf("Nvidia is not a candidate: %+v", res.Candidates)
	}
}
