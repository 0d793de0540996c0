package loaders

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"tradegraph/graph/model"
)

// sourceUnits splits a validated load by source: each curated file and each
// article is one source.
func sourceUnits(o Options, curated []*Parsed, articles []model.DocumentRecord, articlePaths []string) []sourceUnit {
	var units []sourceUnit
	for _, p := range curated {
		u := sourceUnit{src: p.source(o.By, o.Prefer), path: p.Path, file: p,
			ents: p.Data.Entities, rels: p.Data.Relationships}
		for _, d := range p.Data.Documents {
			u.docs = append(u.docs, d.DocumentRecord)
		}
		units = append(units, u)
	}
	for i, d := range articles {
		units = append(units, sourceUnit{src: model.Source{ID: SourceID(articlePaths[i]), By: o.By, Prefer: o.Prefer},
			path: articlePaths[i], docs: []model.DocumentRecord{d}})
	}
	if o.Source != "" {
		for i := range units {
			units[i].src.ID, units[i].src.Priority = o.Source, 0
		}
	}
	return units
}

// preview prints, for a dry run against the graph, what the load would change
// on the entities the graph holds already, field by field (before -> after),
// with the conflicts it would take part in; and what --sync would retract, or
// how many facts it would.
func preview(ctx context.Context, o Options, units []sourceUnit) error {
	for _, u := range units {
		if len(u.ents) == 0 {
			continue
		}
		ps, err := o.Graph.PreviewEntities(ctx, u.src, u.ents)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if len(p.Changes) == 0 && len(p.Conflicts) == 0 {
				continue
			}
			if at := u.entityAt(p.ID, "id"); len(p.Changes) > 0 {
				fmt.Fprintf(o.Out, "%s:%d: %s would change:\n", at.File, at.Line, p.ID)
			}
			for _, c := range p.Changes {
				fmt.Fprintf(o.Out, "  %-12s %s -> %s\n", c.Field, quoteEmpty(c.Before), quoteEmpty(c.After))
			}
			for _, c := range p.Conflicts {
				printConflicts(o.Out, u, []model.EntityConflict{{Entity: p.ID, FieldConflict: c}})
			}
		}
	}
	return syncUnits(ctx, o, units)
}

// quoteEmpty shows an empty value as (none).
func quoteEmpty(s string) string {
	if s == "" {
		return "(none)"
	}
	if strings.HasPrefix(s, "[") {
		return s
	}
	return fmt.Sprintf("%q", s)
}

// syncUnits finds, for each source of the load, the facts it asserted before
// and no longer does. With --sync it retracts them (lists them in a dry run);
// without, it says how many there are.
func syncUnits(ctx context.Context, o Options, units []sourceUnit) error {
	s := NewSync(o.Graph, o.Out, o.By, o.Sync, o.DryRun)
	for _, u := range units {
		if err := s.Source(ctx, u.src, u.path, u.facts()); err != nil {
			return err
		}
	}
	return nil
}

// Sync compares, source by source, what the graph says a source asserts with
// what its file asserts now: the one retraction step of curated files, articles
// and bulk input.
type Sync struct {
	g            Graph
	out          io.Writer
	load         string // names the load in the retraction records
	retract, dry bool
}

// NewSync returns the sync of a load by by: with retract (--sync) the stale facts
// are retracted, or listed when dry; without, only counted.
func NewSync(g Graph, out io.Writer, by string, retract, dry bool) *Sync {
	return &Sync{g: g, out: out, load: fmt.Sprintf("load by %s at %s", by, model.ProvTime(time.Now())), retract: retract, dry: dry}
}

// retractChunk bounds the facts one retraction transaction takes: a bulk file
// can leave many behind at once.
var retractChunk = 5000

// Source finds the facts src asserted before and present no longer names, and
// retracts, lists or counts them; path names the source's file in what it prints.
func (s *Sync) Source(ctx context.Context, src model.Source, path string, present model.Facts) error {
	stale, err := s.g.StaleFacts(ctx, src.ID, present)
	if err != nil {
		return err
	}
	if len(stale) == 0 {
		return nil
	}
	if !s.retract {
		fmt.Fprintf(s.out, "%s: %d facts from this source are no longer in it (use --sync to retract them)\n", path, len(stale))
		return nil
	}
	if s.dry {
		fmt.Fprintf(s.out, "%s: --sync would retract %d fact(s) this source no longer asserts:\n", path, len(stale))
		for _, st := range stale {
			fmt.Fprintf(s.out, "  %-12s %s (%s)%s\n", st.What, st.ID, st.Label, alsoFrom(st, src.ID))
		}
		return nil
	}
	if len(stale) > retractChunk {
		// Relationships first, then entities, then documents, each chunk in its
		// own transaction: an entity or document is kept while a relationship that
		// needs it is there, so what needs it goes in an earlier chunk.
		order := map[string]int{"relationship": 0, "entity": 1, "document": 2}
		slices.SortStableFunc(stale, func(a, b model.Stale) int { return order[a.What] - order[b.What] })
	}
	var done []model.Retraction
	for chunk := range slices.Chunk(stale, retractChunk) {
		rs, err := s.g.Retract(ctx, src, chunk, s.load)
		if err != nil {
			return fmt.Errorf("%s: --sync: %w", path, err)
		}
		done = append(done, rs...)
	}
	fmt.Fprintf(s.out, "%s: --sync: %d fact(s) this source no longer asserts:\n", path, len(done))
	for _, r := range done {
		line := fmt.Sprintf("  %-9s %-12s %s (%s)", r.Outcome, r.What, r.ID, r.Label)
		if r.Reason != "" {
			line += ": " + r.Reason
		}
		fmt.Fprintln(s.out, line+alsoFrom(r.Stale, src.ID))
	}
	return nil
}

// alsoFrom says which other sources still assert a stale fact.
func alsoFrom(st model.Stale, src string) string {
	var others []string
	for _, s := range st.Sources {
		if s != src {
			others = append(others, s)
		}
	}
	if len(others) == 0 {
		return ""
	}
	return "; still asserted by " + strings.Join(others, ", ")
}
