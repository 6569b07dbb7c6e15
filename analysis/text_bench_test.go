package analysis

import (
	"context"
	"testing"

	"parley/examples"
	"parley/scenario"
)

// defaultCompiled is version v4 of the default scenario with Russia's red
// lines on territory, foreign troops and NATO lifted, so that packages
// acceptable to all exist, and a mediocre baseline: the first option
// acceptable to all with the smallest sum of utilities on every point.
func defaultCompiled(b *testing.B) (*Compiled, Package) {
	s, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		b.Fatal(err)
	}
	var lifts []Change
	for _, l := range [][2]string{{"territory", "free_economic_zone"}, {"foreign_troops", "reassurance_force"}, {"nato", "silent"}} {
		lifts = append(lifts, Change{Kind: LiftChange, Party: "ru", Point: l[0], Option: l[1]})
	}
	c, err := CompileVersion(s, "v4", CompileOptions{Changes: lifts})
	if err != nil {
		b.Fatal(err)
	}
	base := make(Package, len(c.Problem.Issues))
	for i, is := range c.Problem.Issues {
		best := -1.0
		for o, opt := range is.Options {
			if len(opt.Blockers) == 0 && (best < 0 || sum(opt.Utility) < best) {
				base[i], best = o, sum(opt.Utility)
			}
		}
	}
	return c, base
}

func BenchmarkImproveDefault(b *testing.B) {
	c, base := defaultCompiled(b)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		imp, err := Improve(context.Background(), c, base)
		if err != nil {
			b.Fatal(err)
		}
		n = len(imp.Pareto)
	}
	b.ReportMetric(float64(n), "improving")
}

func BenchmarkTrajectoryDefault(b *testing.B) {
	s, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := NewTrajectory(s, CompileOptions{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImproveRandom: improvements over the package that takes, on
// every point, the option with the smallest sum of utilities.
func BenchmarkImproveRandom(b *testing.B) {
	for _, c := range []struct {
		name                     string
		parties, issues, options int
	}{{"2x28x5", 2, 28, 5}, {"3x28x4", 3, 28, 4}, {"4x28x4", 4, 28, 4}} {
		b.Run(c.name, func(b *testing.B) {
			p := randomProblem(1, c.parties, c.issues, c.options)
			base := make(Package, len(p.Issues))
			for i, is := range p.Issues {
				for o, opt := range is.Options {
					if sum(opt.Utility) < sum(is.Options[base[i]].Utility) {
						base[i] = o
					}
				}
			}
			u := p.Utilities(base)
			b.ReportAllocs()
			var r *improvement
			for b.Loop() {
				var err error
				if r, err = improvements(context.Background(), p, u, DefaultFrontierLimit); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.pareto)), "improving")
			b.ReportMetric(r.eps, "epsilon")
		})
	}
}
