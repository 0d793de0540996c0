package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// The audit trail: every write transaction that changes the graph (a load's batch,
// a mutation, a delete, a merge) appends one :Audit node in that same transaction,
// so a write and its record commit or roll back together. Records are numbered by
// a counter node that each appending transaction locks until it commits: seq
// follows the order of commits and never repeats.

// auditIDCap is how many ids one audit record keeps; idsTotal counts them all.
const auditIDCap = 20

// auditEntry is what one audit record says.
type auditEntry struct {
	by, action, source string
	counts             []model.AuditCount
	ids                []string
}

const auditCypher = `
		MERGE (c:AuditSeq {id: 'audit'}) ON CREATE SET c.n = 0
		SET c.n = c.n + 1
		CREATE (a:Audit {seq: c.n, at: datetime(), by: $by, action: $action, source: $source,
		        countKeys: $keys, countValues: $values, ids: $ids, idsTotal: $idsTotal})
		RETURN a.seq AS seq`

// auditStatement returns the statement that appends e to the trail; its one
// record holds the new seq.
func auditStatement(e auditEntry) *statement {
	keys := make([]string, len(e.counts))
	values := make([]int64, len(e.counts))
	for i, c := range e.counts {
		keys[i], values[i] = c.Key, int64(c.Count)
	}
	ids := e.ids
	if len(ids) > auditIDCap {
		ids = ids[:auditIDCap]
	}
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	return &statement{cypher: auditCypher, params: map[string]any{
		"by": or(e.by, "unknown"), "action": or(e.action, model.ActionLoad), "source": or(e.source, "unknown"),
		"keys": keys, "values": values, "ids": nonNil(ids), "idsTotal": int64(len(e.ids)),
	}}
}

// summaryCounts turns a write's outcomes into audit counts, "Actor created" and
// so on, leaving out zeros, in a stable order.
func summaryCounts(sum model.Summary) []model.AuditCount {
	var out []model.AuditCount
	for k, o := range sum {
		for _, c := range []struct {
			what string
			n    int
		}{{model.Created, o.Created}, {model.Updated, o.Updated}, {model.Unchanged, o.Unchanged}} {
			if c.n > 0 {
				out = append(out, model.AuditCount{Key: k + " " + c.what, Count: c.n})
			}
		}
	}
	slices.SortFunc(out, func(a, b model.AuditCount) int {
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
	return out
}

// batchAudit returns the statement, built last in a batch's transaction, that
// records the batch when its statements (keys as in preparedBatch) created or
// updated something; a batch that changed nothing leaves no record.
func batchAudit(b model.Batch, keys []string) statement {
	return statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		sum := model.Summary{}
		for i, key := range keys[:len(prev)] {
			if key == "" || prev[i] == nil {
				continue
			}
			got, err := tally(key, prev[i], -1)
			if err != nil {
				return nil, err
			}
			sum.Merge(got)
		}
		changed := false
		for _, o := range sum {
			changed = changed || o.Created > 0 || o.Updated > 0
		}
		if !changed {
			return nil, nil
		}
		return auditStatement(auditEntry{
			by: b.Source.By, action: b.Action, source: b.Source.ID,
			counts: summaryCounts(sum), ids: batchIDs(b),
		}), nil
	}}
}

// batchIDs returns the ids of b's documents, entities and relationships.
func batchIDs(b model.Batch) []string {
	var ids []string
	for _, d := range b.Documents {
		ids = append(ids, d.ID)
	}
	for _, e := range b.Entities {
		ids = append(ids, e.ID)
	}
	for _, r := range b.Relationships {
		ids = append(ids, model.RelationshipID(r.From, r.Type, r.To))
	}
	for _, m := range b.Mentions {
		ids = append(ids, m.Doc)
	}
	return ids
}

// auditLogCypher pages through the trail by seq, in either direction.
var auditLogCypher = map[bool]string{
	false: `MATCH (a:Audit) WHERE a.seq > $after RETURN properties(a) AS a ORDER BY a.seq LIMIT $limit`,
	true:  `MATCH (a:Audit) WHERE a.seq < $after RETURN properties(a) AS a ORDER BY a.seq DESC LIMIT $limit`,
}

// AuditLog returns one page of the audit trail, oldest first or newest first.
func (s *Store) AuditLog(ctx context.Context, q graph.PageQuery, newestFirst bool) (*model.AuditConnection, error) {
	after := int64(0)
	if newestFirst {
		after = int64(1) << 62
	}
	if q.After != "" {
		key, id, err := decodeCursor(q.After)
		n, perr := strconv.ParseInt(id, 10, 64)
		if err != nil || perr != nil || key != "audit" {
			return nil, graph.Errorf(graph.EINVALID, "after: not a cursor this API issued")
		}
		after = n
	}
	res, err := s.read(ctx, auditLogCypher[newestFirst], map[string]any{"after": after, "limit": int64(q.First + 1)})
	if err != nil {
		return nil, err
	}
	out := &model.AuditConnection{Records: []model.AuditRecord{}, PageInfo: &model.PageInfo{}}
	for i, rec := range res.Records {
		if i == q.First {
			out.PageInfo.HasNextPage = true
			break
		}
		props, err := get[map[string]any](rec, "a")
		if err != nil {
			return nil, decodeErr(err)
		}
		a, err := decodeAudit(props)
		if err != nil {
			return nil, decodeErr(err)
		}
		out.Records = append(out.Records, a)
		c := cursor("audit", strconv.Itoa(a.Seq))
		out.PageInfo.EndCursor = &c
	}
	return out, nil
}

// decodeAudit reads the properties of an :Audit node.
func decodeAudit(p map[string]any) (model.AuditRecord, error) {
	var a model.AuditRecord
	seq, ok1 := p["seq"].(int64)
	at, ok2 := p["at"].(time.Time)
	by, ok3 := p["by"].(string)
	action, ok4 := p["action"].(string)
	source, ok5 := p["source"].(string)
	total, ok6 := p["idsTotal"].(int64)
	keys, ok7 := p["countKeys"].([]any)
	values, ok8 := p["countValues"].([]any)
	ids, ok9 := p["ids"].([]any)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8 && ok9) || len(keys) != len(values) {
		return a, fmt.Errorf("audit record %v: missing or mistyped properties", p["seq"])
	}
	a = model.AuditRecord{Seq: int(seq), At: at.UTC().Format(time.RFC3339Nano), By: by, Action: action, Source: source, IdsTotal: int(total)}
	ks, err := stringList(keys)
	if err != nil {
		return a, fmt.Errorf("audit record %d counts: %w", seq, err)
	}
	a.Counts = make([]model.AuditCount, len(ks))
	for i, k := range ks {
		n, ok := values[i].(int64)
		if !ok {
			return a, fmt.Errorf("audit record %d: count %d is a %T", seq, i, values[i])
		}
		a.Counts[i] = model.AuditCount{Key: k, Count: int(n)}
	}
	if a.Ids, err = stringList(ids); err != nil {
		return a, fmt.Errorf("audit record %d ids: %w", seq, err)
	}
	return a, nil
}
