package model

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Source is who asserts what a batch writes: every write carries one, and every
// node and relationship it writes records it (the `sources` and `prov`
// properties), so a fact asserted by several sources keeps them all.
type Source struct {
	// ID is the stable source id: a curated file's `source:` key or its path
	// relative to the working directory, a bulk input's relative path, an
	// article's path, or `api:<token name>` for a mutation.
	ID string
	// By is who ran the write: the loader's --as name (default the OS user) or the
	// API token's name.
	By string
	// Priority decides entity field conflicts: the value of the highest-priority
	// source wins (a curated file's `priority:` key).
	Priority int
	// Prefer raises this source's entity claims above every other source the
	// entity already has (--prefer-this-source).
	Prefer bool
}

// Check returns a problem with the source, or nil: an id is required, and
// neither the id nor By may hold control characters.
func (s Source) Check() error {
	if strings.TrimSpace(s.ID) == "" {
		return fmt.Errorf("source: an id is required")
	}
	for _, v := range []string{s.ID, s.By} {
		if strings.IndexFunc(v, unicode.IsControl) >= 0 {
			return fmt.Errorf("source %q: control characters are not allowed", v)
		}
	}
	return nil
}

// Provenance is one source's assertion of a fact: when it first and last
// asserted it and who ran that write. Times are ISO 8601 UTC, to the second.
type Provenance struct {
	Source    string `json:"source"`
	FirstSeen string `json:"firstSeen"`
	LastSeen  string `json:"lastSeen"`
	By        string `json:"by"`
}

// ProvTimeLayout is the layout of FirstSeen and LastSeen: fixed width, so the
// store can update an entry in place.
const ProvTimeLayout = "2006-01-02T15:04:05Z"

// ProvTime formats t as a provenance time.
func ProvTime(t time.Time) string { return t.UTC().Format(ProvTimeLayout) }

// ProvQuote returns s as a JSON string in the canonical form of the `prov`
// property: braces escaped (\u007b, \u007d), so that the only braces of the
// encoded list delimit its entries and the store can find one source's entry by
// its text.
func ProvQuote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always encodes
	}
	return braceEscaper.Replace(string(b))
}

// braceEscaper is ProvQuote's replacer, built once: a strings.Replacer builds
// its tables on first use, which was most of ProvQuote's time when it was made
// per call (a bulk load quotes a source and an operator for every entity).
var braceEscaper = strings.NewReplacer("{", `\u007b`, "}", `\u007d`)

// ProvEntryHead is the text an entry of source src starts with in the `prov`
// property, up to its firstSeen value.
func ProvEntryHead(src string) string {
	return `{"source":` + ProvQuote(src) + `,"firstSeen":"`
}

// ProvEntryTail is the text an entry written at now by by ends with, after its
// firstSeen value.
func ProvEntryTail(now, by string) string {
	return `","lastSeen":"` + now + `","by":` + ProvQuote(by) + `}`
}

// EncodeProvenance returns the canonical `prov` property of ps: a JSON list of
// {source, firstSeen, lastSeen, by}. Anything that writes `prov` must write it
// with this function (the batch writer updates the entries in place).
func EncodeProvenance(ps []Provenance) string {
	var b strings.Builder
	b.WriteString("[")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(ProvEntryHead(p.Source) + p.FirstSeen + ProvEntryTail(p.LastSeen, p.By))
	}
	b.WriteString("]")
	return b.String()
}

// UniteProvenance returns the entries of lists as one list: an entry per source,
// the earliest firstSeen and the latest lastSeen (with its by) of that source, in
// the order sources first appear. A merge of two entities unites theirs.
func UniteProvenance(lists ...[]Provenance) []Provenance {
	var out []Provenance
	at := map[string]int{}
	for _, l := range lists {
		for _, p := range l {
			i, ok := at[p.Source]
			if !ok {
				at[p.Source] = len(out)
				out = append(out, p)
				continue
			}
			if p.FirstSeen < out[i].FirstSeen {
				out[i].FirstSeen = p.FirstSeen
			}
			if p.LastSeen > out[i].LastSeen {
				out[i].LastSeen, out[i].By = p.LastSeen, p.By
			}
		}
	}
	return out
}

// DecodeProvenance reads a `prov` property; "" reads as none.
func DecodeProvenance(s string) ([]Provenance, error) {
	if s == "" {
		return nil, nil
	}
	var ps []Provenance
	if err := json.Unmarshal([]byte(s), &ps); err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	return ps, nil
}

// Facts names facts by identity: document and entity ids, relationship ids
// (RelationshipID).
type Facts struct {
	Documents, Entities, Relationships []string
	// Ends are the (from, type, to) of the relationships, when known: the store
	// names a relationship whose endpoint was merged away by its survivor's id.
	Ends [][3]string
}

// Len returns the number of facts named.
func (f Facts) Len() int { return len(f.Documents) + len(f.Entities) + len(f.Relationships) }

// Minus returns the facts of f that other does not name (without Ends).
func (f Facts) Minus(other Facts) Facts {
	minus := func(a, b []string) []string {
		in := make(map[string]bool, len(b))
		for _, v := range b {
			in[v] = true
		}
		var out []string
		for _, v := range a {
			if !in[v] {
				out = append(out, v)
			}
		}
		return out
	}
	return Facts{Documents: minus(f.Documents, other.Documents), Entities: minus(f.Entities, other.Entities), Relationships: minus(f.Relationships, other.Relationships)}
}

// Stale is a fact a source asserted and no longer does, as --sync finds it.
type Stale struct {
	What string // "document", "entity" or "relationship"
	ID   string
	// Label says which fact it is to a reader: a name, or "from TYPE to".
	Label string
	// Sources are all the sources that assert it now, this one included.
	Sources []string
}

// Retraction is what --sync did to one stale fact.
type Retraction struct {
	Stale
	// Outcome is "retracted" (deleted, its retraction recorded), "unsourced" (other
	// sources still assert it: only this source was removed from it) or "kept"
	// (its only source is this one but other sources' facts need it; Reason says
	// which).
	Outcome string
	Reason  string
}

// EntityPreview is what a write would change on an entity the graph holds: its
// fields before and after, and the conflicts the writing source takes part in.
type EntityPreview struct {
	ID        string
	Changes   []FieldChange
	Conflicts []FieldConflict
}
