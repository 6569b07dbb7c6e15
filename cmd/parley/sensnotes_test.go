package main

import (
	"context"
	"strings"
	"testing"

	"parley/analysis"
)

func TestSensitivityNotes(t *testing.T) {
	opt := func(c []string, u ...float64) analysis.Option { return analysis.Option{Choices: c, Utility: u} }
	additive := &analysis.Problem{
		Parties: []string{"a", "b"}, Reservation: []float64{0, 0},
		Issues: []analysis.Issue{
			{Points: []string{"x"}, Weights: []float64{0.5, 0.5}, Options: []analysis.Option{opt([]string{"x1"}, 0.5, 0), opt([]string{"x2"}, 0, 0.5)}},
			{Points: []string{"y"}, Weights: []float64{0.5, 0.5}, Options: []analysis.Option{opt([]string{"y1"}, 0.5, 0.1), opt([]string{"y2"}, 0.1, 0.5)}},
		},
	}
	// One issue whose options are whole packages, as for a nonlinear or
	// capped GENIUS profile.
	enumerated := &analysis.Problem{
		Parties: []string{"a", "b"}, Reservation: []float64{0, 0},
		Issues: []analysis.Issue{{Points: []string{"x", "y"}, Options: []analysis.Option{
			opt([]string{"x1", "y1"}, 1, 0.2), opt([]string{"x1", "y2"}, 0.6, 0.6), opt([]string{"x2", "y1"}, 0.2, 1)}}},
	}
	three := &analysis.Problem{
		Parties: []string{"a", "b", "c"}, Reservation: []float64{0, 0, 0},
		Issues: []analysis.Issue{
			{Points: []string{"x"}, Weights: []float64{0.5, 0.5, 0.5}, Options: []analysis.Option{opt([]string{"x1"}, 0.5, 0, 0.2), opt([]string{"x2"}, 0, 0.5, 0.3)}},
			{Points: []string{"y"}, Weights: []float64{0.5, 0.5, 0.5}, Options: []analysis.Option{opt([]string{"y1"}, 0.5, 0.1, 0.5), opt([]string{"y2"}, 0.1, 0.5, 0)}},
		},
	}
	closed := &analysis.Problem{
		Parties: []string{"a", "b"}, Reservation: []float64{0.9, 0.9},
		Issues: additive.Issues,
	}
	tests := []struct {
		name    string
		p       *analysis.Problem
		skipped bool
		eps     float64
		want    []string // substrings, one per note
	}{
		{"complete", additive, false, 0, nil},
		{"skipped", additive, true, 0, []string{"--no-sensitivity"}},
		{"no Nash package", closed, false, 0, []string{"there is no Nash package"}},
		{"packages evaluated one by one", enumerated, false, 0, []string{"no point weights to vary"}},
		// An ε allowed but not needed: the frontier came out exact, so
		// nothing is left out.
		{"ε allowed, frontier exact", three, false, 0.05, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := analysis.Analyze(context.Background(), tt.p, analysis.Options{Epsilon: tt.eps, NoSensitivity: tt.skipped})
			if err != nil {
				t.Fatal(err)
			}
			got := sensitivityNotes(tt.p, res, tt.skipped)
			if len(got) != len(tt.want) {
				t.Fatalf("notes %q, want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("note %q does not contain %q", got[i], w)
				}
			}
		})
	}
}

// TestResearchPartyLine checks that a research profile is listed once,
// with its role, and an imported option's text is not repeated.
func TestResearchPartyLine(t *testing.T) {
	code, out, stderr := runParley(t, "analyze", "testdata/simulate/fruit")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "\n  fruit_grocer   party, reservation 0.10\n") {
		t.Errorf("party line not as expected:\n%s", out)
	}
	dir := t.TempDir()
	if code, _, stderr := runParley(t, "import", "genius", "testdata/simulate/fruit", "-o", dir+"/fruit.yaml"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	code, out, stderr = runParley(t, "analyze", dir+"/fruit.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "apple — apple") || strings.Contains(out, "• apple\n       apple\n") || !strings.Contains(out, "Fruit: apple") {
		t.Errorf("option text repeated or option missing:\n%s", out)
	}
	if strings.Contains(out, "fruit_grocer   fruit_grocer") {
		t.Errorf("party name repeated:\n%s", out)
	}
}
