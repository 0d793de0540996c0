package loaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// Options configure a load.
type Options struct {
	// Driver and Database are where to write; a nil Driver validates offline (and then
	// references to ids outside the input cannot be resolved).
	Driver   neo4j.DriverWithContext
	Database string
	// DryRun validates and reports without writing.
	DryRun    bool
	BatchSize int
	// Article overrides the front matter of articles (from the load flags).
	Article ArticleMeta
	Out     io.Writer
}

// ErrInvalid is returned (wrapped with the problems) when the input does not validate.
var ErrInvalid = errors.New("invalid input: nothing was written")

// Load validates every file first, as one input, and reports every problem at
// once; only when all is valid does it write: documents, entities, relationships,
// then the mentions of every loaded document. It prints a summary of what was
// created, updated and left unchanged, by kind and relationship type.
func Load(ctx context.Context, o Options, paths []string) (Summary, error) {
	var probs Problems
	var curated []*Parsed
	var articles []model.DocumentRecord
	var articlePaths []string
	for _, path := range paths {
		switch {
		case IsCurated(path):
			p, ps := ParseCurated(path)
			probs = append(probs, ps...)
			if p != nil {
				curated = append(curated, p)
			}
		case IsArticle(path):
			d, ps := ParseArticle(path, o.Article)
			probs = append(probs, ps...)
			articles = append(articles, d)
			articlePaths = append(articlePaths, path)
		default:
			probs = append(probs, Problem{File: path, Message: "unknown file type: want .yaml, .yml, .json (curated dataset) or .txt, .md (article)"})
		}
	}
	var gl GraphLookup
	if o.Driver != nil {
		gl = &GraphReader{Driver: o.Driver, Database: o.Database}
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
	if o.Driver != nil {
		ps, err := checkCitedDocuments(ctx, &GraphReader{Driver: o.Driver, Database: o.Database}, curated, ds, articles, articlePaths)
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
		return nil, fmt.Errorf("%w: %d problem(s) in %s", ErrInvalid, len(probs), strings.Join(paths, ", "))
	}
	docs := append(ds.Documents, articles...)
	fmt.Fprintf(o.Out, "valid: %d document(s), %d entities, %d relationships\n", len(docs), len(ds.Entities), len(ds.Relationships))
	if o.DryRun {
		fmt.Fprintln(o.Out, "dry run: nothing written")
		return Summary{}, nil
	}
	if o.Driver == nil {
		return nil, errors.New("no Neo4j to write to")
	}

	w := &Writer{Driver: o.Driver, Database: o.Database, BatchSize: o.BatchSize}
	sum := Summary{}
	steps := []func() (Summary, error){
		func() (Summary, error) { return w.Documents(ctx, docs) },
		func() (Summary, error) { return w.Entities(ctx, ds.Entities) },
		func() (Summary, error) { return w.Relationships(ctx, ds.Relationships) },
	}
	for _, step := range steps {
		s, err := step()
		sum.Merge(s)
		if err != nil {
			return sum, err
		}
	}
	// Mentions come last: they link documents to every entity now in the graph.
	if len(docs) > 0 {
		known, err := knownEntities(ctx, &GraphReader{Driver: o.Driver, Database: o.Database})
		if err != nil {
			return sum, err
		}
		for i, d := range docs {
			res := ResolveNames(d, known)
			s, err := w.Mentions(ctx, d.ID, res.Mentions, res.Adjectival)
			sum.Merge(s)
			if err != nil {
				return sum, err
			}
			if i >= len(ds.Documents) {
				printCandidates(o.Out, d, res)
			}
		}
	}
	fmt.Fprint(o.Out, sum.Table())
	return sum, nil
}

// checkCitedDocuments finds the loaded documents whose text differs from the
// graph's and checks the graph's evidence that quotes them against the new text.
func checkCitedDocuments(ctx context.Context, g *GraphReader, curated []*Parsed, ds *Dataset, articles []model.DocumentRecord, articlePaths []string) (Problems, error) {
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
func knownEntities(ctx context.Context, g *GraphReader) ([]KnownEntity, error) {
	names, err := g.Names(ctx)
	if err != nil {
		return nil, err
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
