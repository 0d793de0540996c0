package model

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// EntityRecord is one entity as loaders and mutations write it. Fields that belong to
// one kind only (Role for Actor, Status for Policy, ...) must be empty on the others.
type EntityRecord struct {
	ID          string   `yaml:"id" json:"id"`
	Kind        string   `yaml:"kind" json:"kind"`
	Type        string   `yaml:"type" json:"type"`
	Name        string   `yaml:"name" json:"name"`
	Aliases     []string `yaml:"aliases" json:"aliases"`
	Description string   `yaml:"description" json:"description"`
	// Actor
	Role string `yaml:"role" json:"role"`
	// Meeting
	Start string `yaml:"start" json:"start"`
	End   string `yaml:"end" json:"end"`
	Place string `yaml:"place" json:"place"`
	// Commodity
	Category string   `yaml:"category" json:"category"`
	Uses     []string `yaml:"uses" json:"uses"`
	// Policy
	Status string   `yaml:"status" json:"status"`
	Rate   *float64 `yaml:"rate" json:"rate"`
	Unit   string   `yaml:"unit" json:"unit"`
	// Policy milestones, partial dates: when it was announced, took effect, was
	// suspended and ended. They bound its lifetime (Lifetime).
	Announced string `yaml:"announced" json:"announced"`
	InForce   string `yaml:"inForce" json:"inForce"`
	Suspended string `yaml:"suspended" json:"suspended"`
	Ended     string `yaml:"ended" json:"ended"`
	// StatusHistory is the policy's status over time, in date order; its last
	// entry's status is Status.
	StatusHistory []StatusChange `yaml:"statusHistory" json:"statusHistory"`
	// Cleared names the fields the source set to null explicitly (a curated file's
	// `description: null`): it withdraws its own value of each (EntityClaim.Cleared).
	Cleared []string `yaml:"-" json:"-"`
}

// DocumentRecord is a source document with its text split into numbered sentences.
type DocumentRecord struct {
	ID        string `yaml:"id" json:"id"`
	Type      string `yaml:"type" json:"type"`
	Title     string `yaml:"title" json:"title"`
	Publisher string `yaml:"publisher" json:"publisher"`
	Date      string `yaml:"date" json:"date"`
	URL       string `yaml:"url" json:"url"`
	Language  string `yaml:"language" json:"language"`
	// Text is the full text; Sentences is derived from it with SplitSentences.
	Text      string   `yaml:"text" json:"text"`
	Sentences []string `yaml:"-" json:"-"`
}

// Evidence points at the sentence of a document that states a fact.
type Evidence struct {
	Doc      string `yaml:"doc" json:"doc"`
	Sentence int    `yaml:"sentence" json:"sentence"`
	Quote    string `yaml:"quote" json:"quote"`
	// SentenceText is the whole sentence, filled when read back from the graph.
	SentenceText string `yaml:"-" json:"-"`
}

// RelationshipRecord is one typed, evidenced relationship. A relationship is
// identified by (From, Type, To).
type RelationshipRecord struct {
	Type         string     `yaml:"type" json:"type"`
	From         string     `yaml:"from" json:"from"`
	To           string     `yaml:"to" json:"to"`
	ValidFrom    string     `yaml:"validFrom" json:"validFrom"`
	ValidTo      string     `yaml:"validTo" json:"validTo"`
	Confidence   *float64   `yaml:"confidence" json:"confidence"`
	AttributedTo string     `yaml:"attributedTo" json:"attributedTo"`
	Note         string     `yaml:"note" json:"note"`
	Evidence     []Evidence `yaml:"evidence" json:"evidence"`
}

// Key returns the relationship's identity, "from|TYPE|to".
func (r RelationshipRecord) Key() string { return r.From + "|" + r.Type + "|" + r.To }

