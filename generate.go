package main

// Regenerate graph/generated.go and graph/model/models_gen.go from schema/*.graphqls
// with the gqlgen version pinned in go.mod, through internal/gqlgen (which says what
// it changes). CI checks that this leaves no diff.
//go:generate go run ./internal/gqlgen
