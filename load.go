package main

import (
	"context"
	"errors"
	"flag"
	"io"
)

func runLoad(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var nf neo4jFlags
	nf.register(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("load: name at least one FILE")}
	}
	return errors.New("load: not implemented yet")
}
