package loaders_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"tradegraph/loaders"
)

// timed is a dataset whose time fields are all bad in one way each.
const timed = `documents:
  - id: doc:a
    title: A
    date: "2025-06-11"
    text: "China imposes controls. The truce held."
entities:
  - {id: actor:china, kind: Actor, type: COUNTRY, name: China}
  - id: policy:controls
    kind: Policy
    type: EXPORT_CONTROL
    name: Controls
    status: IN_FORCE
    announced: "2025-10"
    inForce: "2025-09"
  - id: policy:truce
    kind: Policy
    type: TRUCE
    name: Truce
    status: IN_FORCE
    statusHistory:
      - {date: "2025-05-14", status: IN_FORCE}
      - {date: "2025-05-12", status: AGREED}
relationships:
  - type: IMPOSES
    from: actor:china
    to: policy:controls
    validTo: "2025-08"
    evidence: [{doc: doc:a, sentence: 1, quote: China imposes controls}]
  - type: TARGETS
    from: policy:truce
    to: actor:china
    validFrom: "2025-01"
    validTo: "2025-02"
    note: "Reported as planned before the truce existed."
    evidence: [{doc: doc:a, sentence: 2, quote: The truce held}]
`

// TestTimeFieldsAreValidated checks that bad milestones, a status history out of
// order or with an unknown status, and a relationship stated to hold outside an
// endpoint's lifetime are reported with file:line:field, and that a note lets a
// curator state such a relationship.
func TestTimeFieldsAreValidated(t *testing.T) {
	p, probs := loaders.ParseCurated(writeFile(t, "timed.yaml", timed))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	_, probs = loaders.ValidateCurated(context.Background(), []*loaders.Parsed{p}, nil)
	var got []string
	for _, pr := range probs {
		s := pr.String()
		got = append(got, s[strings.Index(s, "timed.yaml"):])
	}
	want := []string{
		`timed.yaml:14: entities[1].inForce: 2025-09 is before announced 2025-10`,
		`timed.yaml:19: entities[2].status: IN_FORCE differs from the last statusHistory entry, AGREED (2025-05-12)`,
		`timed.yaml:22: entities[2].statusHistory[1].date: 2025-05-12 is not after the previous entry's 2025-05-14: the history must be in date order`,
		`timed.yaml:22: entities[2].statusHistory[1].status: unknown status "AGREED" (want one of PROPOSED, TENTATIVE, IN_FORCE, SUSPENDED, STRUCK_DOWN, ON_HOLD, EXPIRED, REPLACED)`,
		// The lifetime starts at the earliest milestone, inForce, however wrong.
		`timed.yaml:27: relationships[0].validTo: stated to hold ..2025-08-31, outside the lifetime of policy:controls (2025-09-01..): fix the dates, or say why in note`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
