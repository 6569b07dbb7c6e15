package genius

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestScenarioUtilitiesRounded checks that the scenario of a domain holds
// utilities of at most 12 decimals (what import writes and the server
// stores), each, weighted, within 5e-13 of the exact utility the analysis
// uses.
func TestScenarioUtilitiesRounded(t *testing.T) {
	dirs := testDomains(t)
	for _, dir := range dirs {
		d, err := Load([]string{dir}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Scenario == nil || strings.Contains(d.Scenario.Disclaimer, "caps") {
			continue // nonlinear, or capped at 1 by GENIUS: not additive
		}
		if len(d.Problem.Issues) != len(d.Scenario.Versions[0].Points()) {
			t.Fatalf("%s: %d issues, %d points", dir, len(d.Problem.Issues), len(d.Scenario.Versions[0].Points()))
		}
		for k, pos := range d.Scenario.Positions {
			for i, pp := range pos.Points {
				for j, os := range pp.Options {
					if os.Utility == nil {
						t.Fatalf("%s: %s %s=%s has no utility", dir, pos.Party, pp.Point, os.Option)
					}
					u := *os.Utility
					// Independent of package round: 12 decimals, through text.
					want, _ := strconv.ParseFloat(strconv.FormatFloat(u, 'f', 12, 64), 64)
					if u != want {
						t.Errorf("%s: %s %s=%s: utility %v has more than 12 decimals", dir, pos.Party, pp.Point, os.Option, u)
					}
					if exact := d.Problem.Issues[i].Options[j].Utility[k]; math.Abs(pp.Weight*u-exact) > 5e-13 {
						t.Errorf("%s: %s %s=%s: weighted utility %v, exact %v", dir, pos.Party, pp.Point, os.Option, pp.Weight*u, exact)
					}
				}
			}
		}
	}
}
