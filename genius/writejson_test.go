package genius

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"parley/analysis"
)

// twoIssueDomain is a GENIUS domain of a discrete issue A (x, y) and an
// integer issue N (0..2).
const twoIssueDomain = `<negotiation_template><utility_space><objective index="0" name="root">
	<issue index="1" type="discrete" name="A"><item value="x"/><item value="y"/></issue>
	<issue index="2" type="integer" name="N" lowerbound="0" upperbound="2"/>
</objective></utility_space></negotiation_template>`

// twoIssueProfile gives A the evaluations x 1, y 0 and N the slope s, with
// the weights wa and wn as given.
func twoIssueProfile(wa, wn, s string) string {
	return `<utility_space><objective index="0" name="root">
	<issue index="1" type="discrete" name="A"><item value="x" evaluation="1"/><item value="y" evaluation="0"/></issue>
	<issue index="2" type="integer" name="N" lowerbound="0" upperbound="2"><evaluator ftype="linear" slope="` + s + `" offset="0"/></issue>
	<weight index="1" value="` + wa + `"/><weight index="2" value="` + wn + `"/>
</objective><reservation value="0"/></utility_space>`
}

// TestWriteGeniusWebWeights checks that every exported profile has weights
// that add up to exactly 1 and utilities in [0,1], as GeniusWeb's
// LinearAdditiveUtilitySpace requires, and the same package utilities.
func TestWriteGeniusWebWeights(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		lossy   bool    // the strict export must fail and the lossy one say why
		scale   float64 // the lossy export divides the utilities by this
	}{
		{"weights that add up to 1", twoIssueProfile("0.7", "0.3", "0.5"), false, 1},
		{"weights that add up to 1 only in floating point", twoIssueProfile("0.6666666666666666", "0.3333333333333333", "0.5"), false, 1},
		{"weights that add up to less than 1", twoIssueProfile("0.5", "0.3", "0.5"), false, 1},
		// N's largest evaluation is 0.5: the utility reaches 0.9 only.
		{"weights above 1, utilities below", twoIssueProfile("0.6", "0.6", "0.25"), false, 1},
		{"utilities above 1", twoIssueProfile("0.8", "0.6", "0.5"), true, 1.4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"my_domain.xml": twoIssueDomain, "party_one.xml": tt.profile})
			d, err := Load([]string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			e, err := WriteGeniusWeb(d.Scenario, ExportOptions{})
			if tt.lossy {
				if err == nil || !strings.Contains(err.Error(), "a GeniusWeb utility is at most 1") || !strings.Contains(err.Error(), "--lossy") {
					t.Fatalf("strict export: err = %v, want a refusal pointing to --lossy", err)
				}
				if e, err = WriteGeniusWeb(d.Scenario, ExportOptions{Lossy: true}); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(strings.Join(e.Warnings, "\n"), "divided by 1.4") {
					t.Errorf("warnings %q do not say the utilities were divided", e.Warnings)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			for _, f := range e.Files[1:] {
				checkGeniusWebProfile(t, f)
			}
			paths, err := e.WriteDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			back, err := Load(paths, Options{})
			if err != nil {
				t.Fatalf("reading the export back: %v", err)
			}
			want, err := analysis.Compile(d.Scenario, "")
			if err != nil {
				t.Fatal(err)
			}
			relabel(want, d.Scenario)
			if tt.scale != 1 {
				want = scaledToOne(want)
			}
			if err := samePackages(want, back.Problem); err != nil {
				t.Error(err)
			}
			if back.Problem.Parties[0] != "partyone" || back.Name != "mydomain" {
				t.Errorf("party %q of domain %q, want the GeniusWeb names partyone and mydomain", back.Problem.Parties[0], back.Name)
			}
		})
	}
}

// checkGeniusWebProfile checks what GeniusWeb requires of a profile: its
// weights add up to exactly 1 in decimal and its utilities lie in [0,1].
func checkGeniusWebProfile(t *testing.T, f File) {
	t.Helper()
	var p struct {
		LAS struct {
			Weights   map[string]json.Number `json:"issueWeights"`
			Utilities map[string]struct {
				D struct {
					V map[string]json.Number `json:"valueUtilities"`
				} `json:"discreteutils"`
			} `json:"issueUtilities"`
		} `json:"LinearAdditiveUtilitySpace"`
	}
	d := json.NewDecoder(strings.NewReader(string(f.Data)))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	sum := new(big.Rat)
	for _, w := range p.LAS.Weights {
		r, ok := new(big.Rat).SetString(string(w))
		if !ok {
			t.Fatalf("%s: weight %s", f.Name, w)
		}
		sum.Add(sum, r)
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		t.Errorf("%s: weights %v add up to %s", f.Name, p.LAS.Weights, sum.FloatString(20))
	}
	for issue, u := range p.LAS.Utilities {
		for v, x := range u.D.V {
			r, _ := new(big.Rat).SetString(string(x))
			if r == nil || r.Sign() < 0 || r.Cmp(big.NewRat(1, 1)) > 0 {
				t.Errorf("%s: utility of %s=%s is %s", f.Name, issue, v, x)
			}
		}
	}
}
