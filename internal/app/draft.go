package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/loaders"
)

// runDraft is `tradegraph draft`: propose a curated dataset for an article.
func runDraft(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("draft", "[flags] ARTICLE", "Proposes the entities and relationships of an article (.txt, .md) as a curated\nYAML dataset to check and load (see docs/loading.md#drafting).", stdout)
	var nf neo4jFlags
	nf.register(fs, getenv)
	var meta loaders.ArticleMeta
	fs.StringVar(&meta.ID, "id", "", "document id (default doc:<file name>)")
	fs.StringVar(&meta.Title, "title", "", "title (default: front matter or first Markdown heading)")
	fs.StringVar(&meta.Date, "date", "", "publication date, YYYY[-MM[-DD]]")
	fs.StringVar(&meta.URL, "url", "", "source URL")
	fs.StringVar(&meta.Publisher, "publisher", "", "publisher")
	out := fs.String("out", "", "write the draft here (default <article name>.draft.yaml in the current directory)")
	force := fs.Bool("force", false, "replace an existing --out file")
	var known []string
	fs.Func("known", "a curated dataset whose entities are the known ones, instead of the graph (repeatable)", func(s string) error {
		known = append(known, s)
		return nil
	})
	offline := fs.Bool("offline", false, "know no entities at all: do not contact Neo4j")
	score := fs.String("score", "", "compare the draft with this curated dataset of the same article and print precision and recall (writes only with --out)")
	detail := fs.Bool("detail", false, "with --score: list the relationships missed and those not curated")
	extractor := fs.String("extractor", "", "run this program to propose instead of the built-in patterns (see docs/loading.md#extractor-protocol)")
	extractorTimeout := fs.Duration("extractor-timeout", 30*time.Second, "stop the extractor after this long")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("draft: name one ARTICLE (.txt or .md)")}
	}
	if *offline && len(known) > 0 {
		return usageError{errors.New("draft: give --known or --offline, not both")}
	}
	path := fs.Arg(0)
	doc, err := loaders.ReadArticle(path, meta)
	if err != nil {
		var probs loaders.Problems
		if errors.As(err, &probs) {
			for _, p := range probs {
				fmt.Fprintln(stdout, p.String())
			}
			return fmt.Errorf("%w: %d problem(s) in %s", loaders.ErrInvalid, len(probs), path)
		}
		return err
	}

	kn, err := readKnown(ctx, nf, known, *offline, stdout)
	if err != nil {
		return err
	}
	defer kn.close()
	ents, gl := kn.entities, kn.lookup

	var dr *loaders.Draft
	if *extractor != "" {
		dr, err = loaders.RunExtractor(ctx, loaders.ExtractorOptions{Command: *extractor, Timeout: *extractorTimeout, Out: stdout}, doc, ents)
		if err != nil {
			return err
		}
	} else {
		dr = loaders.DraftDocument(doc, ents)
	}
	rels, err := kn.relationships(ctx, dr.Known)
	if err != nil {
		return err
	}
	dr.DropKnown(rels)
	if *score != "" {
		loaders.PrintDraft(stdout, dr)
		gold, probs := loaders.ParseCurated(*score)
		if len(probs) > 0 {
			return probs
		}
		sc := loaders.ScoreDraft(dr, gold.Data)
		sc.Print(stdout)
		if *detail {
			sc.PrintDetail(stdout)
		}
		if *out == "" {
			return nil
		}
	}
	if *out == "" {
		*out = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".draft.yaml"
	}
	// Write first: a reader that stops early (| head) must not stop the draft.
	if err := loaders.WriteDraft(ctx, dr, path, *out, gl, *force); err != nil {
		return err
	}
	if *score == "" {
		loaders.PrintDraft(stdout, dr)
	}
	fmt.Fprintf(stdout, "wrote %s: check it, then `tradegraph load --dry-run %s`\n", *out, *out)
	return nil
}

// known is what a draft links to: entities from curated files, none at all, or
// every entity of the graph, read through the store's paged lists (so drafting
// needs no query of its own).
type known struct {
	entities []loaders.KnownEntity
	lookup   loaders.GraphLookup
	files    []string
	store    *neo4jstore.Store
	close    func()
}

func readKnown(ctx context.Context, nf neo4jFlags, files []string, offline bool, stdout io.Writer) (*known, error) {
	kn := &known{close: func() {}, files: files}
	switch {
	case len(files) > 0:
		ents, err := loaders.KnownFromCurated(files)
		kn.entities, kn.lookup = ents, loaders.KnownLookup(ents)
		return kn, err
	case offline:
		kn.lookup = loaders.KnownLookup(nil)
		return kn, nil
	}
	store, closeStore, err := nf.openStore(ctx, stdout, 10*time.Second)
	if err != nil {
		return nil, err
	}
	kn.close, kn.store = closeStore, store
	kn.lookup = kn.store
	kn.entities, err = storeEntities(ctx, kn.store)
	if err != nil {
		kn.close()
		return nil, err
	}
	return kn, nil
}

// storeEntities reads every entity of the graph as a known entity, through the
// store's paged lists.
func storeEntities(ctx context.Context, store *neo4jstore.Store) ([]loaders.KnownEntity, error) {
	var out []loaders.KnownEntity
	for _, kind := range []model.Kind{model.KindActor, model.KindMeeting, model.KindCommodity, model.KindPolicy} {
		after := ""
		for {
			page, err := store.Entities(ctx, graph.EntityQuery{PageQuery: graph.PageQuery{First: 1000, After: after}, Kind: kind})
			if err != nil {
				return nil, fmt.Errorf("read the known entities: %w", err)
			}
			for _, e := range page.Entities {
				k := loaders.KnownEntity{ID: e.GetID(), Kind: kind, Type: e.GetType(), Name: e.GetName(), Aliases: e.GetAliases()}
				if a, ok := e.(*model.Actor); ok && a.Role != nil {
					k.Role = *a.Role
				}
				out = append(out, k)
			}
			if !page.HasNextPage || len(page.Cursors) == 0 {
				break
			}
			after = page.Cursors[len(page.Cursors)-1]
		}
	}
	return out, nil
}

// relationships returns the keys of the relationships that start at the known
// entities ids: a draft must not propose them again, or loading it would replace
// their curated evidence.
func (kn *known) relationships(ctx context.Context, ids []string) (map[string]bool, error) {
	if len(kn.files) > 0 {
		return loaders.KnownRelationships(kn.files)
	}
	if kn.store == nil {
		return map[string]bool{}, nil
	}
	return storeRelationships(ctx, kn.store, ids)
}

// storeRelationships returns the keys ("from|TYPE|to") of the graph's
// relationships that start at ids.
func storeRelationships(ctx context.Context, store *neo4jstore.Store, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, id := range ids {
		after := ""
		for {
			conns, err := store.Relationships(ctx, graph.RelationshipQuery{PageQuery: graph.PageQuery{First: 1000, After: after}, IDs: []string{id}, Direction: model.DirectionOut})
			if err != nil {
				return nil, fmt.Errorf("read the relationships of %s: %w", id, err)
			}
			c := conns[id]
			if c == nil {
				break
			}
			for _, e := range c.Edges {
				out[id+"|"+string(e.Node.Type)+"|"+e.Node.To.GetID()] = true
			}
			if c.PageInfo == nil || !c.PageInfo.HasNextPage || c.PageInfo.EndCursor == nil {
				break
			}
			after = *c.PageInfo.EndCursor
		}
	}
	return out, nil
}
