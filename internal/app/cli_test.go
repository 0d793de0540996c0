package app

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestHelpIsNotAnError checks that -h and --help print the usage of every command
// and succeed (exit status 0), while a bad flag stays a usage error (status 2).
func TestHelpIsNotAnError(t *testing.T) {
	for _, cmd := range []string{"serve", "load", "draft", "gen", "merge", "suspects", "token"} {
		for _, flag := range []string{"-h", "--help"} {
			var out strings.Builder
			err := run(context.Background(), []string{"tradegraph", cmd, flag}, func(string) string { return "" }, &out)
			if err != nil {
				t.Errorf("tradegraph %s %s: %v, want no error", cmd, flag, err)
			}
			if !strings.Contains(out.String(), "usage: tradegraph "+cmd) {
				t.Errorf("tradegraph %s %s printed %q, want its usage", cmd, flag, out.String())
			}
		}
		var out strings.Builder
		err := run(context.Background(), []string{"tradegraph", cmd, "--no-such-flag"}, func(string) string { return "" }, &out)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("tradegraph %s --no-such-flag: %v, want a usage error", cmd, err)
		}
	}
}

// repoRoot is the repository's root, seen from this package's folder (where go
// test runs): the tests read docs/ and conformance/ and write docs/img there.
const repoRoot = "../.."
