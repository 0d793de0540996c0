package graph

import (
	"context"
	"errors"

	"tradegraph/graph/model"
)

// documentSentences returns d's sentences: those it came with, or else those the
// store reads for it (with the other documents of the request that ask, in one
// round trip). Documents are read without their text, so that a list of titles
// does not carry every document's text.
func documentSentences(ctx context.Context, d *model.Document) ([]model.Sentence, error) {
	if d.Sentences != nil {
		return d.Sentences, nil
	}
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	s, err := l.sentences.Load(ctx, d.ID)
	if errors.Is(err, errNotLoaded) || (err == nil && s == nil) {
		return []model.Sentence{}, nil
	}
	return s, err
}
