package model

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitTitle(t *testing.T) {
	for _, tc := range []struct {
		in                  string
		country, role, name string
	}{
		{"Treasury Secretary Scott Bessent", "", "Treasury Secretary", "Scott Bessent"},
		{"Secretary of State Marco Rubio", "", "Secretary of State", "Marco Rubio"},
		{"Chinese President Xi Jinping", "China", "President", "Xi Jinping"},
		{"U.S. Trade Representative Jamieson Greer", "United States", "Trade Representative", "Jamieson Greer"},
		{"Vice Premier He Lifeng", "", "Vice Premier", "He Lifeng"},
		{"Secretary", "", "Secretary", ""},
		{"Commerce Secretary", "", "Commerce Secretary", ""},
		{"Mr. Lutnick", "", "", "Lutnick"},
		{"Howard Lutnick", "", "", "Howard Lutnick"},
		{"Supreme Court", "", "", "Supreme Court"},
	} {
		country, role, name := SplitTitle(strings.Fields(tc.in))
		if country != tc.country || role != tc.role || strings.Join(name, " ") != tc.name {
			t.Errorf("SplitTitle(%q) = %q, %q, %q; want %q, %q, %q", tc.in, country, role, strings.Join(name, " "), tc.country, tc.role, tc.name)
		}
	}
}

func TestCountryNamed(t *testing.T) {
	for _, tc := range []struct {
		in         string
		country    string
		adjectival bool
	}{
		{"Chinese", "China", true}, {"American", "United States", true}, {"U.S.", "United States", false},
		{"US", "United States", false}, {"us", "", false}, {"Beijing’s", "China", false}, {"EU", "European Union", false},
		{"Ruritania", "", false},
	} {
		c, adj, ok := CountryNamed(tc.in)
		if c.Name != tc.country || adj != tc.adjectival || ok != (tc.country != "") {
			t.Errorf("CountryNamed(%q) = %q, %v, %v; want %q, %v", tc.in, c.Name, adj, ok, tc.country, tc.adjectival)
		}
	}
}

func TestNameForms(t *testing.T) {
	for in, want := range map[string]string{"Xi Jinping": "Xi", "Wang Yi": "Wang", "Donald Trump": "Trump", "Nvidia": ""} {
		if got := FamilyName(in); got != want {
			t.Errorf("FamilyName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Nvidia's": "Nvidia", "“Beijing’s,”": "Beijing", "U.S.": "U.S.", "China.": "China", "countries’": "countries"} {
		if got := StripPossessive(in); got != want {
			t.Errorf("StripPossessive(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NameKey("The  China’s"); got != "china" {
		t.Errorf("NameKey = %q, want china", got)
	}
	if got, want := ResolveName("Treasury Secretary Scott Bessent's"), []string{"Treasury Secretary Scott Bessent's", "Treasury Secretary Scott Bessent", "Scott Bessent"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ResolveName = %q, want %q", got, want)
	}
	if got, want := ResolveName("Chinese"), []string{"China", "Chinese"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ResolveName = %q, want %q", got, want)
	}
	for _, w := range []string{"Thursday", "May", "December"} {
		if !IsCalendarWord(w) {
			t.Errorf("%s is a calendar word", w)
		}
	}
}

// Every relationship type says how sentences state it, and every template parses.
func TestTriggers(t *testing.T) {
	for _, s := range Vocabulary {
		if len(Triggers[s.Type]) == 0 {
			t.Errorf("%s has no trigger templates: add how sentences say it to Triggers", s.Type)
		}
		for _, text := range Triggers[s.Type] {
			if _, err := ParseTrigger(s.Type, text); err != nil {
				t.Error(err)
			}
		}
	}
	for typ := range Triggers {
		if _, ok := LookupRel(string(typ)); !ok {
			t.Errorf("Triggers has %s, which is not in Vocabulary", typ)
		}
	}
	tr, err := ParseTrigger("STAYED", "X placed|put Y on hold")
	if err != nil || !tr.FirstIsFrom || !reflect.DeepEqual(tr.Mid, [][]string{{"placed", "put"}}) || len(tr.Tail) != 2 {
		t.Errorf("got %+v, %v", tr, err)
	}
	tr, err = ParseTrigger("ISSUED", "Y=statement published by X")
	if err != nil || tr.FirstIsFrom || !reflect.DeepEqual(tr.FirstHeads, []string{"statement"}) {
		t.Errorf("got %+v, %v", tr, err)
	}
	for _, bad := range []string{"X Y", "confirmed X Y", "X confirmed X", "X confirmed", "X a Y b X"} {
		if _, err := ParseTrigger("CONFIRMED", bad); err == nil {
			t.Errorf("ParseTrigger(%q): want an error", bad)
		}
	}
}
