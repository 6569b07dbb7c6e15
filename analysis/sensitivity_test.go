package analysis

import (
	"context"
	"fmt"
	"math"
	"testing"

	"parley/internal/testkit"

	"pgregory.net/rapid"
)

// TestWeightEdgesMatchSteps checks that the weight ranges found from the
// closed-form edges are those found with a check at every step: the same
// ranges, each end within SensitivityTolerance, and fewer or as many
// checks.
func TestWeightEdgesMatchSteps(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_, p := drawCase(t, testkit.Spec{MaxParties: 4, MaxIssues: 4, MaxOptions: 4, RedLines: 1})
		for i := range p.Issues {
			p.Issues[i].Weights = make([]float64, len(p.Parties))
			for k := range p.Parties {
				p.Issues[i].Weights[k] = rapid.Float64Range(0.01, 0.99).Draw(t, "share")
			}
		}
		var d []float64
		if rapid.Bool().Draw(t, "disagreement") {
			d = make([]float64, len(p.Parties))
			for k := range d {
				d[k] = rapid.Float64Range(0, p.Reservation[k]+0.2).Draw(t, "d")
			}
		}
		sol, err := Solve(context.Background(), p, d)
		if err != nil {
			t.Skip(err)
		}
		if sol.Nash == nil {
			return
		}
		var slow, fast int
		want, wantCut, err := weightRanges(context.Background(), p, d, sol.Nash, func(n int) { slow = n }, false)
		if err != nil {
			t.Fatal(err)
		}
		got, gotCut, err := weightRanges(context.Background(), p, d, sol.Nash, func(n int) { fast = n }, true)
		if err != nil {
			t.Fatal(err)
		}
		if gotCut != wantCut || len(got) != len(want) {
			t.Fatalf("%d ranges (cut %v), want %d (cut %v)", len(got), gotCut, len(want), wantCut)
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Party != w.Party || g.Points[0] != w.Points[0] || g.Share != w.Share ||
				math.Abs(g.From-w.From) > SensitivityTolerance || math.Abs(g.To-w.To) > SensitivityTolerance {
				t.Fatalf("range %+v, want %+v", g, w)
			}
		}
		if fast > slow {
			t.Fatalf("%d checks, %d with a check at every step", fast, slow)
		}
	})
}

// BenchmarkWeightSensitivity compares the closed-form edges with a check
// at every step on random problems of the size of GENIUS's Energy domain
// (8 issues of 5 options), with two and three parties.
func BenchmarkWeightSensitivity(b *testing.B) {
	for _, parties := range []int{2, 3} {
		p := randomProblem(1, parties, 8, 5)
		for i := range p.Issues {
			p.Issues[i].Weights = make([]float64, parties)
			for k := range parties {
				p.Issues[i].Weights[k] = 1.0 / 8
			}
		}
		sol, err := Solve(context.Background(), p, nil)
		if err != nil || sol.Nash == nil {
			b.Fatal("no Nash package", err)
		}
		for _, fast := range []bool{false, true} {
			name := map[bool]string{false: "steps", true: "edges"}[fast]
			b.Run(fmt.Sprintf("%dparties/%s", parties, name), func(b *testing.B) {
				checks := 0
				for b.Loop() {
					if _, _, err := weightRanges(context.Background(), p, nil, sol.Nash, func(n int) { checks = n }, fast); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(checks), "checks")
			})
		}
	}
}

// BenchmarkWeightSensitivityLarge is the same comparison on the problems
// of BenchmarkAnalyze.
func BenchmarkWeightSensitivityLarge(b *testing.B) {
	for _, c := range []struct {
		name                     string
		parties, issues, options int
	}{
		{"2x28x5", 2, 28, 5},
		{"4x28x4", 4, 28, 4},
	} {
		p := randomProblem(1, c.parties, c.issues, c.options)
		for i := range p.Issues {
			p.Issues[i].Weights = make([]float64, c.parties)
			for k := range c.parties {
				p.Issues[i].Weights[k] = 1 / float64(c.issues)
			}
		}
		sol, err := Solve(context.Background(), p, nil)
		if err != nil || sol.Nash == nil {
			b.Fatal("no Nash package", err)
		}
		for _, fast := range []bool{false, true} {
			name := map[bool]string{false: "steps", true: "edges"}[fast]
			b.Run(c.name+"/"+name, func(b *testing.B) {
				checks := 0
				for b.Loop() {
					if _, _, err := weightRanges(context.Background(), p, nil, sol.Nash, func(n int) { checks = n }, fast); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(checks), "checks")
			})
		}
	}
}