// FieldError is one problem with one field of a record. Field is a path relative to
// the record, e.g. "evidence[0].quote".
type FieldError struct {
	Field   string
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

var idPattern = regexp.MustCompile(`^[a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*$`)

// KindOfID returns the kind whose prefix id carries, or false.
func KindOfID(id string) (Kind, bool) {
	for k, p := range IDPrefix {
		if strings.HasPrefix(id, p) {
			return k, true
		}
	}
	return "", false
}

// CheckID returns a problem with id for an entity of kind k, or "".
func CheckID(id string, k Kind) string {
	switch {
	case id == "":
		return "is required"
	case !idPattern.MatchString(id):
		return fmt.Sprintf("%q is not a slug id like %q (lowercase letters, digits and hyphens after the prefix)", id, IDPrefix[k]+"example-name")
	case k != "" && !strings.HasPrefix(id, IDPrefix[k]):
		return fmt.Sprintf("%q must start with %q for %s", id, IDPrefix[k], withArticle(k))
	}
	return ""
}

// Validate returns every problem with the entity on its own (references between
// records are checked by CheckRelationship).
func (e EntityRecord) Validate() []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	kind, ok := ParseKind(e.Kind)
	switch {
	case e.Kind == "":
		add("kind", "is required (one of Actor, Meeting, Commodity, Policy)")
	case !ok || kind == KindDocument:
		add("kind", "unknown kind %q (want Actor, Meeting, Commodity or Policy)", e.Kind)
		kind = ""
	}
	if msg := CheckID(e.ID, kind); msg != "" {
		add("id", "%s", msg)
	}
	if strings.TrimSpace(e.Name) == "" {
		add("name", "is required")
	}
	if kind != "" {
		if e.Type == "" {
			add("type", "is required for %s (one of %s)", withArticle(kind), strings.Join(Subtypes[kind], ", "))
		} else if !slices.Contains(Subtypes[kind], e.Type) {
			add("type", "unknown %s type %q (want one of %s)", kind, e.Type, strings.Join(Subtypes[kind], ", "))
		}
	}
	for i, a := range e.Aliases {
		if strings.TrimSpace(a) == "" {
			add(fmt.Sprintf("aliases[%d]", i), "is empty")
		}
	}
	only := func(k Kind, field string, set bool) {
		if set && kind != "" && kind != k {
			add(field, "applies to %s only, not to %s", k, withArticle(kind))
		}
	}
	only(KindActor, "role", e.Role != "")
	only(KindMeeting, "start", e.Start != "")
	only(KindMeeting, "end", e.End != "")
	only(KindMeeting, "place", e.Place != "")
	only(KindCommodity, "category", e.Category != "")
	only(KindCommodity, "uses", len(e.Uses) > 0)
	only(KindPolicy, "status", e.Status != "")
	only(KindPolicy, "rate", e.Rate != nil)
	only(KindPolicy, "unit", e.Unit != "")
	if kind == KindPolicy {
		if e.Status == "" {
			add("status", "is required for a Policy (one of %s)", strings.Join(PolicyStatuses, ", "))
		} else if !slices.Contains(PolicyStatuses, e.Status) {
			add("status", "unknown status %q (want one of %s)", e.Status, strings.Join(PolicyStatuses, ", "))
		}
		if e.Rate != nil && e.Unit == "" {
			add("unit", "is required when rate is given (e.g. percent)")
		}
	}
	checkDateRange(add, "start", e.Start, "end", e.End)
	e.validateLifetime(kind, add)
	return errs
}

// MaxTextBytes bounds a document's text: a document is read and written whole,
// and what a read of one costs grows with it.
const MaxTextBytes = 8 << 20

// Validate returns every problem with the document on its own. Call it after
// Sentences has been filled from Text.
func (d DocumentRecord) Validate() []FieldError {
	var errs []FieldError
	if msg := CheckID(d.ID, KindDocument); msg != "" {
		errs = append(errs, FieldError{"id", msg})
	}
	if strings.TrimSpace(d.Title) == "" {
		errs = append(errs, FieldError{"title", "is required"})
	}
	if d.Type != "" && !slices.Contains(Subtypes[KindDocument], d.Type) {
		errs = append(errs, FieldError{"type", fmt.Sprintf("unknown document type %q (want one of %s)", d.Type, strings.Join(Subtypes[KindDocument], ", "))})
	}
	if d.Date != "" {
		if _, err := ParseDate(d.Date); err != nil {
			errs = append(errs, FieldError{"date", err.Error()})
		}
	}
	switch {
	case len(d.Text) > MaxTextBytes:
		errs = append(errs, FieldError{"text", fmt.Sprintf("is %.1f MiB: a document's text may hold at most %d MiB (split it into parts)", float64(len(d.Text))/(1<<20), MaxTextBytes>>20)})
	case !utf8.ValidString(d.Text):
		errs = append(errs, FieldError{"text", "is not valid UTF-8"})
	case len(d.Sentences) == 0:
		errs = append(errs, FieldError{"text", "is empty: a document needs its text"})
	}
	return errs
}

// Lookup tells CheckRelationship what the ids it meets refer to.
type Lookup interface {
	// KindOf returns the kind of the entity or document with id, or false if none exists.
	KindOf(id string) (Kind, bool)
	// Sentences returns the numbered sentences of document id (index 0 is sentence 1).
	Sentences(id string) ([]string, bool)
}

