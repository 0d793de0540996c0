package model

// Source says who a write comes from: the stable id of what asserted it (a dataset
// file, a bulk input, an article, the API) and the operator or token that wrote it.
// The audit trail records both; provenance (issue 16.1) keeps them per fact.
type Source struct {
	ID, By   string
	Priority int
	Prefer   bool
}

// Actions of the audit trail: what kind of write a batch is.
const (
	ActionLoad     = "load"
	ActionMutation = "mutation"
	ActionMerge    = "merge"
	ActionDelete   = "delete"
)
