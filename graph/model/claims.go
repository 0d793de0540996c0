package model

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// EntityClaim is what one source (a dataset file, a bulk input, an article, a
// mutation's token name) says about one entity. The graph keeps every source's
// claim, and the entity's fields are what CombineClaims makes of all of them, so
// the result never depends on which source was loaded last.
type EntityClaim struct {
	Source string
	// Priority decides a conflict: the value of the highest-priority source wins
	// (a file's `priority:` key; `--prefer-this-source` raises a load above every
	// source the entity already has).
	Priority int
	Record   EntityRecord
	// Cleared names fields the source set to null explicitly: it withdraws its own
	// value of each, without asserting another.
	Cleared []string
}

// SourcedValue is one value of a field with the sources that give it, best first
// within a conflict.
type SourcedValue struct {
	Value   string
	Sources []string
}

// FieldConflict reports a field that sources give different values for. Values[0]
// is the one the entity shows.
type FieldConflict struct {
	Field  string
	Values []SourcedValue
}

func (c FieldConflict) String() string {
	s := fmt.Sprintf("%s: %q (from %v) kept", c.Field, c.Values[0].Value, c.Values[0].Sources)
	for _, v := range c.Values[1:] {
		s += fmt.Sprintf(", %q (from %v) differs", v.Value, v.Sources)
	}
	return s
}

// scalarFields are the single-valued entity fields that sources can disagree on,
// with how to read and set each on a record. Kind and ID are the entity's
// identity, not claims.
var scalarFields = []struct {
	name string
	get  func(*EntityRecord) string
	set  func(*EntityRecord, string)
}{
	{"name", func(e *EntityRecord) string { return e.Name }, func(e *EntityRecord, v string) { e.Name = v }},
	{"type", func(e *EntityRecord) string { return e.Type }, func(e *EntityRecord, v string) { e.Type = v }},
	{"description", func(e *EntityRecord) string { return e.Description }, func(e *EntityRecord, v string) { e.Description = v }},
	{"role", func(e *EntityRecord) string { return e.Role }, func(e *EntityRecord, v string) { e.Role = v }},
	{"start", func(e *EntityRecord) string { return e.Start }, func(e *EntityRecord, v string) { e.Start = v }},
	{"end", func(e *EntityRecord) string { return e.End }, func(e *EntityRecord, v string) { e.End = v }},
	{"place", func(e *EntityRecord) string { return e.Place }, func(e *EntityRecord, v string) { e.Place = v }},
	{"category", func(e *EntityRecord) string { return e.Category }, func(e *EntityRecord, v string) { e.Category = v }},
	{"status", func(e *EntityRecord) string { return e.Status }, func(e *EntityRecord, v string) { e.Status = v }},
	{"rate", func(e *EntityRecord) string { return formatRate(e.Rate) }, func(e *EntityRecord, v string) { e.Rate = parseRate(v) }},
	{"unit", func(e *EntityRecord) string { return e.Unit }, func(e *EntityRecord, v string) { e.Unit = v }},
	{"announced", func(e *EntityRecord) string { return e.Announced }, func(e *EntityRecord, v string) { e.Announced = v }},
	{"inForce", func(e *EntityRecord) string { return e.InForce }, func(e *EntityRecord, v string) { e.InForce = v }},
	{"suspended", func(e *EntityRecord) string { return e.Suspended }, func(e *EntityRecord, v string) { e.Suspended = v }},
	{"ended", func(e *EntityRecord) string { return e.Ended }, func(e *EntityRecord, v string) { e.Ended = v }},
	// A status history is one value: sources that tell it differently conflict.
	{"statusHistory", func(e *EntityRecord) string { return formatHistory(e.StatusHistory) }, func(e *EntityRecord, v string) { e.StatusHistory = parseHistory(v) }},
}

// formatHistory writes a status history as "DATE=STATUS; ..." (the bulk format).
func formatHistory(h []StatusChange) string {
	parts := make([]string, len(h))
	for i, c := range h {
		parts[i] = c.Date + "=" + c.Status
	}
	return strings.Join(parts, "; ")
}

func parseHistory(s string) []StatusChange {
	if s == "" {
		return nil
	}
	var out []StatusChange
	for _, p := range strings.Split(s, "; ") {
		date, status, _ := strings.Cut(p, "=")
		out = append(out, StatusChange{Date: date, Status: status})
	}
	return out
}

// ClaimFields lists the fields CombineClaims combines: the scalar ones, then the
// list fields whose values are united (aliases, uses).
func ClaimFields() []string {
	out := make([]string, 0, len(scalarFields)+2)
	for _, f := range scalarFields {
		out = append(out, f.name)
	}
	return append(out, "aliases", "uses")
}

func formatRate(r *float64) string {
	if r == nil {
		return ""
	}
	return strconv.FormatFloat(*r, 'g', -1, 64)
}

func parseRate(s string) *float64 {
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &f
}

