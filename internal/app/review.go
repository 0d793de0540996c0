package app

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/loaders"
)

// reviews is graph.Reviews over the loaders and the store: the console's review
// page drafts with the same code as `tradegraph draft`, and checks and writes
// with the same validation and writer as `tradegraph load`.
type reviews struct {
	store *neo4jstore.Store
}

var _ graph.Reviews = (*reviews)(nil)

// reviewName is what the problems of a reviewed dataset call it: "review:12: ...".
const reviewName = "review"

// Draft drafts in.Text as `tradegraph draft` drafts a file, against the graph.
func (rv *reviews) Draft(ctx context.Context, in model.ArticleInput) (*model.ArticleDraft, error) {
	meta := loaders.ArticleMeta{ID: deref(in.ID), Title: deref(in.Title), Date: deref(in.Date), URL: deref(in.URL), Publisher: deref(in.Publisher)}
	name := "pasted"
	if meta.Title != "" {
		name = loaders.Slug(meta.Title)
	}
	if in.Markdown != nil && *in.Markdown {
		name += ".md"
	} else {
		name += ".txt"
	}
	doc, err := loaders.ReadArticleText(name, []byte(in.Text), meta)
	if err != nil {
		return nil, invalidError(err)
	}
	known, err := storeEntities(ctx, rv.store)
	if err != nil {
		return nil, err
	}
	dr := loaders.DraftDocument(doc, known)
	rels, err := storeRelationships(ctx, rv.store, dr.Known)
	if err != nil {
		return nil, err
	}
	dr.DropKnown(rels)
	return articleDraft(dr, known), nil
}

// Check validates dataset as `tradegraph load --dry-run` does, and renders it as
// YAML when it is valid.
func (rv *reviews) Check(ctx context.Context, dataset string, src model.Source) (*model.DatasetCheck, error) {
	var out bytes.Buffer
	_, err := loaders.LoadCuratedText(ctx, loaders.Options{Graph: rv.store, DryRun: true, Out: &out, By: src.By, Source: src.ID}, reviewName, []byte(dataset))
	res := &model.DatasetCheck{Problems: []model.DatasetProblem{}, Report: out.String()}
	var probs loaders.Problems
	switch {
	case errors.As(err, &probs):
		for _, p := range probs {
			dp := model.DatasetProblem{Message: p.Message}
			if p.Line > 0 {
				dp.Line = &p.Line
			}
			if p.Field != "" {
				dp.Field = &p.Field
			}
			res.Problems = append(res.Problems, dp)
		}
		return res, nil
	case err != nil:
		return nil, err
	}
	y, err := loaders.CuratedYAML(reviewName, []byte(dataset),
		"Reviewed in the tradegraph console (/review). Load it with\n  tradegraph load --dry-run THIS_FILE && tradegraph load THIS_FILE")
	if err != nil {
		return nil, err
	}
	s := string(y)
	res.Valid, res.Yaml = true, &s
	return res, nil
}

// reviewWriteBudget bounds a review write that outlasts its request.
const reviewWriteBudget = 2 * time.Minute

// Write loads dataset as `tradegraph load` does, as src. The load runs to its
// end even when the request's time budget runs out first, rather than stopping
// between two of its transactions: the first write after Neo4j's statistics
// change replans the batch writer's statements, which took 31 s on a loaded
// machine against a 10 s budget, and a load cut off there would never finish.
// The request then answers TIMEOUT, saying so.
func (rv *reviews) Write(ctx context.Context, dataset string, src model.Source) (*model.DatasetWrite, error) {
	type result struct {
		res *model.DatasetWrite
		err error
	}
	done := make(chan result, 1)
	go func() {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reviewWriteBudget)
		defer cancel()
		res, err := rv.write(wctx, dataset, src)
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		return r.res, r.err
	case <-ctx.Done():
		return nil, graph.Errorf(graph.ETIMEOUT, "the write took longer than the request's time budget: it goes on in the background (for up to %v); write again to see its outcome", reviewWriteBudget)
	}
}

func (rv *reviews) write(ctx context.Context, dataset string, src model.Source) (*model.DatasetWrite, error) {
	var out bytes.Buffer
	sum, err := loaders.LoadCuratedText(ctx, loaders.Options{Graph: rv.store, Out: &out, By: src.By, Source: src.ID}, reviewName, []byte(dataset))
	if err != nil {
		return nil, invalidError(err)
	}
	res := &model.DatasetWrite{Source: src.ID, Report: out.String()}
	for _, o := range sum {
		res.Created += o.Created
		res.Updated += o.Updated
		res.Unchanged += o.Unchanged
	}
	return res, nil
}

// invalidError maps the loaders' refusals of an input onto BAD_USER_INPUT with
// each problem as file:line: field: message; other errors pass unchanged.
func invalidError(err error) error {
	var probs loaders.Problems
	if errors.As(err, &probs) {
		lines := make([]string, len(probs))
		for i, p := range probs {
			lines[i] = p.String()
		}
		return graph.Errorf(graph.EINVALID, "%d problem(s), nothing written:\n%s", len(probs), strings.Join(lines, "\n"))
	}
	if errors.Is(err, loaders.ErrBadArticle) {
		return graph.Errorf(graph.EINVALID, "%s", err.Error())
	}
	return err
}

// articleDraft is dr as the API answers it: known entities beside the new ones,
// and mention offsets in UTF-16 code units, as the browser indexes strings.
func articleDraft(dr *loaders.Draft, known []loaders.KnownEntity) *model.ArticleDraft {
	d := dr.Document
	out := &model.ArticleDraft{
		Document: &model.DraftDocument{ID: d.ID, Type: d.Type, Title: d.Title, Date: opt(d.Date), URL: opt(d.URL), Publisher: opt(d.Publisher),
			Text: d.Text, Sentences: d.Sentences},
		Entities: []model.DraftEntity{}, Relationships: []model.DraftRelationship{}, Mentions: []model.DraftMention{},
		Ambiguous: append([]string{}, dr.Ambiguous...), AlreadyKnown: append([]string{}, dr.AlreadyKnown...),
	}
	for _, e := range dr.Entities {
		out.Entities = append(out.Entities, model.DraftEntity{ID: e.ID, Kind: e.Kind, Type: e.Type, Name: e.Name,
			Role: opt(e.Role), Status: opt(e.Status), Description: opt(e.Description)})
	}
	byID := map[string]loaders.KnownEntity{}
	for _, k := range known {
		byID[k.ID] = k
	}
	for _, id := range dr.Known {
		k := byID[id]
		out.Entities = append(out.Entities, model.DraftEntity{ID: id, Kind: string(k.Kind), Type: k.Type, Name: k.Name, Role: opt(k.Role), Known: true})
	}
	for _, r := range dr.Relationships {
		rel := model.DraftRelationship{Type: r.Type, From: r.From, To: r.To, Confidence: r.Confidence, Note: opt(r.Note), Evidence: []model.DraftEvidence{}}
		for _, ev := range r.Evidence {
			rel.Evidence = append(rel.Evidence, model.DraftEvidence{Sentence: ev.Sentence, Quote: ev.Quote})
		}
		out.Relationships = append(out.Relationships, rel)
	}
	for _, m := range dr.Mentions {
		s := d.Sentences[m.Sentence-1]
		out.Mentions = append(out.Mentions, model.DraftMention{Sentence: m.Sentence, Start: utf16Len(s[:m.Start]), End: utf16Len(s[:m.End]),
			EntityID: m.EntityID, Adjectival: m.Adjectival})
	}
	return out
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
