package neo4jstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// Migrations is the one list of schema statements: uniqueness constraints first (the
// loaders' MERGE relies on them), then indexes. Every statement is idempotent
// (IF NOT EXISTS), so Migrate runs on every start of serve and load. Later features
// only append to this list.
var Migrations = append([]string{
	"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
	"CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
	"CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
	"CREATE INDEX actor_type IF NOT EXISTS FOR (n:Actor) ON (n.type)",
	"CREATE INDEX policy_status IF NOT EXISTS FOR (n:Policy) ON (n.status)",
	"CREATE INDEX meeting_start IF NOT EXISTS FOR (n:Meeting) ON (n.startFrom)",
	"CREATE CONSTRAINT redirect_id IF NOT EXISTS FOR (r:Redirect) REQUIRE r.id IS UNIQUE",
	"CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE",
	"CREATE INDEX redirect_into IF NOT EXISTS FOR (r:Redirect) ON (r.into)",
	"CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (a:Audit) REQUIRE a.seq IS UNIQUE",
	"CREATE CONSTRAINT audit_counter IF NOT EXISTS FOR (c:AuditSeq) REQUIRE c.id IS UNIQUE",
	"CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliasText, n.description]",
}, append(relIDIndexes(), timeIndexes...)...)

// relIDIndexes returns one index on the id property per relationship type (Neo4j
// indexes relationship properties per type), for lookups and deletes by id.
func relIDIndexes() []string {
	var out []string
	for _, t := range model.RelTypeNames() {
		out = append(out, fmt.Sprintf("CREATE INDEX rel_id_%s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)", strings.ToLower(t), t))
	}
	return out
}

// Migrate applies Migrations to database db and waits for the indexes to come online.
func Migrate(ctx context.Context, driver neo4j.DriverWithContext, db string) error {
	return New(driver, db, nil).Migrate(ctx)
}

// Migrate applies Migrations, each in a transaction of its own (a transaction may
// not mix schema changes with others), waits for the indexes to come online, and
// derives the dates a graph written by an earlier version lacks (backfillTime).
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.applySchema(ctx, nil); err != nil {
		return err
	}
	return s.backfillTime(ctx)
}

// applySchema applies Migrations and waits for the indexes to come online,
// reporting the time of each step to step (when not nil). The indexes come first,
// all in one transaction: Neo4j populates them in the background, in one job,
// while each constraint (a transaction of its own: Neo4j builds and checks its
// index before the statement returns) is created; then it waits once for all.
func (s *Store) applySchema(ctx context.Context, step StepFunc) error {
	var indexes []statement
	var constraints []string
	for _, stmt := range Migrations {
		if strings.HasPrefix(stmt, "CREATE CONSTRAINT") {
			constraints = append(constraints, stmt)
		} else {
			indexes = append(indexes, statement{cypher: stmt})
		}
	}
	start := time.Now()
	if _, err := s.run(ctx, true, indexes); err != nil {
		return fmt.Errorf("migrate: create the %d indexes: %w", len(indexes), err)
	}
	step.done(fmt.Sprintf("create %d indexes (one transaction)", len(indexes)), time.Since(start))
	for _, stmt := range append(constraints, "CALL db.awaitIndexes(300)") {
		start := time.Now()
		if _, err := s.run(ctx, true, []statement{{cypher: stmt}}); err != nil {
			return fmt.Errorf("migrate %q: %w", stmt, err)
		}
		step.done(schemaStepName(stmt), time.Since(start))
	}
	return nil
}

// schemaStepName names a migration statement for a step report: "CONSTRAINT
// entity_id", "wait for indexes ONLINE".
func schemaStepName(stmt string) string {
	if strings.HasPrefix(stmt, "CALL db.awaitIndexes") {
		return "wait for indexes ONLINE"
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(stmt, "CREATE "), " IF NOT EXISTS")
	return name
}

// StepFunc receives the name and duration of each step of a long operation as
// it ends (the import's finishing steps); nil ignores them.
type StepFunc func(step string, took time.Duration)

func (f StepFunc) done(step string, took time.Duration) {
	if f != nil {
		f(step, took)
	}
}

// time runs fn as step name.
func (f StepFunc) time(name string, fn func() error) error {
	start := time.Now()
	err := fn()
	f.done(name, time.Since(start))
	return err
}
