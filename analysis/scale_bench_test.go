package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"parley/internal/testkit"
)

// The shapes below are the hard cases of the engine: texts with no zone of
// agreement, many parties, the exact four-party frontier, points joined by
// linkages. Each is generated from a seed, so the figures in BENCHMARKS.md
// can be reproduced.

// redLineAll makes party k red-line every option of issue i: no package is
// acceptable to all.
func redLineAll(p *Problem, k, i int) {
	for o := range p.Issues[i].Options {
		p.Constraints = append(p.Constraints, Constraint{Kind: RedLineConstraint, Party: p.Parties[k], Point: p.Issues[i].Points[0], Option: p.Issues[i].Options[o].Choices[0]})
		p.Issues[i].Options[o].Blockers = append(p.Issues[i].Options[o].Blockers, len(p.Constraints)-1)
	}
}

// noZoneProblem is a random problem where the first party red-lines every
// option of the first point.
func noZoneProblem(seed uint64, parties, issues, options int) *Problem {
	p := randomProblem(seed, parties, issues, options)
	redLineAll(p, 0, 0)
	return p
}

// redLinedProblem is a random problem where each option is a red line of a
// random party with probability frac, and every reservation value is res.
func redLinedProblem(seed uint64, parties, issues, options int, frac, res float64) *Problem {
	p := randomProblem(seed, parties, issues, options)
	r := rand.New(rand.NewPCG(seed, 2))
	for k := range p.Reservation {
		p.Reservation[k] = res
	}
	for i := range p.Issues {
		for o := range p.Issues[i].Options {
			if r.Float64() < frac {
				k := r.IntN(parties)
				p.Constraints = append(p.Constraints, Constraint{Kind: RedLineConstraint, Party: p.Parties[k], Point: p.Issues[i].Points[0], Option: p.Issues[i].Options[o].Choices[0]})
				p.Issues[i].Options[o].Blockers = append(p.Issues[i].Options[o].Blockers, len(p.Constraints)-1)
			}
		}
	}
	return p
}

// linkedProblem is a random problem whose first `linked` points are joined
// by linkages into one issue, as Compile joins them: its options are the
// combinations of theirs.
func linkedProblem(seed uint64, parties, issues, options, linked int) *Problem {
	p := randomProblem(seed, parties, issues, options)
	joint := Issue{Weights: make([]float64, parties)}
	joint.Options = []Option{{Utility: make([]float64, parties)}}
	for _, is := range p.Issues[:linked] {
		joint.Points = append(joint.Points, is.Points...)
		for k := range parties {
			joint.Weights[k] += is.Weights[k]
		}
		var next []Option
		for _, a := range joint.Options {
			for _, b := range is.Options {
				u := make([]float64, parties)
				for k := range u {
					u[k] = a.Utility[k] + b.Utility[k]
				}
				next = append(next, Option{Choices: append(append([]string(nil), a.Choices...), b.Choices...), Utility: u})
			}
		}
		joint.Options = next
	}
	p.Issues = append([]Issue{joint}, p.Issues[linked:]...)
	return p
}

func benchAnalyze(b *testing.B, p *Problem, opt Options) {
	b.ReportAllocs()
	var r *Result
	for b.Loop() {
		var err error
		if r, err = Analyze(context.Background(), p, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Pareto)), "frontier")
	b.ReportMetric(float64(len(r.Relaxations)), "relaxations")
}

func benchFrontier(b *testing.B, p *Problem, opt FrontierOptions) {
	b.ReportAllocs()
	var f *FrontierResult
	start := testkit.CPUTime()
	for b.Loop() {
		var err error
		if f, err = Frontier(context.Background(), p, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(f.Outcomes)), "frontier")
	b.ReportMetric(f.Epsilon, "epsilon")
	b.ReportMetric(float64((testkit.CPUTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// BenchmarkNoZone is a full analysis of texts where one party red-lines
// every option of one point: the relaxations do all the work.
func BenchmarkNoZone(b *testing.B) {
	for _, c := range []struct{ parties, issues, options int }{
		{4, 16, 4}, {4, 20, 4}, {3, 28, 4},
	} {
		b.Run(fmt.Sprintf("%dx%dx%d", c.parties, c.issues, c.options), func(b *testing.B) {
			benchAnalyze(b, noZoneProblem(1, c.parties, c.issues, c.options), Options{})
		})
	}
}

// BenchmarkRedLines is a full analysis with 10% of the options red-lined and
// every reservation value at 0.55.
func BenchmarkRedLines(b *testing.B) {
	benchAnalyze(b, redLinedProblem(1, 4, 28, 4, 0.1, 0.55), Options{})
}

// BenchmarkManyParties is the frontier of texts with five to eight parties.
func BenchmarkManyParties(b *testing.B) {

	for _, c := range []struct {
		parties, issues, options int
		eps                      float64
	}{
		{5, 28, 4, 0.01}, {6, 20, 3, 0}, {8, 20, 3, 0},
	} {
		b.Run(fmt.Sprintf("%dx%dx%d", c.parties, c.issues, c.options), func(b *testing.B) {
			benchFrontier(b, randomProblem(1, c.parties, c.issues, c.options), FrontierOptions{Epsilon: c.eps})
		})
	}
}

// BenchmarkExactFrontier is the exact frontier of 4 parties × 28 points × 4
// options, with the switch to the ε-grid turned off.
func BenchmarkExactFrontier(b *testing.B) {
	benchFrontier(b, randomProblem(1, 4, 28, 4), FrontierOptions{Limit: 1 << 30})
}

// BenchmarkSmallEpsilon asks for an ε-frontier so fine that it is nearly
// exact: it must not be slower than the exact frontier.
func BenchmarkSmallEpsilon(b *testing.B) {
	benchFrontier(b, randomProblem(1, 4, 28, 4), FrontierOptions{Epsilon: 0.0015})
}

// BenchmarkLinked is a full analysis, weight sensitivity included, of a text
// with eight points joined by linkages (65,536 combinations).
func BenchmarkLinked(b *testing.B) {
	benchAnalyze(b, linkedProblem(1, 3, 16, 4, 8), Options{})
}

// BenchmarkWideIssues is a GENIUS-like domain of 30 issues with 20 values
// each and five parties, with a coarse ε: the steps' grids must keep the
// candidate vectors within bounds.
func BenchmarkWideIssues(b *testing.B) {
	benchFrontier(b, randomProblem(1, 5, 30, 20), FrontierOptions{Epsilon: 0.5})
}

// BenchmarkCapped is a GENIUS-like domain of a million packages whose
// profiles' weights add up to more than 1 (utilities up to 3), four parties,
// full analysis.
func BenchmarkCapped(b *testing.B) {
	p := randomProblem(1, 4, 6, 10)
	for i := range p.Issues {
		for o := range p.Issues[i].Options {
			for k := range p.Issues[i].Options[o].Utility {
				p.Issues[i].Options[o].Utility[k] *= 3
			}
		}
	}
	benchAnalyze(b, p, Options{})
}

// BenchmarkStepLimit is ManyParties/5x28x4 with more vectors kept a step
// than ManyPartyFrontierLimit: how the ε reached falls as the time grows.
func BenchmarkStepLimit(b *testing.B) {
	for _, most := range []int{6_000, 8_000, 10_000, 12_000, 20_000, 50_000, 200_000} {
		b.Run(fmt.Sprintf("keep=%d", most), func(b *testing.B) {
			benchFrontier(b, randomProblem(1, 5, 28, 4), FrontierOptions{Epsilon: 0.01, stepLimit: most})
		})
	}
}
