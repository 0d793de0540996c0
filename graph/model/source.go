package model

// Actions of the audit trail: what kind of write a batch is.
const (
	ActionLoad     = "load"
	ActionMutation = "mutation"
	ActionMerge    = "merge"
	ActionDelete   = "delete"
	ActionSync     = "sync"
)
