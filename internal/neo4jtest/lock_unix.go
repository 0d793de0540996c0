//go:build unix

package neo4jtest

import (
	"os"
	"syscall"
)

// lockFile blocks until it holds an exclusive lock on f.
func lockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }
