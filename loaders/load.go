package loaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"tradegraph/graph/model"
)

// Options configure a load.
type Options struct {
	// Graph is where to look ids up and write; a nil Graph validates offline (and
	// then references to ids outside the input cannot be resolved).
	Graph Graph
	// DryRun validates and reports without writing.
	DryRun    bool
	BatchSize int
	// RetryFor bounds how long a failing batch is retried (DefaultRetryFor when 0).
	RetryFor time.Duration
	// Article overrides the front matter of articles (from the load flags).
	Article ArticleMeta
	Out     io.Writer
	// By names who runs the load (--as): it is recorded with every source.
	By string
	// Prefer raises this load's entity claims above every other source's
	// (--prefer-this-source).
	Prefer bool
	// Sync retracts the facts each input's source asserted before and no longer
	// does (--sync); with DryRun it lists them.
	Sync bool
	// Source, when set, is the source id of every input in place of its own (an
	// API write's `api:<token name>`), with priority 0: a dataset from a request
	// does not choose whose claims it writes, nor raise their weight.
	Source string
}

// ErrInvalid is returned (wrapped with the problems) when the input does not validate.
var ErrInvalid = errors.New("invalid input: nothing was written")

// Load validates every file first, as one input, and reports every problem at
// once; only when all is valid does it write: documents, entities, relationships,
// then the mentions of every loaded document. It prints a summary of what was
// created, updated and left unchanged, by kind and relationship type.
func Load(ctx context.Context, o Options, paths []string) (Summary, error) {
	var in inputs
	for _, path := range paths {
		switch {
		case IsCurated(path):
			p, ps := ParseCurated(path)
			in.probs = append(in.probs, ps...)
			if p != nil {
				in.curated = append(in.curated, p)
			}
		case IsArticle(path):
			d, ps := ParseArticle(path, o.Article)
			in.probs = append(in.probs, ps...)
			in.articles = append(in.articles, d)
			in.articlePaths = append(in.articlePaths, path)
		default:
			in.probs = append(in.probs, Problem{File: path, Message: "unknown file type: want .yaml, .yml, .json (curated dataset) or .txt, .md (article)"})
		}
	}
	return load(ctx, o, paths, in)
}

// LoadCuratedText loads one curated dataset given as text (YAML or JSON) exactly
// as Load loads a file: the same parsing (except that textFile is refused, see
// ParseCuratedText), the same validation against the graph, the same writer.
// name is what problems call the input. When the input does not validate, the
// error wraps ErrInvalid and the Problems (errors.As), and nothing is written.
func LoadCuratedText(ctx context.Context, o Options, name string, raw []byte) (Summary, error) {
	var in inputs
	p, ps := ParseCuratedText(name, raw)
	in.probs = ps
	if p != nil {
		in.curated = []*Parsed{p}
	}
	return load(ctx, o, []string{name}, in)
}

// inputs are the parsed inputs of one load and the problems parsing found.
type inputs struct {
	probs        Problems
	curated      []*Parsed
	articles     []model.DocumentRecord
	articlePaths []string
}

// invalid is the error of a load whose input does not validate: its message is
// the count, and it wraps ErrInvalid and the problems themselves.
type invalid struct {
	msg   string
	probs Problems
}

func (e *invalid) Error() string   { return e.msg }
func (e *invalid) Unwrap() []error { return []error{ErrInvalid, e.probs} }

func invalidInput(probs Problems, paths []string) error {
	return &invalid{msg: fmt.Sprintf("%v: %d problem(s) in %s", ErrInvalid, len(probs), strings.Join(paths, ", ")), probs: probs}
}

// load validates the parsed inputs as one and, when they are valid, writes them.
func load(ctx context.Context, o Options, paths []string, in inputs) (Summary, error) {
	probs, curated, articles, articlePaths := in.probs, in.curated, in.articles, in.articlePaths
	var gl GraphLookup
	if o.Graph != nil {
		gl = o.Graph
	}
	ds := &Dataset{}
	if len(curated) > 0 {
		var ps Problems
		ds, ps = ValidateCurated(ctx, curated, gl, articles...)
		probs = append(probs, ps...)
	}
	seenDoc := map[string]string{}
	for _, d := range ds.Documents {
		seenDoc[d.ID] = "a dataset"
	}
	for i, d := range articles {
		if first, dup := seenDoc[d.ID]; dup && d.ID != "" {
			probs = append(probs, Problem{File: articlePaths[i], Field: "id", Message: fmt.Sprintf("duplicate document id %q (also in %s): give --id or an id in front matter", d.ID, first)})
		}
		seenDoc[d.ID] = articlePaths[i]
	}
	if o.Graph != nil {
		ps, err := checkCitedDocuments(ctx, o.Graph, curated, ds, articles, articlePaths)
		if err != nil {
			return nil, err
		}
		probs = append(probs, ps...)
	}
	if len(probs) > 0 {
		probs.Sort()
		for _, p := range probs {
			fmt.Fprintln(o.Out, p.String())
		}
		return nil, invalidInput(probs, paths)
	}
	units := sourceUnits(o, curated, articles, articlePaths)
	probs = checkSourceIDs(units)
	if len(probs) == 0 && o.Sync && o.Graph != nil {
		var err error
		if probs, err = CheckSourceFiles(ctx, o.Graph, unitFiles(o, units)); err != nil {
			return nil, err
		}
	}
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(o.Out, p.String())
		}
		return nil, invalidInput(probs, paths)
	}
	docs := append(ds.Documents, articles...)
	fmt.Fprintf(o.Out, "valid: %d document(s), %d entities, %d relationships\n", len(docs), len(ds.Entities), len(ds.Relationships))
	if o.DryRun {
		if o.Graph != nil {
			if err := preview(ctx, o, units); err != nil {
				return nil, err
			}
		}
		fmt.Fprintln(o.Out, "dry run: nothing written")
		return Summary{}, nil
	}
	if o.Graph == nil {
		return nil, errors.New("no Neo4j to write to")
	}
	sum, conflicts, err := writeUnits(ctx, o.Graph, o.BatchSize, units, o.Out)
	if err != nil {
		return sum, err
	}
	if conflicts > 0 {
		fmt.Fprintf(o.Out, "%d entity field(s) conflict with other sources (listed above; every claim is kept, see docs/loading.md, \"Several sources\")\n", conflicts)
	}
	if err := syncUnits(ctx, o, units); err != nil {
		return sum, err
	}
	if err := RecordSourceFiles(ctx, o.Graph, unitFiles(o, units)); err != nil {
		return sum, err
	}
	if len(docs) > 0 {
		m, err := writeMentions(ctx, o, docs)
		sum.Merge(m.sum)
		if err != nil {
			return sum, err
		}
		for i, d := range docs[len(ds.Documents):] {
			printCandidates(o.Out, d, m.resolved[len(ds.Documents)+i])
		}
	}
	fmt.Fprint(o.Out, sum.Table())
	return sum, nil
}

