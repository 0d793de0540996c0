package graph

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// sizedByParent are the list fields without a complexity function of their own:
// each has no argument, so its length is fixed by the data model or bounded by a
// field above it that is costed. A new list field fails
// TestEveryListFieldIsCosted until it gets a complexity function or a line here.
var sizedByParent = map[string]string{
	"Actor.aliases":                  "an entity's names",
	"Commodity.aliases":              "an entity's names",
	"Meeting.aliases":                "an entity's names",
	"Policy.aliases":                 "an entity's names",
	"Commodity.uses":                 "a commodity's uses",
	"Document.sentences":             "a document's text",
	"Mention.sentences":              "a document's text",
	"Mention.adjectivalSentences":    "a document's text",
	"Relationship.evidence":          "a relationship's evidence",
	"Changes.started":                "Query.changes(first)",
	"Changes.ended":                  "Query.changes(first)",
	"Changes.reported":               "Query.changes(first)",
	"Changes.policies":               "Query.changes(first)",
	"Policy.statusHistory":           "a policy's status changes",
	"AuditConnection.records":        "Query.auditLog(first)",
	"AuditRecord.counts":             "one per kind or type",
	"AuditRecord.ids":                "at most 20 per record",
	"MergeResult.aliasesAdded":       "the merged entity's names",
	"MergeResult.conflicts":          "the merged entities' relationships",
	"Actor.provenance":               "a fact's sources",
	"Commodity.provenance":           "a fact's sources",
	"Meeting.provenance":             "a fact's sources",
	"Policy.provenance":              "a fact's sources",
	"Relationship.provenance":        "a fact's sources",
	"Actor.fieldSources":             "one per entity field",
	"Commodity.fieldSources":         "one per entity field",
	"Meeting.fieldSources":           "one per entity field",
	"Policy.fieldSources":            "one per entity field",
	"FieldSources.values":            "an entity's sources",
	"SourcedValue.sources":           "an entity's sources",
	"GraphStats.nodesByKind":         "one per kind",
	"GraphStats.relationshipsByType": "one per type",
	"Query.vocabulary":               "one per type",
	"RelTypeInfo.from":               "one per kind",
	"RelTypeInfo.to":                 "one per kind",
	"ActorConnection.edges":          "Query.actors(first)",
	"MeetingConnection.edges":        "Query.meetings(first)",
	"CommodityConnection.edges":      "Query.commodities(first)",
	"PolicyConnection.edges":         "Query.policies(first)",
	"DocumentConnection.edges":       "Query.documents(first)",
	"RelationshipConnection.edges":   "<Entity>.relationships(first)",
	"Subgraph.nodes":                 "Query.neighborhood(depth, limitPerType, maxNodes)",
	"Subgraph.edges":                 "Query.neighborhood(depth, limitPerType, maxNodes)",
	"Subgraph.truncated":             "Query.neighborhood(depth, limitPerType, maxNodes)",
	"PathResult.paths":               "Query.paths(first)",
	"Path.nodes":                     "Query.paths(maxLength)",
	"Path.hops":                      "Query.paths(maxLength)",
	"ArticleDraft.entities":          "Query.draftArticle's text (48 KiB)",
	"ArticleDraft.relationships":     "Query.draftArticle's text (48 KiB)",
	"ArticleDraft.mentions":          "Query.draftArticle's text (48 KiB)",
	"ArticleDraft.ambiguous":         "Query.draftArticle's text (48 KiB)",
	"ArticleDraft.alreadyKnown":      "Query.draftArticle's text (48 KiB)",
	"DraftDocument.sentences":        "Query.draftArticle's text (48 KiB)",
	"DraftRelationship.evidence":     "at most 3 per proposal",
	"DatasetCheck.problems":          "Query.checkDataset's dataset (60 KiB)",
}

// TestEveryListFieldIsCosted checks that every field of the schema that returns a
// list or a connection has a complexity function, unless sizedByParent says what
// bounds it; a field with arguments always needs its own.
func TestEveryListFieldIsCosted(t *testing.T) {
	var root ComplexityRoot
	complexity(&root)
	costed := func(typ, field string) bool {
		v := reflect.ValueOf(root).FieldByName(typ)
		if !v.IsValid() {
			return false
		}
		f := v.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, field) })
		return f.IsValid() && f.Kind() == reflect.Func && !f.IsNil()
	}
	schema := NewExecutableSchema(Config{}).Schema()
	names := make([]string, 0, len(schema.Types))
	for name := range schema.Types {
		names = append(names, name)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, name := range names {
		def := schema.Types[name]
		if def.BuiltIn || def.Kind != ast.Object || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || (f.Type.Elem == nil && !strings.HasSuffix(f.Type.Name(), "Connection")) {
				continue
			}
			key := name + "." + f.Name
			seen[key] = true
			switch _, bounded := sizedByParent[key]; {
			case costed(name, f.Name):
				if bounded {
					t.Errorf("%s has a complexity function: remove it from sizedByParent", key)
				}
			case len(f.Arguments) > 0:
				t.Errorf("%s takes arguments that size it but has no complexity function (graph/budget.go)", key)
			case !bounded:
				t.Errorf("%s returns a list but has no complexity function and is not in sizedByParent", key)
			}
		}
	}
	for key := range sizedByParent {
		if !seen[key] {
			t.Errorf("sizedByParent names %s, which is not a list field of the schema", key)
		}
	}
}
