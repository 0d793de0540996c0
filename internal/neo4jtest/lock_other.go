//go:build !unix

package neo4jtest

import "os"

// lockFile does not lock where flock is missing: run `go test -p 1` there.
func lockFile(*os.File) error { return nil }