// CombineClaims returns the entity that the claims describe together, and the
// fields they disagree on. The rules, the same whatever order the claims come in:
//   - aliases and uses are the union of every source's, in precedence order;
//   - a field no source gives stays empty; an absent or cleared field never erases
//     another source's value;
//   - when sources give different values, the value held by the highest-priority
//     source wins, then the value more sources give, then the source id first in
//     byte order; every such field is reported as a conflict.
//
// Claims must be of one entity (same ID and Kind); the first claim's are kept.
func CombineClaims(claims []EntityClaim) (EntityRecord, []FieldConflict) {
	if len(claims) == 0 {
		return EntityRecord{}, nil
	}
	ordered := slices.Clone(claims)
	slices.SortStableFunc(ordered, func(a, b EntityClaim) int {
		if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
			return c
		}
		return cmp.Compare(a.Source, b.Source)
	})
	out := EntityRecord{ID: claims[0].Record.ID, Kind: claims[0].Record.Kind}
	var conflicts []FieldConflict
	for _, f := range scalarFields {
		values := fieldValues(ordered, f.name, f.get)
		if len(values) == 0 {
			continue
		}
		f.set(&out, values[0].value.Value)
		if len(values) > 1 {
			c := FieldConflict{Field: f.name}
			for _, v := range values {
				c.Values = append(c.Values, v.value)
			}
			conflicts = append(conflicts, c)
		}
	}
	for _, c := range ordered {
		if !slices.Contains(c.Cleared, "aliases") {
			out.Aliases = unite(out.Aliases, c.Record.Aliases)
		}
		if !slices.Contains(c.Cleared, "uses") {
			out.Uses = unite(out.Uses, c.Record.Uses)
		}
	}
	return out, conflicts
}

type rankedValue struct {
	value    SourcedValue
	priority int // the highest priority among its sources
}

// fieldValues gathers the distinct values of one field over claims already in
// precedence order, best first.
func fieldValues(ordered []EntityClaim, field string, get func(*EntityRecord) string) []rankedValue {
	var values []rankedValue
	for i := range ordered {
		c := &ordered[i]
		v := get(&c.Record)
		if v == "" || slices.Contains(c.Cleared, field) {
			continue
		}
		j := slices.IndexFunc(values, func(r rankedValue) bool { return r.value.Value == v })
		if j < 0 {
			values = append(values, rankedValue{value: SourcedValue{Value: v}, priority: c.Priority})
			j = len(values) - 1
		}
		values[j].value.Sources = append(values[j].value.Sources, c.Source)
	}
	// Claims came in precedence order, so each value's first source is its best;
	// the stable sort keeps that order between values of equal rank.
	slices.SortStableFunc(values, func(a, b rankedValue) int {
		if c := cmp.Compare(b.priority, a.priority); c != 0 {
			return c
		}
		return cmp.Compare(len(b.value.Sources), len(a.value.Sources))
	})
	return values
}

