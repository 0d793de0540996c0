package loaders

import "sync/atomic"

// The loaders' rows for the whole process: read from bulk input, written (committed
// by the batch writer) and rejected (by validation). The loaders keep them with the
// standard library; the server exports them on /metrics (and `tradegraph load
// --metrics-addr` while it loads) as tradegraph_loader_rows_total.
var rowsRead, rowsWritten, rowsRejected atomic.Int64

// RowCounts are the loaders' rows so far, by outcome.
type RowCounts struct {
	Read, Written, Rejected int64
}

// Rows returns the loaders' row counts so far.
func Rows() RowCounts {
	return RowCounts{Read: rowsRead.Load(), Written: rowsWritten.Load(), Rejected: rowsRejected.Load()}
}

// CountRows adds to the loaders' row counts: the bulk pipeline counts its rows read,
// written and rejected with it.
func CountRows(read, written, rejected int64) {
	rowsRead.Add(read)
	rowsWritten.Add(written)
	rowsRejected.Add(rejected)
}
