package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strings"
	"time"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// The merge command, and who the loader commands write as (--as).

func runMerge(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("merge", "[flags] FROM_ID INTO_ID", "Merges entity FROM_ID into INTO_ID (same kind): relationships, mentions, aliases and\nprovenance move to INTO_ID, FROM_ID stays as a redirect to it, and the merge is\nrecorded in the audit log. One transaction; refused with nothing changed when it\ncannot be done (see docs/loading.md).", stdout)
	var nf neo4jFlags
	nf.register(fs, getenv)
	as := asFlag(fs, getenv)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if fs.NArg() != 2 {
		return usageError{errors.New("merge: name FROM_ID and INTO_ID")}
	}
	store, closeStore, err := nf.openStore(ctx, stdout, 10*time.Second)
	if err != nil {
		return err
	}
	defer closeStore()
	from, into := fs.Arg(0), fs.Arg(1)
	res, err := store.MergeEntities(ctx, from, into, model.Source{ID: "cli", By: *as})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "merged %s into %s (audit #%d)\n", from, into, res.AuditSeq)
	fmt.Fprintf(stdout, "  relationships moved:    %d (%d combined with the survivor's)\n", res.RelationshipsMoved, res.RelationshipsCombined)
	fmt.Fprintf(stdout, "  mentions moved:         %d document(s)\n", res.MentionsMoved)
	fmt.Fprintf(stdout, "  attributions moved:     %d\n", res.AttributionsMoved)
	fmt.Fprintf(stdout, "  aliases added:          %s\n", orNone(res.AliasesAdded))
	for _, c := range res.Conflicts {
		fmt.Fprintf(stdout, "  conflict (kept the survivor's): %s\n", c)
	}
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// asFlag registers --as, the name a command's writes are recorded under in the
// audit log: TRADEGRAPH_AS, else the OS user.
func asFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := getenv("TRADEGRAPH_AS")
	if def == "" {
		if u, err := user.Current(); err == nil {
			def = u.Username
		} else {
			def = envOr(getenv, "USER", "unknown")
		}
	}
	return fs.String("as", def, "the name this command's writes are recorded under in the audit log (default the OS user) [TRADEGRAPH_AS]")
}

// asSource is a loaders.Graph whose batches are recorded as written by src
// unless the loader says otherwise.
type asSource struct {
	loaders.Graph
	src model.Source
}

// Prepare fills the batch's source from src where the loader left it empty.
func (a asSource) Prepare(b model.Batch) (model.Prepared, error) {
	if b.Source.ID == "" {
		b.Source.ID = a.src.ID
	}
	if b.Source.By == "" {
		b.Source.By = a.src.By
	}
	return a.Graph.Prepare(b)
}
