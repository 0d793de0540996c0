package loaders_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointOneWay checks the architecture's arrows with `go list -deps`:
// the loaders know only the model (and parse with the standard library and their
// YAML parser), never the API or the store; the store never knows the loaders.
func TestDependenciesPointOneWay(t *testing.T) {
	tests := []struct {
		pkg       string
		forbidden []string // a package, or with a trailing "/" every package under it
	}{
		{"tradegraph/loaders", []string{"tradegraph/graph", "tradegraph/graph/neo4jstore", "github.com/neo4j/", "github.com/prometheus/"}},
		{"tradegraph/loaders/bulk", []string{"tradegraph/graph", "tradegraph/graph/neo4jstore", "github.com/neo4j/", "github.com/prometheus/"}},
		{"tradegraph/graph/neo4jstore", []string{"tradegraph/loaders", "tradegraph/loaders/"}},
		{"tradegraph/graph/model", []string{"tradegraph/graph", "tradegraph/loaders", "github.com/neo4j/"}},
	}
	for _, tt := range tests {
		out, err := exec.Command("go", "list", "-deps", tt.pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", tt.pkg, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 2 {
			t.Fatalf("go list -deps %s listed %d packages", tt.pkg, len(deps))
		}
		for _, d := range deps {
			for _, f := range tt.forbidden {
				// A forbidden entry ending in "/" is a prefix; any other is one package.
				if d == f || (strings.HasSuffix(f, "/") && strings.HasPrefix(d, f)) {
					t.Errorf("%s depends on %s", tt.pkg, d)
				}
			}
		}
	}
}
