package bulk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// position orders every input row of a bulk load: all node rows (phase 1) come
// before all relationship rows (phase 2), then by file and line.
type position struct {
	Phase phase `json:"phase"`
	File  int   `json:"file"` // index into the inputs
	Line  int   `json:"line"`
}

func (p position) after(q position) bool {
	if p.Phase != q.Phase {
		return p.Phase > q.Phase
	}
	if p.File != q.File {
		return p.File > q.File
	}
	return p.Line > q.Line
}

// inputStamp identifies an input file, so that a checkpoint is only resumed
// against the same files.
type inputStamp struct {
	Path    string    `json:"path"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"modTime"`
}

// checkpoint records how far a bulk load has committed: every valid row at or
// before Committed is in Neo4j. It is rewritten (atomically) after each batch that
// moves that mark.
type checkpoint struct {
	Version   int          `json:"version"`
	Inputs    []inputStamp `json:"inputs"`
	Committed position     `json:"committed"`
	// Where is Committed in words: "relationships.csv line 120001 (relationships)".
	Where   string    `json:"where"`
	Batches int64     `json:"batchesCommitted"`
	Rows    int64     `json:"rowsCommitted"`
	Updated time.Time `json:"updated"`
}

const checkpointVersion = 1

func stampInputs(paths []string) ([]inputStamp, error) {
	out := make([]inputStamp, len(paths))
	for i, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		out[i] = inputStamp{Path: abs, Size: fi.Size(), ModTime: fi.ModTime().UTC()}
	}
	return out, nil
}

// readCheckpoint returns the checkpoint at path for these inputs; found is false
// when there is none. A checkpoint for other inputs is an error: resuming it would
// skip rows that were never written.
func readCheckpoint(path string, inputs []inputStamp) (cp checkpoint, found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cp, false, nil
	}
	if err != nil {
		return cp, false, err
	}
	if err := json.Unmarshal(b, &cp); err != nil {
		return cp, false, fmt.Errorf("checkpoint %s is not readable (%v): delete it and load again without --resume", path, err)
	}
	if cp.Version != checkpointVersion {
		return cp, false, fmt.Errorf("checkpoint %s has version %d, want %d: load again without --resume", path, cp.Version, checkpointVersion)
	}
	if !slices.EqualFunc(cp.Inputs, inputs, func(a, b inputStamp) bool {
		return a.Path == b.Path && a.Size == b.Size && a.ModTime.Equal(b.ModTime)
	}) {
		return cp, false, fmt.Errorf("checkpoint %s was written for other input files (or they changed since): load again without --resume (MERGE makes that safe)", path)
	}
	return cp, true, nil
}

// save writes cp to path atomically: a kill mid-write leaves the previous one.
func (cp checkpoint) save(path string) error {
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}
