package loaders_test

import (
	"reflect"
	"slices"
	"testing"

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
	m := loaders.NewMatcher([]loaders.Name{{"Rudolf Elphberg", "actor:rudolf"}, {"Ruritania", "actor:ruritania"}})
	got := m.Candidates([]string{
		"Prime Minister Rudolf Elphberg met Chancellor Sapt in Zenda.", // a title, a new name, a place
		"However, Ruritania’s ban holds.",                              // stopword only; the rest is known
		"In May the Zenda smelters closed.",                            // month and sentence-start words skipped
		"The Hentzau’s plan failed, Sapt said.",                        // possessive trimmed
		"Zenda, Zenda and Zenda.",                                      // once per sentence
		"In the E.U. they said “Borduria,” Sapt added.",                // an abbreviation keeps its dots; the quote ends a name
	})
	want := []loaders.Candidate{
		{Text: "Prime Minister", Sentences: []int{1}},
		{Text: "Chancellor Sapt", Sentences: []int{1}},
		{Text: "Zenda", Sentences: []int{1, 3, 5}},
		{Text: "Hentzau", Sentences: []int{4}},
		{Text: "Sapt", Sentences: []int{4, 6}},
		{Text: "E.U.", Sentences: []int{6}},
		{Text: "Borduria", Sentences: []int{6}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