// mentionsWritten is what writeMentions did, and each document's name resolution.
type mentionsWritten struct {
	sum      Summary
	resolved []Resolution // by document, in the order given
}

// writeMentions links every document to the entities its sentences name
// (ResolveNames: titles split off, short forms, demonyms as adjectival mentions),
// over every entity now in the graph, and writes those mentions (replacing the
// documents' earlier ones), o.BatchSize documents per batch. It comes last: a
// document may mention entities of the same load.
func writeMentions(ctx context.Context, o Options, docs []model.DocumentRecord) (mentionsWritten, error) {
	out := mentionsWritten{sum: Summary{}}
	var known []KnownEntity
	err := Retry(ctx, o.RetryFor, func() error {
		var err error
		known, err = knownEntities(ctx, o.Graph)
		return err
	})
	if err != nil {
		return out, err
	}
	for _, d := range docs {
		out.resolved = append(out.resolved, ResolveNames(d, known))
	}
	size := o.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	for start := 0; start < len(docs); start += size {
		var b model.Batch
		for i := start; i < min(start+size, len(docs)); i++ {
			r := out.resolved[i]
			b.Mentions = append(b.Mentions, model.DocumentMentions{Doc: docs[i].ID, Entities: r.Mentions, Adjectival: r.Adjectival})
		}
		s, err := write(ctx, o.Graph, o.RetryFor, b)
		out.sum.Merge(s)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// checkCitedDocuments finds the loaded documents whose text differs from the
// graph's and checks the graph's evidence that quotes them against the new text.
func checkCitedDocuments(ctx context.Context, g Graph, curated []*Parsed, ds *Dataset, articles []model.DocumentRecord, articlePaths []string) (Problems, error) {
	at := map[string]Problem{}
	var docs []model.DocumentRecord
	for _, p := range curated {
		for i, d := range p.Data.Documents {
			field := fmt.Sprintf("documents[%d].text", i)
			if d.TextFile != "" {
				field = fmt.Sprintf("documents[%d].textFile", i)
			}
			at[d.ID] = p.problem(field, "")
			docs = append(docs, d.DocumentRecord)
		}
	}
	for i, d := range articles {
		at[d.ID] = Problem{File: articlePaths[i], Field: "text"}
		docs = append(docs, d)
	}
	docs = slices.DeleteFunc(docs, func(d model.DocumentRecord) bool { return d.ID == "" || len(d.Sentences) == 0 })
	if len(docs) == 0 {
		return nil, nil
	}
	changed, err := g.ChangedDocuments(ctx, docs)
	if err != nil || len(changed) == 0 {
		return nil, err
	}
	cites, err := g.Citations(ctx, changed)
	if err != nil {
		return nil, err
	}
	sentences := map[string][]string{}
	for _, d := range docs {
		sentences[d.ID] = d.Sentences
	}
	rewritten := map[string]bool{}
	for _, r := range ds.Relationships {
		rewritten[r.Key()] = true
	}
	return CheckCitations(cites, sentences, rewritten, func(doc string) Problem { return at[doc] }), nil
}

// knownEntities reads the names and kinds of every entity of the graph.
func knownEntities(ctx context.Context, g Graph) ([]KnownEntity, error) {
	graphNames, err := g.Names(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]Name, len(graphNames))
	for i, n := range graphNames {
		names[i] = Name(n)
	}
	var ids []string
	for _, n := range names {
		if len(ids) == 0 || ids[len(ids)-1] != n.EntityID {
			ids = append(ids, n.EntityID)
		}
	}
	kinds, _, err := g.Known(ctx, ids)
	if err != nil {
		return nil, err
	}
	return KnownFromNames(names, kinds), nil
}

func printCandidates(out io.Writer, d model.DocumentRecord, res Resolution) {
	for _, a := range res.Ambiguous {
		fmt.Fprintf(out, "%s: not linked, could name several people: %s\n", d.ID, a)
	}
	if len(res.Candidates) == 0 {
		fmt.Fprintf(out, "%s: every capitalised name resolved to a known entity\n", d.ID)
		return
	}
	fmt.Fprintf(out, "%s: %d name(s) not in the graph, candidates for new entities:\n", d.ID, len(res.Candidates))
	for _, c := range res.Candidates {
		guess := c.Type
		if c.Role != "" {
			guess += ", " + c.Role
		}
		fmt.Fprintf(out, "  %-24s %-32s sentences %v\n", c.Text, guess, c.Sentences)
	}
}
