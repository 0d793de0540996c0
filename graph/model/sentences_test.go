package model

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestSplitSentencesSeed(t *testing.T) {
	raw, err := os.ReadFile("../../data/seed/us-china-rare-earth-deal.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	got := SplitSentences(text)
	if len(got) != 15 {
		t.Fatalf("got %d sentences, want 15:\n%s", len(got), strings.Join(got, "\n"))
	}
	// The start of some sentences, read off the article by hand: lines 6, 9, 10 and
	// 11 hold two sentences each, and "U.S." (sentences 5, 8, 9, 13, 15) ends none.
	starts := map[int]string{
		1:  "United States and China have reached",
		3:  "Commerce Secretary, Howard Lutnick, confirmed",
		5:  "In return, the U.S. could offer China relief",
		6:  "Trump responded positively",
		7:  "He also hinted at broader trade negotiations",
		8:  "China echoed U.S. optimism",
		9:  "While the agreement signals progress, U.S. officials",
		10: "This tentative deal follows two days",
		11: "A recent trade court ruling",
		12: "Unlike other countries",
		13: "However, a de-escalation meeting in May",
		14: "Despite progress, Washington",
		15: "On the other hand, Beijing has voiced frustration over U.S. semiconductor export restrictions",
	}
	for n, want := range starts {
		if !strings.HasPrefix(got[n-1], want) {
			t.Errorf("sentence %d: got %q, want it to start with %q", n, got[n-1], want)
		}
	}
	// Sentences are verbatim pieces of the text, in order, and cover all of it.
	rest := text
	for i, s := range got {
		at := strings.Index(rest, s)
		if at < 0 || strings.TrimSpace(rest[:at]) != "" {
			t.Fatalf("sentence %d %q is not the next verbatim piece of the text", i+1, s)
		}
		rest = rest[at+len(s):]
	}
	if strings.TrimSpace(rest) != "" {
		t.Errorf("text after the last sentence: %q", rest)
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"blank lines", "\n  \n", nil},
		{"two", "Tin is scarce. Ruritania bans it.", []string{"Tin is scarce.", "Ruritania bans it."}},
		{"U.S. does not split", "The U.S. imposes a tariff. China responds.", []string{"The U.S. imposes a tariff.", "China responds."}},
		{"U.S. before a name", "Officials of the U.S. Commerce Department met.", []string{"Officials of the U.S. Commerce Department met."}},
		{"title abbreviation", "Mr. Smith left. Dr. Jones stayed.", []string{"Mr. Smith left.", "Dr. Jones stayed."}},
		{"lower case after a full stop", "Rates fell to 3.5 per cent. and then rose.", []string{"Rates fell to 3.5 per cent. and then rose."}},
		{"question and exclamation", "Really? Yes! Fine.", []string{"Really?", "Yes!", "Fine."}},
		{"closing quote", `He said "stop." Then he left.`, []string{`He said "stop."`, "Then he left."}},
		{"typographic quote opens", "It ended. “Never again,” she said.", []string{"It ended.", "“Never again,” she said."}},
		{"digit starts a sentence", "Tariffs rose. 30 per cent now applies.", []string{"Tariffs rose.", "30 per cent now applies."}},
		{"line break ends a sentence", "A headline\nThe body starts here.", []string{"A headline", "The body starts here."}},
		{"CRLF", "One.\r\nTwo.\r\n", []string{"One.", "Two."}},
		{"two spaces after a full stop", "One ends.  Two starts.", []string{"One ends.", "Two starts."}},
		{"tab after a full stop", "One ends.\tTwo starts.", []string{"One ends.", "Two starts."}},
		{"inner spacing kept", "Tin  and\ttin.", []string{"Tin  and\ttin."}},
		{"trailing abbreviation ends the line", "Made in the U.S.", []string{"Made in the U.S."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
