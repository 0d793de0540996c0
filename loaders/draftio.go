package loaders

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"tradegraph/graph/model"
)

// MaxArticleBytes is the largest article draft reads: about 150,000 words, far
// more than a news report, small enough to keep a mistaken input (a database
// dump) from taking the machine.
const MaxArticleBytes = 1 << 20

// ErrBadArticle is returned (wrapped with the cause) for input draft cannot read
// as an article: empty, binary, not UTF-8 or too large.
var ErrBadArticle = errors.New("not an article")

// CheckArticleFile returns an error naming the cause when path is no text
// article draft can read: missing, empty, over MaxArticleBytes, binary or not
// UTF-8.
func CheckArticleFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: cannot read: %w", path, err)
	}
	if fi.IsDir() {
		return fmt.Errorf("%s: %w: a directory", path, ErrBadArticle)
	}
	if fi.Size() > MaxArticleBytes {
		return fmt.Errorf("%s: %w: %d bytes, over the limit of %d", path, ErrBadArticle, fi.Size(), MaxArticleBytes)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: cannot read: %w", path, err)
	}
	return checkArticle(path, raw)
}

// checkArticle is CheckArticleFile on the file's bytes.
func checkArticle(path string, raw []byte) error {
	if len(raw) > MaxArticleBytes {
		return fmt.Errorf("%s: %w: %d bytes, over the limit of %d", path, ErrBadArticle, len(raw), MaxArticleBytes)
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return fmt.Errorf("%s: %w: a binary file (a NUL byte at offset %d)", path, ErrBadArticle, i)
	}
	if !utf8.Valid(raw) {
		off := 0
		for off < len(raw) {
			r, n := utf8.DecodeRune(raw[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return fmt.Errorf("%s: %w: invalid UTF-8 at byte offset %d (save it as UTF-8 text)", path, ErrBadArticle, off)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return fmt.Errorf("%s: %w: the file is empty", path, ErrBadArticle)
	}
	return nil
}

// ReadArticle checks and parses an article for drafting.
func ReadArticle(path string, meta ArticleMeta) (model.DocumentRecord, error) {
	if !IsArticle(path) {
		return model.DocumentRecord{}, fmt.Errorf("%s: %w: want a .txt or .md article", path, ErrBadArticle)
	}
	if err := CheckArticleFile(path); err != nil {
		return model.DocumentRecord{}, err
	}
	doc, probs := ParseArticle(path, meta)
	if len(probs) > 0 {
		return doc, probs
	}
	if len(doc.Sentences) == 0 {
		return doc, fmt.Errorf("%s: %w: no text after the front matter", path, ErrBadArticle)
	}
	return doc, nil
}

// ReadArticleText checks and parses an article given as text, as ReadArticle
// does a file: name (for instance "pasted.md") says whether it is Markdown, gives
// the default document id, and is what problems call it.
func ReadArticleText(name string, raw []byte, meta ArticleMeta) (model.DocumentRecord, error) {
	if !IsArticle(name) {
		return model.DocumentRecord{}, fmt.Errorf("%s: %w: want a .txt or .md article", name, ErrBadArticle)
	}
	if err := checkArticle(name, raw); err != nil {
		return model.DocumentRecord{}, err
	}
	doc, probs := parseArticle(name, raw, meta)
	if len(probs) > 0 {
		return doc, probs
	}
	if len(doc.Sentences) == 0 {
		return doc, fmt.Errorf("%s: %w: no text after the front matter", name, ErrBadArticle)
	}
	return doc, nil
}

// KnownFromCurated returns the entities of curated files, for drafting without
// Neo4j ("--known data/seed/...yaml").
func KnownFromCurated(paths []string) ([]KnownEntity, error) {
	var out []KnownEntity
	for _, p := range paths {
		parsed, probs := ParseCurated(p)
		if len(probs) > 0 {
			return nil, probs
		}
		for _, e := range parsed.Data.Entities {
			out = append(out, KnownEntity{ID: e.ID, Kind: model.Kind(e.Kind), Type: e.Type, Name: e.Name, Aliases: e.Aliases, Role: e.Role})
		}
	}
	return out, nil
}

// KnownRelationships returns the keys ("from|TYPE|to") of the relationships of
// curated files.
func KnownRelationships(paths []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, p := range paths {
		parsed, probs := ParseCurated(p)
		if len(probs) > 0 {
			return nil, probs
		}
		for _, r := range parsed.Data.Relationships {
			out[r.Key()] = true
		}
	}
	return out, nil
}

// KnownLookup is a GraphLookup over known entities, so that a draft that links
// to them validates without Neo4j.
type KnownLookup []KnownEntity

// Known returns the kinds of the ids among the known entities.
func (k KnownLookup) Known(_ context.Context, ids []string) (map[string]model.Kind, map[string][]string, error) {
	kinds := map[string]model.Kind{}
	for _, e := range k {
		kinds[e.ID] = e.Kind
	}
	out := map[string]model.Kind{}
	for _, id := range ids {
		if kind, ok := kinds[id]; ok {
			out[id] = kind
		}
	}
	return out, nil, nil
}

// The draft file: the curated format, without the fields a draft leaves empty.
type (
	draftFile struct {
		Documents     []draftDocument `yaml:"documents"`
		Entities      []draftEntity   `yaml:"entities"`
		Relationships []draftRel      `yaml:"relationships"`
	}
	draftDocument struct {
		ID        string `yaml:"id"`
		Type      string `yaml:"type"`
		Title     string `yaml:"title"`
		Publisher string `yaml:"publisher,omitempty"`
		Date      string `yaml:"date,omitempty"`
		URL       string `yaml:"url,omitempty"`
		Language  string `yaml:"language,omitempty"`
		Text      string `yaml:"text"`
	}
	draftEntity struct {
		ID          string   `yaml:"id"`
		Kind        string   `yaml:"kind"`
		Type        string   `yaml:"type"`
		Name        string   `yaml:"name"`
		Aliases     []string `yaml:"aliases,omitempty"`
		Description string   `yaml:"description,omitempty"`
		Role        string   `yaml:"role,omitempty"`
		Start       string   `yaml:"start,omitempty"`
		Place       string   `yaml:"place,omitempty"`
		Status      string   `yaml:"status,omitempty"`
		Rate        *float64 `yaml:"rate,omitempty"`
		Unit        string   `yaml:"unit,omitempty"`
	}
	draftRel struct {
		Type       string           `yaml:"type"`
		From       string           `yaml:"from"`
		To         string           `yaml:"to"`
		Confidence *float64         `yaml:"confidence,omitempty"`
		Note       string           `yaml:"note,omitempty"`
		Evidence   []model.Evidence `yaml:"evidence"`
	}
)

// MarshalDraft returns dr as a curated YAML dataset, with a header saying what
// it is and which known entities it links to.
func MarshalDraft(dr *Draft, source string) ([]byte, error) {
	d := dr.Document
	f := draftFile{Documents: []draftDocument{{ID: d.ID, Type: d.Type, Title: d.Title, Publisher: d.Publisher, Date: d.Date,
		URL: d.URL, Language: d.Language, Text: d.Text}}}
	for _, e := range dr.Entities {
		f.Entities = append(f.Entities, draftEntity{ID: e.ID, Kind: e.Kind, Type: e.Type, Name: e.Name, Aliases: e.Aliases,
			Description: e.Description, Role: e.Role, Start: e.Start, Place: e.Place, Status: e.Status, Rate: e.Rate, Unit: e.Unit})
	}
	for _, r := range dr.Relationships {
		f.Relationships = append(f.Relationships, draftRel{Type: r.Type, From: r.From, To: r.To, Confidence: r.Confidence, Note: r.Note, Evidence: r.Evidence})
	}
	body, err := yaml.MarshalWithOptions(f, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	var head strings.Builder
	fmt.Fprintf(&head, "# Drafted by `tradegraph draft` from %s: %d entities, %d relationships.\n", source, len(dr.Entities), len(dr.Relationships))
	head.WriteString("# Nothing here is checked by a person yet. Delete or correct what is wrong (each\n")
	head.WriteString("# relationship's note names the pattern that proposed it), then load it with\n")
	head.WriteString("#   tradegraph load --dry-run THIS_FILE && tradegraph load THIS_FILE\n")
	if len(dr.Known) > 0 {
		fmt.Fprintf(&head, "# Links to entities already in the graph: %s\n", strings.Join(dr.Known, ", "))
	}
	for _, a := range dr.Ambiguous {
		fmt.Fprintf(&head, "# Not linked, ambiguous: %s\n", a)
	}
	for _, k := range dr.AlreadyKnown {
		fmt.Fprintf(&head, "# Left out, already in the graph: %s\n", k)
	}
	return append([]byte(head.String()), body...), nil
}

// WriteDraft writes dr to path as a curated dataset, but only once the dataset
// validates as `tradegraph load --dry-run` would validate it (gl resolves the
// known entities it links to); otherwise it writes nothing and returns the
// problems. It does not replace an existing file unless force is set.
func WriteDraft(ctx context.Context, dr *Draft, source, path string, gl GraphLookup, force bool) error {
	if _, err := os.Stat(path); err == nil && !force {
		return fmt.Errorf("%s exists: give --force to replace it", path)
	}
	data, err := MarshalDraft(dr, source)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".draft-*.yaml")
	if err != nil {
		return fmt.Errorf("write the draft: %w", err)
	}
	_, werr := tmp.Write(data)
	if err := errors.Join(werr, tmp.Close()); err != nil {
		return errors.Join(fmt.Errorf("write the draft: %w", err), os.Remove(tmp.Name()))
	}
	if err := validateDraftFile(ctx, tmp.Name(), dr, gl); err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return errors.Join(fmt.Errorf("write the draft: %w", err), os.Remove(tmp.Name()))
	}
	return nil
}

// validateDraftFile loads the written draft back as a curated file and checks it.
func validateDraftFile(ctx context.Context, path string, dr *Draft, gl GraphLookup) error {
	p, probs := ParseCurated(path)
	if len(probs) == 0 {
		if got := p.Data.Documents[0].Sentences; !slices.Equal(got, dr.Document.Sentences) {
			return fmt.Errorf("draft: the document text does not read back with the same %d sentences (%d): nothing written", len(dr.Document.Sentences), len(got))
		}
		_, probs = ValidateCurated(ctx, []*Parsed{p}, gl)
	}
	if len(probs) > 0 {
		return fmt.Errorf("draft: the proposals do not validate, nothing written: %w", probs)
	}
	return nil
}

// PrintDraft writes a short summary of dr for the terminal: counts, ambiguous
// short names, and how the names of known entities were linked.
func PrintDraft(w io.Writer, dr *Draft) {
	fmt.Fprintf(w, "%s: %d sentence(s), %d new entities, %d known, %d relationships proposed\n",
		dr.Document.ID, len(dr.Document.Sentences), len(dr.Entities), len(dr.Known), len(dr.Relationships))
	for _, a := range dr.Ambiguous {
		fmt.Fprintf(w, "not linked, ambiguous: %s\n", a)
	}
	seen := map[string]bool{}
	for _, l := range dr.Links {
		key := l.Text + "|" + l.EntityID
		if seen[key] {
			continue
		}
		seen[key] = true
		kind := ""
		if l.Adjectival {
			kind = " (adjectival)"
		}
		fmt.Fprintf(w, "  %-28s -> %s%s\n", l.Text, l.EntityID, kind)
	}
}

// CuratedYAML returns a curated dataset given as text (YAML or JSON) as a
// curated YAML file, with header as its opening comment lines. It parses the YAML
// back and returns an error unless it holds the same records, so the file loads
// as the input would.
func CuratedYAML(name string, raw []byte, header string) ([]byte, error) {
	p, probs := ParseCuratedText(name, raw)
	if len(probs) > 0 {
		return nil, probs
	}
	body, err := yaml.MarshalWithOptions(p.Data, yaml.OmitEmpty(), yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("%s as YAML: %w", name, err)
	}
	var head strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		head.WriteString("# " + l + "\n")
	}
	out := append([]byte(head.String()), body...)
	back, probs := ParseCuratedText(name, out)
	if len(probs) > 0 {
		return nil, fmt.Errorf("%s as YAML does not parse back: %w", name, probs)
	}
	if !reflect.DeepEqual(back.Data, p.Data) {
		return nil, fmt.Errorf("%s as YAML does not read back with the same records", name)
	}
	return out, nil
}
