package access

import (
	"slices"
	"strings"
	"testing"

	"parley/scenario"
)

func TestReaderOf(t *testing.T) {
	s := defaultScenario(t)
	tests := []struct {
		name string
		want Reader
		err  string
	}{
		{"mediator", Reader{Role: Mediator}, ""},
		{"us", Reader{Role: Mediator, Party: "us"}, ""}, // the party whose role is mediator
		{"ua", Reader{Role: Party, Party: "ua"}, ""},
		{"ur", Reader{}, `no party "ur"`},
		{"", Reader{}, "the readers are mediator, us, ua, ru, e3"},
	}
	for _, tt := range tests {
		got, err := ReaderOf(s, tt.name)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: expected an error with %q got %v", tt.name, tt.err, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: expected %v got %v, %v", tt.name, tt.want, got, err)
		}
	}
	s.Parties = append(s.Parties, scenario.Party{ID: "un", Name: "United Nations", Role: scenario.RoleObserver})
	if got, _ := ReaderOf(s, "un"); got != (Reader{Role: Observer, Party: "un"}) {
		t.Errorf("observer: got %v", got)
	}
}

func TestForAnalysis(t *testing.T) {
	s := defaultScenario(t)
	for i := range s.Positions {
		if s.Positions[i].Party == "ru" {
			s.Positions[i].Shared = true
		}
	}
	tests := []struct {
		r              Reader
		seen, withheld []string
	}{
		{Reader{Role: Mediator}, []string{"us", "ua", "ru", "e3"}, nil},
		{Reader{Role: Party, Party: "ua"}, []string{"ua", "ru"}, []string{"us", "e3"}},
		{Reader{Role: Party, Party: "ru"}, []string{"ru"}, []string{"us", "ua", "e3"}},
		{Reader{Role: Observer}, []string{"ru"}, []string{"us", "ua", "e3"}},
	}
	for _, tt := range tests {
		v := ForAnalysis(s, tt.r, nil)
		if !slices.Equal(v.Seen, tt.seen) || !slices.Equal(v.Withheld, tt.withheld) {
			t.Errorf("%v: expected seen %v withheld %v got %v %v", tt.r, tt.seen, tt.withheld, v.Seen, v.Withheld)
		}
		if v.Whole() != (tt.r.Role == Mediator) {
			t.Errorf("%v: Whole() = %v", tt.r, v.Whole())
		}
		// The view's positions are exactly those Scenario gives.
		want := Scenario(s, tt.r, nil)
		if len(v.Scenario.Positions) != len(want.Positions) {
			t.Errorf("%v: expected %d positions got %d", tt.r, len(want.Positions), len(v.Scenario.Positions))
		}
		for _, q := range v.Scenario.Positions {
			if !SeesPosition(tt.r, q.Party, q.Shared) {
				t.Errorf("%v: the view holds a position of %s it may not see", tt.r, q.Party)
			}
		}
	}
}

// TestWithheldIgnoresHidden checks that which parties are withheld is
// decided from what the reader sees: a party that holds no position and
// one whose positions are all private look the same.
func TestWithheldIgnoresHidden(t *testing.T) {
	s := defaultScenario(t)
	r := Reader{Role: Party, Party: "ua"}
	before := ForAnalysis(s, r, nil).Withheld
	var kept []scenario.Position
	for _, q := range s.Positions {
		if q.Party != "ru" {
			kept = append(kept, q)
		}
	}
	s.Positions = kept
	if after := ForAnalysis(s, r, nil).Withheld; !slices.Equal(before, after) {
		t.Errorf("withheld changes with a hidden position: %v then %v", before, after)
	}
}
