package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// The command-line conventions every command shares.

// usageError marks a bad command line (exit code 2).
type usageError struct{ error }

// parseFlags parses args into fs. done is true when the command must stop: after
// printing its usage for -h or --help (err is nil: help is not an error), or on a
// bad flag (err is a usageError).
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	switch err := fs.Parse(args); {
	case err == nil:
		return false, nil
	case errors.Is(err, flag.ErrHelp):
		return true, nil
	default:
		return true, usageError{err}
	}
}

// envOr returns the environment variable key, or fallback when it is empty.
func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

// newFlagSet returns the flag set of command name: -h prints "usage: tradegraph
// name synopsis", the description and the flags to stdout.
func newFlagSet(name, synopsis, description string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: tradegraph %s %s\n\n%s\n\nflags:\n", name, synopsis, description)
		fs.PrintDefaults()
	}
	return fs
}
