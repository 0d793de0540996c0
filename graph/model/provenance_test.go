package model

import (
	"reflect"
	"strings"
	"testing"
)

func TestProvenanceRoundTrip(t *testing.T) {
	ps := []Provenance{
		{Source: "data/seed/deal.yaml", FirstSeen: "2026-01-02T03:04:05Z", LastSeen: "2026-01-03T03:04:05Z", By: "ana"},
		{Source: `odd {"source":"x"} name`, FirstSeen: "2026-01-02T03:04:05Z", LastSeen: "2026-01-02T03:04:05Z", By: "api:{b}"},
	}
	enc := EncodeProvenance(ps)
	if strings.Count(enc, "{") != len(ps) || strings.Count(enc, "}") != len(ps) {
		t.Errorf("encoded %s: want exactly one brace pair per entry", enc)
	}
	if !strings.Contains(enc, ProvEntryHead(ps[1].Source)) {
		t.Errorf("encoded %s lacks the head of %q", enc, ps[1].Source)
	}
	got, err := DecodeProvenance(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ps) {
		t.Errorf("got %+v, want %+v", got, ps)
	}
}

func TestSourceCheck(t *testing.T) {
	for _, tt := range []struct {
		s  Source
		ok bool
	}{
		{Source{ID: "a.yaml", By: "ana"}, true},
		{Source{ID: " "}, false},
		{Source{ID: "a\nb"}, false},
		{Source{ID: "a", By: "x\x00"}, false},
	} {
		if err := tt.s.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v: got %v, want ok=%v", tt.s, err, tt.ok)
		}
	}
}
