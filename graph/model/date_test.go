package model

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		in          string
		precision   Precision
		first, last string
	}{
		{"2025", PrecisionYear, "2025-01-01", "2025-12-31"},
		{"2025-05", PrecisionMonth, "2025-05-01", "2025-05-31"},
		{"2025-02", PrecisionMonth, "2025-02-01", "2025-02-28"},
		{"2024-02", PrecisionMonth, "2024-02-01", "2024-02-29"}, // leap year
		{"2025-12", PrecisionMonth, "2025-12-01", "2025-12-31"},
		{"2025-05-20", PrecisionDay, "2025-05-20", "2025-05-20"},
		{"2024-02-29", PrecisionDay, "2024-02-29", "2024-02-29"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got.Text != tt.in || got.Precision != tt.precision {
				t.Errorf("got %q %s, want %q %s", got.Text, got.Precision, tt.in, tt.precision)
			}
			if !got.First().Equal(day(tt.first)) {
				t.Errorf("First: got %v, want %v", got.First(), tt.first)
			}
			if !got.Last().Equal(day(tt.last)) {
				t.Errorf("Last: got %v, want %v", got.Last(), tt.last)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	for _, in := range []string{
		"", "2025-13", "2025-00", "2025-02-30", "2025-02-29", "2025-04-31", "25", "2025-5",
		"2025-05-1", "2025/05", "05-2025", "0999", "2025-05-20T10:00", "May 2025", " 2025", "2025 ",
		"20255", "-2025", "+2025",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseDate(in)
			if err == nil {
				t.Fatalf("got %+v, want an error", got)
			}
			want := `bad date "` + in + `": want YYYY, YYYY-MM or YYYY-MM-DD`
			if err.Error() != want {
				t.Errorf("got %v, want %v", err, want)
			}
		})
	}
}
