package analysis

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReportsMarshalRounded checks that the improvement report and a
// version change, which "parley improve --json" and "parley diff --json"
// write on their own, round fractional numbers to 12 digits and keep
// every field and integer.
func TestReportsMarshalRounded(t *testing.T) {
	noisy, tiny := 0.6399999999999999, 2.5e-13
	imp := ImprovementReport{
		Scenario: "s", Version: "v1", Parties: []string{"a", "b"},
		Reservation: []float64{noisy, 0.1 + 0.2}, NotCounted: []string{}, NotCountedReservation: []float64{},
		Concessions: []Concessions{},
	}
	vc := VersionChange{
		From: "v1", To: "v2", Open: []string{},
		Parties: []PartyChange{{Party: "a", From: &noisy, Change: &tiny, Verdict: "gained"}},
		Points:  []PointChange{{Point: "p", Contributions: []*float64{&noisy, nil}}},
	}
	for _, tt := range []struct {
		v    any
		want []string
	}{
		{imp, []string{`"reservation":[0.64,0.3]`, `"scenario":"s"`, `"parties":["a","b"]`, `"improvements":null`}},
		{&imp, []string{`"reservation":[0.64,0.3]`}},
		{vc, []string{`"from":0.64`, `"change":0`, `"contributions":[0.64,null]`, `"verdict":"gained"`, `"open":[]`}},
		{[]VersionChange{vc}, []string{`[{"from":"v1","to":"v2"`, `"contributions":[0.64,null]`}},
	} {
		b, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%T: %s lacks %s", tt.v, b, w)
			}
		}
		if strings.Contains(string(b), "0.6399") || strings.Contains(string(b), "0.30000000000000004") {
			t.Errorf("%T: noise left in %s", tt.v, b)
		}
	}
}
