package main

// Regenerate graph/generated.go and graph/model/models_gen.go from schema/*.graphqls
// with the gqlgen version pinned in go.mod. CI checks that this leaves no diff.
//go:generate go tool gqlgen generate --config gqlgen.yml
