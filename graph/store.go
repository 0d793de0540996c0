package graph

import (
	"context"
	"time"

	"tradegraph/graph/model"
)

// Store is everything the resolvers need from the graph database. There is one
// implementation over Neo4j (graph/neo4jstore) and a hand-written fake for resolver
// tests. Every method is one database round trip. Errors are *Error values with a
// Code (see errors.go) or wrap one: EUNAVAILABLE when the database cannot be
// reached, ETIMEOUT when the request's budget ran out.
type Store interface {
	// Ping returns nil while the database answers.
	Ping(ctx context.Context) error
	// Stats returns node counts by kind and relationship counts by type.
	Stats(ctx context.Context) (*model.GraphStats, error)

	// Nodes returns the entities and documents with the given ids; absent ids are
	// missing from the map.
	Nodes(ctx context.Context, ids []string) (map[string]model.Node, error)
	// Relationship returns the relationship with id, or nil when there is none.
	Relationship(ctx context.Context, id string) (*model.Relationship, error)
	// Entities returns one page of entities of one kind.
	Entities(ctx context.Context, q EntityQuery) (*EntityPage, error)
	// Documents returns one page of documents ordered by id. Documents (here and
	// wherever the Store returns them) come without their sentences: Sentences
	// reads those when a request selects them.
	Documents(ctx context.Context, q PageQuery) (*model.DocumentConnection, error)
	// Sentences returns the numbered sentences of each document id; absent ids
	// are missing from the map.
	Sentences(ctx context.Context, ids []string) (map[string][]model.Sentence, error)
	// Search returns the best full-text matches for the forms of q.Text that
	// model.ResolveName gives, each form's hits before the next's, without repeats.
	Search(ctx context.Context, q SearchQuery) ([]model.SearchHit, error)
	// Relationships returns, for each of q.IDs, one page of its relationships.
	Relationships(ctx context.Context, q RelationshipQuery) (map[string]*model.RelationshipConnection, error)
	// Mentions returns, for each entity id, the documents that mention it.
	Mentions(ctx context.Context, ids []string, first int) (map[string][]model.Mention, error)
	// Neighborhood returns the capped subgraph around q.ID; ENOTFOUND when absent.
	Neighborhood(ctx context.Context, q NeighborhoodQuery) (*model.Subgraph, error)
	// Paths returns candidate paths from q.From to q.To, shortest first.
	Paths(ctx context.Context, q PathQuery) ([]RawPath, error)
	// Timeline returns the dated events of an entity, oldest first.
	Timeline(ctx context.Context, q TimelineQuery) ([]model.TimelineEvent, error)
	// Changes returns what changed around an entity between two dates; ENOTFOUND
	// when there is no such entity.
	Changes(ctx context.Context, q ChangesQuery) (*model.Changes, error)

	// UpsertEntity validates and writes an entity as the claim of the request's
	// token (source `api:<token name>`), and returns it with the fields on which
	// that claim and other sources' disagree; EINVALID with the problems.
	UpsertEntity(ctx context.Context, e model.EntityRecord) (model.Entity, []model.FieldConflict, error)
	// Provenance returns, for each id of an entity or relationship (rel:...),
	// which sources assert it and when; absent ids are missing from the map.
	Provenance(ctx context.Context, ids []string) (map[string][]model.Provenance, error)
	// Claims returns, for each entity id, every source's claim about it.
	Claims(ctx context.Context, ids []string) (map[string][]model.EntityClaim, error)
	// UpsertRelationship validates and writes a relationship; EINVALID with the problems.
	UpsertRelationship(ctx context.Context, r model.RelationshipRecord) (*model.Relationship, error)
	// DeleteRelationship deletes a relationship by id and reports whether it existed.
	DeleteRelationship(ctx context.Context, id string) (bool, error)

	// MergeEntities merges entity from into entity into, in one transaction,
	// recorded as written by src; EINVALID or ENOTFOUND, with nothing changed,
	// when it cannot be done.
	MergeEntities(ctx context.Context, from, into string, src model.Source) (*model.MergeResult, error)
	// AuditLog returns one page of the audit trail, oldest first unless newestFirst.
	AuditLog(ctx context.Context, q PageQuery, newestFirst bool) (*model.AuditConnection, error)
}

// Window keeps relationships whose effective validity (Relationship.Dates) meets
// some day between From and To (either may be zero for an open end; both zero:
// no valid-time filter); a relationship with no date at all is left out of any
// window that sets one. A non-zero Known keeps only relationships first reported
// on or before that day, with only the evidence published by then.
type Window struct {
	From, To time.Time
	Known    time.Time
}

// IsZero reports whether the window keeps everything.
func (w Window) IsZero() bool { return w.From.IsZero() && w.To.IsZero() && w.Known.IsZero() }

// Valid reports whether the window filters on valid time.
func (w Window) Valid() bool { return !w.From.IsZero() || !w.To.IsZero() }

// PageQuery is a keyset page request: at most First items after the Cursor.
type PageQuery struct {
	First int
	After string // opaque cursor, "" for the first page
	// WantTotal asks for the total count (only when the client selected it).
	WantTotal bool
}