// CheckRelationship returns every problem with r: an unknown type, endpoints that do
// not exist or that the type does not allow, bad dates or confidence, and evidence
// whose quote is not verbatim in the named sentence of its document.
func CheckRelationship(r RelationshipRecord, lk Lookup) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	spec, known := LookupRel(r.Type)
	if r.Type == "" {
		add("type", "is required")
	} else if !known {
		add("type", "unknown relationship type %q (want one of %s)", r.Type, strings.Join(RelTypeNames(), ", "))
	}
	fromKind, fromOK := endpoint(lk, "from", r.From, add)
	toKind, toOK := endpoint(lk, "to", r.To, add)
	if known && fromOK && !slices.Contains(spec.From, fromKind) {
		add("from", "%s cannot start at %s, %s (allowed: %s)", r.Type, r.From, withArticle(fromKind), kindList(spec.From))
	}
	if known && toOK && !slices.Contains(spec.To, toKind) {
		add("to", "%s cannot end at %s, %s (allowed: %s)", r.Type, r.To, withArticle(toKind), kindList(spec.To))
	}
	if r.From != "" && r.From == r.To {
		add("to", "a relationship cannot point at its own start %s", r.From)
	}
	checkDateRange(add, "validFrom", r.ValidFrom, "validTo", r.ValidTo)
	checkLifetimes(r, lk, add)
	// Written so that NaN (YAML .nan) is out of range too.
	if c := r.Confidence; c != nil && !(*c >= 0 && *c <= 1) {
		add("confidence", "%v is outside 0..1", *c)
	}
	if r.AttributedTo != "" {
		if _, ok := lk.KindOf(r.AttributedTo); !ok {
			add("attributedTo", "unknown entity %q", r.AttributedTo)
		}
	}
	if len(r.Evidence) == 0 {
		add("evidence", "is required: at least one item with doc, sentence and quote")
	}
	for i, ev := range r.Evidence {
		field := fmt.Sprintf("evidence[%d]", i)
		sentences, ok := lk.Sentences(ev.Doc)
		switch {
		case ev.Doc == "":
			add(field+".doc", "is required")
			continue
		case !ok:
			add(field+".doc", "unknown document %q", ev.Doc)
			continue
		case len(sentences) == 0:
			add(field+".sentence", "%d is not a sentence of %s (it has no text)", ev.Sentence, ev.Doc)
			continue
		case ev.Sentence < 1 || ev.Sentence > len(sentences):
			add(field+".sentence", "%d is not a sentence of %s (it has 1..%d)", ev.Sentence, ev.Doc, len(sentences))
			continue
		case strings.TrimSpace(ev.Quote) == "":
			add(field+".quote", "is required")
		case !utf8.ValidString(ev.Quote):
			// A quote cut inside a multi-byte character could match the bytes of
			// the sentence without matching its characters.
			add(field+".quote", "is not valid UTF-8: a quote is made of whole characters")
		case !strings.Contains(sentences[ev.Sentence-1], ev.Quote):
			add(field+".quote", "%q is not verbatim in %s sentence %d: %q", ev.Quote, ev.Doc, ev.Sentence, sentences[ev.Sentence-1])
		}
	}
	return errs
}

func endpoint(lk Lookup, field, id string, add func(string, string, ...any)) (Kind, bool) {
	if id == "" {
		add(field, "is required")
		return "", false
	}
	k, ok := lk.KindOf(id)
	if !ok {
		add(field, "unknown entity %q (not in this input nor in the graph)", id)
		return "", false
	}
	// An entity whose own kind is invalid exists but has no kind to check against;
	// its definition already carries that problem.
	return k, k != ""
}

// withArticle returns the kind with its indefinite article: "an Actor", "a Policy".
func withArticle(k Kind) string {
	if k != "" && strings.ContainsRune("AEIOU", rune(k[0])) {
		return "an " + string(k)
	}
	return "a " + string(k)
}

func kindList(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// checkDateRange reports a malformed date in either field, and an end before its start.
func checkDateRange(add func(field, format string, args ...any), fromField, from, toField, to string) {
	var first, last PartialDate
	var err error
	if from != "" {
		if first, err = ParseDate(from); err != nil {
			add(fromField, "%v", err)
		}
	}
	if to != "" {
		if last, err = ParseDate(to); err != nil {
			add(toField, "%v", err)
		}
	}
	if first.Text != "" && last.Text != "" && last.Last().Before(first.First()) {
		add(toField, "%s is before %s %s", to, fromField, from)
	}
}
