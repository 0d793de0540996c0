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
	for _, cmd := range []string{"serve", "load", "import", "draft", "gen", "merge", "suspects", "token"} {
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

// TestInputFlagsChecked checks the flags load and import share (inputflags.go):
// each bad value is a usage error that names the command and the flag, before
// anything is read or any server contacted.
func TestInputFlagsChecked(t *testing.T) {
	for _, cmd := range []string{"load", "import"} {
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--progress", "loud", "a.csv"}, "--progress is auto, bar, lines or off"},
			{[]string{"--batch-size", "0", "a.csv"}, "--batch-size must be at least 1"},
			{[]string{"--max-record-mib", "0", "a.csv"}, "--max-record-mib must be more than 0"},
			{[]string{"a.csv", "b.yaml"}, "give bulk files (.csv, .jsonl) and curated files or articles in separate runs"},
		} {
			var out strings.Builder
			args := append([]string{"tradegraph", cmd}, c.args...)
			err := run(context.Background(), args, func(string) string { return "" }, &out)
			var u usageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), cmd+": "+c.want) {
				t.Errorf("%s: %v, want a usage error %q", strings.Join(args, " "), err, cmd+": "+c.want)
			}
		}
	}
}

// repoRoot is the repository's root, seen from this package's folder (where go
// test runs): the tests read docs/ and conformance/ and write docs/img there.
const repoRoot = "../.."
