package genius

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"parley/analysis"
	"parley/scenario"
)

// exportTo writes the scenario in the format and loads it back. It
// retries with Lossy when the strict export refuses, and reports whether
// it had to.
func exportTo(t *testing.T, s *scenario.Scenario, f Format) (*Domain, bool) {
	t.Helper()
	write := WriteGenius
	if f == FormatGeniusWeb {
		write = WriteGeniusWeb
	}
	lossy := false
	e, strict := write(s, ExportOptions{})
	if strict != nil {
		if !strings.Contains(strict.Error(), "--lossy") {
			t.Fatalf("export: %v", strict)
		}
		lossy = true
		var err error
		if e, err = write(s, ExportOptions{Lossy: true}); err != nil {
			t.Fatalf("lossy export: %v", err)
		}
		if len(e.Warnings) == 0 {
			t.Errorf("lossy export without warnings")
		}
		t.Logf("strict export refused (%v); lossy export warns %q", strict, e.Warnings)
	}
	paths, err := e.WriteDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(paths, Options{})
	if err != nil {
		t.Fatalf("reading the export back: %v", err)
	}
	return d, lossy
}

// sameAnalysis compares the frontiers and solutions of two problems.
func sameAnalysis(t *testing.T, a, b *analysis.Problem) {
	t.Helper()
	ctx := context.Background()
	fa, err := analysis.Frontier(ctx, a, analysis.FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fb, err := analysis.Frontier(ctx, b, analysis.FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var va, vb [][]float64
	for _, o := range fa.Outcomes {
		va = append(va, o.Utilities)
	}
	for _, o := range fb.Outcomes {
		vb = append(vb, o.Utilities)
	}
	if err := sameSet(va, vb, 1e-9); err != nil {
		t.Errorf("frontier: %v", err)
	}
	sa, err := analysis.Solve(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := analysis.Solve(ctx, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	pairs := [][2]*analysis.Outcome{{sa.Nash, sb.Nash}, {sa.KalaiSmorodinsky, sb.KalaiSmorodinsky}, {sa.Maximin, sb.Maximin}, {sa.Utilitarian, sb.Utilitarian}}
	for i, p := range pairs {
		if (p[0] == nil) != (p[1] == nil) || p[0] != nil && !near(p[0].Utilities, p[1].Utilities, 1e-9) {
			t.Errorf("solution %d differs: %v and %v", i, p[0], p[1])
		}
	}
}

// testDomains are the fixtures' domains and, when ../shared is there, the
// shared ones (read in place).
func testDomains(t *testing.T) []string {
	t.Helper()
	dirs := []string{"testdata/small", "testdata/numeric", "testdata/trip"}
	if ds, _ := filepath.Glob(filepath.Join(sharedData, "*", "*")); len(ds) > 0 {
		dirs = append(dirs, ds...)
	} else {
		t.Logf("no shared domains under %s: fixtures only", sharedData)
	}
	return dirs
}

// TestRoundTrip imports each domain, exports it in both formats and
// imports it again: in its own format nothing changes, and in the other
// format the analysis of the scenario is kept (up to the reservation
// values a lossy GeniusWeb export has to move).
func TestRoundTrip(t *testing.T) {
	dirs := testDomains(t)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			d1, err := Load([]string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d1.Scenario == nil {
				t.Fatal("no scenario")
			}
			compiled, err := analysis.Compile(d1.Scenario, "")
			if err != nil {
				t.Fatal(err)
			}
			relabel(compiled, d1.Scenario)
			for _, f := range []Format{FormatGenius, FormatGeniusWeb} {
				t.Run(string(f), func(t *testing.T) {
					d2, lossy := exportTo(t, d1.Scenario, f)
					want := compiled
					if f == d1.Format {
						// In its own format the export gives back the
						// original, GENIUS's cap at 1 included.
						want = d1.Problem
					}
					if lossy && f == FormatGeniusWeb {
						// A utility above 1 is divided by its largest,
						// and the reservation values may have moved.
						want = scaledToOne(want)
						copy(d2.Problem.Reservation, want.Reservation)
					}
					if err := samePackages(want, d2.Problem); err != nil {
						t.Error(err)
					}
					sameAnalysis(t, want, d2.Problem)
					if f == d1.Format {
						// And a second round changes nothing at all.
						d3, _ := exportTo(t, d2.Scenario, f)
						if err := samePackages(d2.Problem, d3.Problem); err != nil {
							t.Errorf("second round: %v", err)
						}
					}
				})
			}
		})
	}
}

// relabel names a compiled problem's choices by option text, as the
// exports do.
func relabel(p *analysis.Problem, s *scenario.Scenario) {
	v, _ := s.Version("")
	text := map[[2]string]string{}
	for _, pt := range v.Points() {
		for _, o := range pt.Options {
			text[[2]string{pt.ID, o.ID}] = o.Text
		}
	}
	for i := range p.Issues {
		is := &p.Issues[i]
		for j := range is.Options {
			for k, c := range is.Options[j].Choices {
				is.Options[j].Choices[k] = text[[2]string{is.Points[k], c}]
			}
		}
	}
}

// scaledToOne returns a copy of an additive problem in which the utilities
// of each party whose utility can exceed 1 are divided by their largest,
// as a lossy GeniusWeb export does.
func scaledToOne(p *analysis.Problem) *analysis.Problem {
	q := *p
	q.Reservation = append([]float64(nil), p.Reservation...)
	q.Issues = make([]analysis.Issue, len(p.Issues))
	scale := make([]float64, len(p.Parties))
	for k := range scale {
		for _, is := range p.Issues {
			m := 0.0
			for _, o := range is.Options {
				m = max(m, o.Utility[k])
			}
			scale[k] += m
		}
		scale[k] = max(scale[k], 1)
		q.Reservation[k] /= scale[k]
	}
	for i, is := range p.Issues {
		q.Issues[i] = is
		q.Issues[i].Options = make([]analysis.Option, len(is.Options))
		for j, o := range is.Options {
			o.Utility = append([]float64(nil), o.Utility...)
			for k := range o.Utility {
				o.Utility[k] /= scale[k]
			}
			q.Issues[i].Options[j] = o
		}
	}
	return &q
}