// unite appends to list the values of more it lacks, keeping list's order.
func unite(list, more []string) []string {
	for _, v := range more {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// FieldChange is one field of an entity that a write changes.
type FieldChange struct {
	Field         string
	Before, After string
}

// DiffEntity lists the combined fields that differ between before and after, in
// ClaimFields order; list fields are shown joined with ", ".
func DiffEntity(before, after EntityRecord) []FieldChange {
	var out []FieldChange
	for _, f := range scalarFields {
		if b, a := f.get(&before), f.get(&after); b != a {
			out = append(out, FieldChange{f.name, b, a})
		}
	}
	for _, f := range []struct {
		name string
		b, a []string
	}{{"aliases", before.Aliases, after.Aliases}, {"uses", before.Uses, after.Uses}} {
		if !slices.Equal(f.b, f.a) {
			out = append(out, FieldChange{f.name, joinList(f.b), joinList(f.a)})
		}
	}
	return out
}

func joinList(l []string) string {
	s := ""
	for i, v := range l {
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(v)
	}
	return "[" + s + "]"
}

// storedClaim is one claim as the `claims` property of an entity keeps it.
type storedClaim struct {
	Source   string       `json:"source"`
	Priority int          `json:"priority"`
	Record   EntityRecord `json:"record"`
	Cleared  []string     `json:"cleared,omitempty"`
}

// EncodeClaims returns the `claims` property of an entity: a JSON list of every
// source's claim, ordered by source id so that equal claims encode equally.
func EncodeClaims(claims []EntityClaim) string {
	out := make([]storedClaim, len(claims))
	for i, c := range claims {
		out[i] = storedClaim(c)
	}
	slices.SortFunc(out, func(a, b storedClaim) int { return cmp.Compare(a.Source, b.Source) })
	b, err := json.Marshal(out)
	if err != nil {
		panic(err) // claims hold only JSON-encodable values
	}
	return string(b)
}

// DecodeClaims reads a `claims` property; "" reads as none.
func DecodeClaims(s string) ([]EntityClaim, error) {
	if s == "" {
		return nil, nil
	}
	var in []storedClaim
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	out := make([]EntityClaim, len(in))
	for i, c := range in {
		out[i] = EntityClaim(c)
	}
	return out, nil
}

// EntityConflict is a field of one entity that sources disagree on, as a write
// reports it.
type EntityConflict struct {
	Entity string
	FieldConflict
}

// Other returns the values of the conflict that src does not give, with their
// sources, and the value src gives ("" when it gives none).
func (c FieldConflict) Other(src string) (mine string, others []SourcedValue) {
	for _, v := range c.Values {
		if slices.Contains(v.Sources, src) {
			mine = v.Value
		} else {
			others = append(others, v)
		}
	}
	return mine, others
}

// SourcesByField lists, for each claim field that some source gives, its values
// with their sources, best first: the entity shows Values[0]. Aliases and uses
// list one value per distinct alias or use.
func SourcesByField(claims []EntityClaim) []FieldConflict {
	ordered := slices.Clone(claims)
	slices.SortStableFunc(ordered, func(a, b EntityClaim) int {
		if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
			return c
		}
		return cmp.Compare(a.Source, b.Source)
	})
	var out []FieldConflict
	for _, f := range scalarFields {
		values := fieldValues(ordered, f.name, f.get)
		if len(values) == 0 {
			continue
		}
		fc := FieldConflict{Field: f.name}
		for _, v := range values {
			fc.Values = append(fc.Values, v.value)
		}
		out = append(out, fc)
	}
	for _, list := range []struct {
		name string
		get  func(*EntityRecord) []string
	}{{"aliases", func(e *EntityRecord) []string { return e.Aliases }}, {"uses", func(e *EntityRecord) []string { return e.Uses }}} {
		fc := FieldConflict{Field: list.name}
		for _, c := range ordered {
			if slices.Contains(c.Cleared, list.name) {
				continue
			}
			for _, v := range list.get(&c.Record) {
				j := slices.IndexFunc(fc.Values, func(s SourcedValue) bool { return s.Value == v })
				if j < 0 {
					fc.Values = append(fc.Values, SourcedValue{Value: v})
					j = len(fc.Values) - 1
				}
				if !slices.Contains(fc.Values[j].Sources, c.Source) {
					fc.Values[j].Sources = append(fc.Values[j].Sources, c.Source)
				}
			}
		}
		if len(fc.Values) > 0 {
			out = append(out, fc)
		}
	}
	return out
}

// UpsertClaim returns claims with c in place of the claim of c.Source (added when
// there is none). With prefer, c's priority is raised above every other claim's.
func UpsertClaim(claims []EntityClaim, c EntityClaim, prefer bool) []EntityClaim {
	out := make([]EntityClaim, 0, len(claims)+1)
	top := c.Priority
	for _, o := range claims {
		if o.Source == c.Source {
			continue
		}
		top = max(top, o.Priority+1)
		out = append(out, o)
	}
	if prefer {
		c.Priority = top
	}
	return append(out, c)
}

// DropClaim returns claims without the claims of src: its own and those a merge
// carried over from an entity src described (MergedClaims), which src stops
// making when it no longer names that entity.
func DropClaim(claims []EntityClaim, src string) []EntityClaim {
	return slices.DeleteFunc(slices.Clone(claims), func(c EntityClaim) bool {
		return c.Source == src || strings.HasPrefix(c.Source, src+mergedFrom)
	})
}

// mergedFrom joins a source and a merged-away id in the key of a merged claim.
const mergedFrom = " (merged from "

// MergedClaims returns the claims of entity intoID once entity fromID is merged
// into it: into's claims as they are, and each of from's claims under a key of
// its own (its source + " (merged from " + fromID + ")"), re-keyed to intoID,
// with no name and with its name among its aliases, leaving out names that
// into's claims already give in any case. The survivor keeps its name, gains the
// other's names as aliases, and a later load of either source replaces only its
// own claim, so the merge's additions stay.
func MergedClaims(into, from []EntityClaim, fromID, intoID string) []EntityClaim {
	have := map[string]bool{}
	for _, c := range into {
		have[strings.ToLower(c.Record.Name)] = true
		for _, a := range c.Record.Aliases {
			have[strings.ToLower(a)] = true
		}
	}
	out := slices.Clone(into)
	for _, c := range from {
		c.Source += mergedFrom + fromID + ")"
		c.Record.ID = intoID
		var aliases []string
		for _, a := range append([]string{c.Record.Name}, c.Record.Aliases...) {
			if a != "" && !have[strings.ToLower(a)] {
				have[strings.ToLower(a)] = true
				aliases = append(aliases, a)
			}
		}
		c.Record.Name, c.Record.Aliases = "", aliases
		out = append(out, c)
	}
	return out
}
