package model

import (
	"fmt"
	"time"
)

// Precision says how much of a date the source gives: "in May 2025" is MONTH.
type Precision string

// The precisions a date can have.
const (
	PrecisionYear  Precision = "YEAR"
	PrecisionMonth Precision = "MONTH"
	PrecisionDay   Precision = "DAY"
)

// PartialDate is a date given to year, month or day precision, written "2025",
// "2025-05" or "2025-05-20". It covers the whole period it names: "2025-05" is true
// on every day of May 2025.
type PartialDate struct {
	Text      string
	Precision Precision
	first     time.Time
}

// ParseDate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD".
func ParseDate(s string) (PartialDate, error) {
	layouts := []struct {
		layout string
		p      Precision
	}{{"2006", PrecisionYear}, {"2006-01", PrecisionMonth}, {"2006-01-02", PrecisionDay}}
	for _, l := range layouts {
		if len(s) != len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, s)
		if err != nil {
			break
		}
		if t.Year() < 1000 {
			break
		}
		return PartialDate{Text: s, Precision: l.p, first: t}, nil
	}
	return PartialDate{}, fmt.Errorf("bad date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
}

// First returns the first day the date covers.
func (d PartialDate) First() time.Time { return d.first }

// Last returns the last day the date covers.
func (d PartialDate) Last() time.Time {
	switch d.Precision {
	case PrecisionYear:
		return d.first.AddDate(1, 0, -1)
	case PrecisionMonth:
		return d.first.AddDate(0, 1, -1)
	default:
		return d.first
	}
}
