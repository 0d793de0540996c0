package bulk

import (
	"strings"
	"testing"
)

// TestBulkStatusHistory checks the bulk CSV columns of a policy's milestones and
// status history (DATE=STATUS items): a good row is written, a history out of
// order is rejected with its file, line and field.
func TestBulkStatusHistory(t *testing.T) {
	nodes := `id:ID,:LABEL,type,name,status,announced,statusHistory:string[]
policy:truce,Policy,TRUCE,Truce,IN_FORCE,2025-05-12,2025-05-12=TENTATIVE;2025-05-14=IN_FORCE
policy:bad,Policy,TRUCE,Bad,TENTATIVE,,2025-05-14=IN_FORCE;2025-05-12=TENTATIVE
`
	res, report, err := bulkDryRun(t, map[string]string{"nodes.csv": nodes}, []string{"nodes.csv"}, -1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != 1 || res.Rejected != 1 {
		t.Errorf("written %d, rejected %d, want 1 and 1\n%s", res.Written, res.Rejected, report)
	}
	if !strings.Contains(report, "nodes.csv:3") || !strings.Contains(report, "statusHistory[1].date: 2025-05-12 is not after the previous entry's 2025-05-14") {
		t.Errorf("report does not name nodes.csv:3 and statusHistory[1].date:\n%s", report)
	}
}