// EntityQuery asks for a page of entities of one kind, or with IDs for those
// entities (Kind and the filters then unused, no paging), and with Rels for pages
// of each one's relationships in the same round trip.
type EntityQuery struct {
	PageQuery
	Kind         model.Kind
	Types        []string
	Statuses     []string
	NameContains string
	During       Window // meetings only
	// StatusAsOf, for policies: only those whose lifetime holds that day, with
	// Statuses matched against the status on that day (model.Policy.StatusAsOf).
	StatusAsOf time.Time
	// KnownAsOf keeps only entities known by that day: touched by a relationship
	// first reported by then, or mentioned in a document published by then.
	KnownAsOf time.Time
	IDs       []string
	// Rels are relationship pages to read for every entity of the answer (their
	// IDs unused), answered in EntityPage.Rels.
	Rels []RelationshipQuery
	// Names reads each entity as its id, kind, name and type only: the
	// operation selects nothing else of any entity (namesOnly).
	Names bool
}

// EntityPage is a page of entities with their cursors.
type EntityPage struct {
	Entities    []model.Entity
	Cursors     []string
	HasNextPage bool
	TotalCount  int
	// Rels answers EntityQuery.Rels, in its order.
	Rels []RelationshipPages
}

// RelationshipQuery asks for a page of relationships of each of several entities,
// all with the same filters (one round trip for a whole list of entities).
type RelationshipQuery struct {
	PageQuery
	// WantUndated asks for the count of the relationships the window leaves out
	// because they carry no date on an axis it sets (only when selected).
	WantUndated bool
	IDs         []string
	Types       []model.RelType
	Direction   model.Direction
	Window      Window
	// Select is what the operation reads of each relationship.
	Select RelSelect
}

// RelSelect is what an operation selects of the relationships of a page: the
// store reads the evidence sentences' texts, the attributed entity and the
// endpoints' own relationships only when asked. Store.Relationships ignores
// Nested; queries whose pages are read inside another statement
// (EntityQuery.Rels) answer it.
type RelSelect struct {
	// Texts reads each evidence sentence's text and its document's publication
	// date (needed for sentenceText and for knownAsOf).
	Texts bool
	// Attribution reads the entity a relationship is attributed to.
	Attribution bool
	// Names reads each endpoint (and attributed entity) as its id, kind, name
	// and type only: the operation selects nothing else of any entity (namesOnly).
	Names bool
	// Bare reads of each relationship's own properties only its id: the
	// operation selects none of them (evidence, dates, confidence, validity,
	// note), only what the id, the type and the endpoints answer.
	Bare   bool
	Nested []NestedRels
}

// End names one endpoint of a relationship.
type End string

// The endpoints of a relationship.
const (
	EndFrom End = "from"
	EndTo   End = "to"
)

// NestedRels asks for a page of the relationships of one endpoint of every
// relationship of a page, when that endpoint is of one of Kinds (nil: any).
type NestedRels struct {
	End   End
	Kinds []model.Kind
	Query RelationshipQuery
}

// RelationshipPages answers a RelationshipQuery read inside another statement:
// the page of each entity, by id, and the answers of its Select.Nested, in order,
// by endpoint id.
type RelationshipPages struct {
	Pages  map[string]*model.RelationshipConnection
	Nested []RelationshipPages
}

// NeighborhoodQuery asks for the subgraph around ID.
type NeighborhoodQuery struct {
	ID           string
	Depth        int
	Types        []model.RelType
	LimitPerType int
	// MaxNodes caps the entities of the answer, the centre included.
	MaxNodes int
	Window   Window
	// WantUndated asks for Subgraph.UndatedCount (only when selected).
	WantUndated bool
	// Select is what the request reads of each relationship (Texts,
	// Attribution; Nested is ignored).
	Select RelSelect
}

// SearchQuery asks for the First best entities of Kinds (nil: any) matching Text.
type SearchQuery struct {
	Text  string
	Kinds []model.Kind
	First int
	// Names reads each hit as its id, kind, name and type only: the operation
	// selects nothing else of any entity (namesOnly).
	Names bool
}

// PathQuery asks for up to Candidates paths between two entity ids.
type PathQuery struct {
	From, To   string
	MaxLength  int
	Types      []model.RelType
	Avoid      []string
	Candidates int
	Window     Window
	// Select is what the request reads of each relationship (Texts,
	// Attribution; Nested is ignored).
	Select RelSelect
}

// RawPath is a path as the store finds it, before ranking: nodes n0..nk and the k
// relationships between them, in order.
type RawPath struct {
	Nodes []model.Entity
	Rels  []*model.Relationship
}

// ChangesQuery asks what changed around ID between From and To (days).
type ChangesQuery struct {
	ID       string
	From, To time.Time
	Depth    int
	First    int
}

// TimelineQuery asks for the dated events of an entity.
type TimelineQuery struct {
	ID     string
	Window Window
	First  int
	// Select is what the request reads of each relationship (Texts,
	// Attribution; Nested is ignored).
	Select RelSelect
}
