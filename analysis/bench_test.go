package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"parley/examples"
	"parley/scenario"
)

// randomProblem returns a problem with random weights and option utilities
// in [0,1], normalised so that each party's best package is worth at most 1.
func randomProblem(seed uint64, parties, issues, options int) *Problem {
	r := rand.New(rand.NewPCG(seed, 1))
	p := &Problem{}
	w := make([][]float64, parties)
	for k := range parties {
		p.Parties = append(p.Parties, fmt.Sprintf("p%d", k))
		p.Reservation = append(p.Reservation, 0.2*r.Float64())
		total := 0.0
		w[k] = make([]float64, issues)
		for i := range w[k] {
			w[k][i] = r.Float64()
			total += w[k][i]
		}
		for i := range w[k] {
			w[k][i] /= total
		}
	}
	for i := range issues {
		is := Issue{Points: []string{fmt.Sprintf("i%d", i)}, Weights: make([]float64, parties)}
		for k := range parties {
			is.Weights[k] = w[k][i]
		}
		for o := range options {
			opt := Option{Choices: []string{fmt.Sprintf("o%d", o)}}
			for k := range parties {
				opt.Utility = append(opt.Utility, w[k][i]*r.Float64())
			}
			is.Options = append(is.Options, opt)
		}
		p.Issues = append(p.Issues, is)
	}
	return p
}

func benchFrontierAndSolve(b *testing.B, p *Problem) {
	b.ReportAllocs()
	ctx := context.Background()
	var size int
	var eps float64
	for b.Loop() {
		s, _ := newSpace(p, nil)
		f, err := s.frontier(ctx, p, FrontierOptions{})
		if err != nil {
			b.Fatal(err)
		}
		sol, err := s.solve(ctx, p, f, p.Reservation)
		if err != nil {
			b.Fatal(err)
		}
		if sol.Nash == nil {
			b.Fatal("no Nash package")
		}
		size, eps = len(f.Outcomes), f.Epsilon
	}
	b.ReportMetric(float64(size), "frontier")
	b.ReportMetric(eps, "epsilon")
}

// BenchmarkTwoParties28x5 is the target "2 parties × 28 points × 5 options:
// exact frontier and all four solutions < 50 ms".
func BenchmarkTwoParties28x5(b *testing.B) {
	benchFrontierAndSolve(b, randomProblem(1, 2, 28, 5))
}

// BenchmarkFourParties28x4 is the target "4 parties × 28 points × 4
// options: all four solutions exact, frontier exact or ε ≤ 0.01, < 1 s".
func BenchmarkFourParties28x4(b *testing.B) {
	benchFrontierAndSolve(b, randomProblem(1, 4, 28, 4))
}

// BenchmarkDefaultScenario is the target "the default scenario: full
// analysis < 100 ms", for every version of the text.
func BenchmarkDefaultScenario(b *testing.B) {
	s, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range s.Versions {
		b.Run(v.ID, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AnalyzeScenario(context.Background(), s, v.ID, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAnalyze is the whole analysis, sensitivity included, of the
// random problems above.
func BenchmarkAnalyze(b *testing.B) {
	for _, c := range []struct {
		name                     string
		parties, issues, options int
	}{
		{"2x28x5", 2, 28, 5},
		{"4x28x4", 4, 28, 4},
	} {
		p := randomProblem(1, c.parties, c.issues, c.options)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyze(context.Background(), p, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
