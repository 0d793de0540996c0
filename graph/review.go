package graph

import (
	"context"

	"tradegraph/graph/model"
)

// Reviews drafts articles and checks and writes reviewed datasets, for the
// console's review page, with the loaders' drafting, validation and writer. The
// root wires it in (graph must not import the loaders); nil turns the fields off.
type Reviews interface {
	// Draft proposes the facts of an article given as text. Returns EINVALID when
	// the text is no article (empty, binary, without a title).
	Draft(ctx context.Context, in model.ArticleInput) (*model.ArticleDraft, error)
	// Check validates dataset as `tradegraph load --dry-run` would as src; its
	// problems come back in the result, not as an error. Writes nothing.
	Check(ctx context.Context, dataset string, src model.Source) (*model.DatasetCheck, error)
	// Write validates dataset as `tradegraph load` would and writes it as src.
	// Returns EINVALID, listing every problem, when it does not validate: then
	// nothing is written.
	Write(ctx context.Context, dataset string, src model.Source) (*model.DatasetWrite, error)
}

// The review fields' input caps: a 48 KiB article leaves room in the 64 KiB
// request body for the facts a reviewer sends back with its text.
const (
	MaxDraftText    = 48 << 10
	MaxDatasetBytes = 60 << 10
)

// reviews returns r.Reviews, or an error when the server was started without it.
func (r *Resolver) reviews() (Reviews, error) {
	if r.Reviews == nil {
		return nil, Errorf(EFORBIDDEN, "reviewing drafts is not enabled on this server")
	}
	return r.Reviews, nil
}

// checkSize refuses an input over max bytes with a message that says so.
func checkSize(what string, s string, max int) error {
	if len(s) > max {
		return Errorf(EINVALID, "%s is %d bytes, over the limit of %d", what, len(s), max)
	}
	return nil
}

// reviewSource is the source a review write records: `api:<token name>`, like
// every mutation's.
func reviewSource(ctx context.Context) model.Source {
	p, _ := PrincipalFrom(ctx)
	name := p.Name
	if name == "" {
		name = "anonymous"
	}
	return model.Source{ID: "api:" + name, By: name}
}
