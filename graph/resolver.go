package graph

// Resolver is the root of the GraphQL resolvers. Resolvers are thin: they map
// arguments, call the Store, and return.
type Resolver struct {
	Store        Store
	BuildVersion string
	// Reviews drafts and writes reviewed facts (review.go); nil turns that off.
	Reviews Reviews
}
