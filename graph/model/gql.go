package model

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// This file lets gqlgen bind GraphQL types to the model's own types, so that the API
// speaks the same vocabulary as the loaders instead of a copy of it.

// InputError is a bad argument value found while decoding it (a malformed date, an
// unknown type). The API reports it as a user error with its message.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// MarshalGQL writes the relationship type as a GraphQL enum value.
func (t RelType) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(t))) }

// UnmarshalGQL accepts only types of the vocabulary.
func (t *RelType) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return inputErrorf("relationship type must be a string, got %T", v)
	}
	if _, ok := LookupRel(s); !ok {
		return inputErrorf("unknown relationship type %q", s)
	}
	*t = RelType(s)
	return nil
}

// MarshalGQL writes the date source as a GraphQL enum value.
func (s DateSource) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL accepts STATED, ENDPOINT, EVIDENCE or UNKNOWN.
func (s *DateSource) UnmarshalGQL(v any) error {
	str, _ := v.(string)
	switch DateSource(str) {
	case DatesStated, DatesFromEndpoint, DatesFromEvidence, DatesUnknown:
		*s = DateSource(str)
		return nil
	}
	return inputErrorf("unknown date source %q (want STATED, ENDPOINT, EVIDENCE or UNKNOWN)", str)
}

// MarshalGQL writes the precision as a GraphQL enum value.
func (p Precision) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(p))) }

// UnmarshalGQL accepts YEAR, MONTH or DAY.
func (p *Precision) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch Precision(s) {
	case PrecisionYear, PrecisionMonth, PrecisionDay:
		*p = Precision(s)
		return nil
	}
	return inputErrorf("unknown precision %q (want YEAR, MONTH or DAY)", s)
}

// DateInput is the PartialDateInput scalar: "2025", "2025-05" or "2025-05-12".
type DateInput struct{ PartialDate }

// MarshalGQL writes the date as written.
func (d DateInput) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(d.Text)) }

// UnmarshalGQL parses the date, rejecting anything but YYYY, YYYY-MM or YYYY-MM-DD.
func (d *DateInput) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return inputErrorf("date must be a string like 2025-05, got %T", v)
	}
	pd, err := ParseDate(s)
	if err != nil {
		return &InputError{Msg: err.Error()}
	}
	d.PartialDate = pd
	return nil
}

// DateOrNil parses s, returning nil when s is empty or not a date.
func DateOrNil(s string) *PartialDate {
	if s == "" {
		return nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return nil
	}
	return &d
}

// EnumOf returns the GraphQL enum value of kind k (ACTOR for Actor): the one
// conversion from the model's kinds (the Neo4j labels) to the API's enum.
func EnumOf(k Kind) EntityKind { return EntityKind(strings.ToUpper(string(k))) }

// KindOf returns the model kind of the GraphQL enum value e, and false when e
// names no kind: the one conversion from the API's enum to the model's kinds.
func KindOf(e EntityKind) (Kind, bool) {
	for _, k := range Kinds {
		if EnumOf(k) == e {
			return k, true
		}
	}
	return "", false
}
