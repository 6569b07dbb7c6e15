package analysis

import (
	"context"
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// genProblem draws a small random problem. Utilities are drawn from a coarse
// grid so that ties, which are where dominance code goes wrong, are common.
func genProblem(t *rapid.T, maxParties, maxIssues, maxOptions int) *Problem {
	n := rapid.IntRange(1, maxParties).Draw(t, "parties")
	m := rapid.IntRange(1, maxIssues).Draw(t, "issues")
	grid := rapid.SampledFrom([]int{4, 20, 1000}).Draw(t, "grid")
	p := &Problem{}
	for k := range n {
		p.Parties = append(p.Parties, fmt.Sprintf("p%d", k))
		p.Reservation = append(p.Reservation, float64(rapid.IntRange(0, grid).Draw(t, "rv"))/float64(grid)*0.6)
	}
	for i := range m {
		is := Issue{Points: []string{fmt.Sprintf("i%d", i)}}
		k := rapid.IntRange(1, maxOptions).Draw(t, "options")
		for o := range k {
			opt := Option{Choices: []string{fmt.Sprintf("o%d", o)}}
			for range n {
				opt.Utility = append(opt.Utility, float64(rapid.IntRange(0, grid).Draw(t, "u"))/float64(grid)/float64(m))
			}
			if rapid.IntRange(0, 9).Draw(t, "blocked") == 0 {
				p.Constraints = append(p.Constraints, Constraint{Kind: RedLineConstraint, Party: p.Parties[rapid.IntRange(0, n-1).Draw(t, "holder")], Point: is.Points[0], Option: opt.Choices[0]})
				opt.Blockers = []int{len(p.Constraints) - 1}
			}
			is.Options = append(is.Options, opt)
		}
		p.Issues = append(p.Issues, is)
	}
	return p
}

// allPackages enumerates every package of p.
func allPackages(p *Problem) []Package {
	out := []Package{{}}
	for _, is := range p.Issues {
		var next []Package
		for _, pre := range out {
			for o := range is.Options {
				next = append(next, append(append(Package{}, pre...), o))
			}
		}
		out = next
	}
	return out
}

// bruteFrontier is the Pareto frontier by enumeration and pairwise
// comparison, written without any of the engine's machinery.
func bruteFrontier(p *Problem) [][]float64 {
	var us [][]float64
	for _, pkg := range allPackages(p) {
		if !p.Acceptable(pkg) {
			continue
		}
		us = append(us, p.Utilities(pkg))
	}
	var front [][]float64
	for i, a := range us {
		keep := true
		for j, b := range us {
			if i == j {
				continue
			}
			if dominates(b, a) || (j < i && equal(a, b)) {
				keep = false
				break
			}
		}
		if keep {
			front = append(front, a)
		}
	}
	return front
}

// sameVectors reports whether two sets of vectors match up to 1e-9.
func sameVectors(a, b [][]float64) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d vectors, want %d", len(a), len(b))
	}
	used := make([]bool, len(b))
outer:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && near(x, y, 1e-9) {
				used[j] = true
				continue outer
			}
		}
		return fmt.Errorf("vector %v not among %v", x, b)
	}
	return nil
}

func near(a, b []float64, eps float64) bool {
	for k := range a {
		if math.Abs(a[k]-b[k]) > eps {
			return false
		}
	}
	return true
}

// bruteBest returns the best value of f over the acceptable packages where
// ok holds, and whether there is one.
func bruteBest(p *Problem, f func(u []float64) (float64, bool)) (float64, bool) {
	best, found := math.Inf(-1), false
	for _, pkg := range allPackages(p) {
		if !p.Acceptable(pkg) {
			continue
		}
		if v, ok := f(p.Utilities(pkg)); ok && v > best {
			best, found = v, true
		}
	}
	return best, found
}

func TestFrontierMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t, 4, 5, 4)
		want := bruteFrontier(p)
		got, err := Frontier(context.Background(), p, FrontierOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Epsilon != 0 {
			t.Fatalf("epsilon %v on a small problem", got.Epsilon)
		}
		var gu [][]float64
		for _, o := range got.Outcomes {
			if !p.Acceptable(o.Package) {
				t.Fatalf("frontier package %v is not acceptable", o.Package)
			}
			if !near(o.Utilities, p.Utilities(o.Package), 1e-12) {
				t.Fatalf("utilities %v do not match package %v", o.Utilities, o.Package)
			}
			gu = append(gu, o.Utilities)
		}
		if err := sameVectors(gu, want); err != nil {
			t.Fatalf("frontier: %v", err)
		}
	})
}

func TestSolutionsMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t, 4, 5, 4)
		sol, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkSolutions(t, p, p.Reservation, sol)
	})
}

// checkSolutions compares every solution's objective with brute force.
func checkSolutions(t *rapid.T, p *Problem, d []float64, sol *Solutions) {
	n := len(p.Parties)
	gains := func(u []float64, strict bool) ([]float64, bool) {
		g := make([]float64, n)
		for k := range u {
			g[k] = u[k] - d[k]
			if (strict && g[k] <= 1e-9) || (!strict && g[k] < -1e-9) {
				return nil, false
			}
		}
		return g, true
	}
	nash := func(u []float64) (float64, bool) {
		g, ok := gains(u, true)
		if !ok {
			return 0, false
		}
		v := 1.0
		for _, x := range g {
			v *= x
		}
		return v, true
	}
	maximin := func(u []float64) (float64, bool) {
		g, ok := gains(u, false)
		if !ok {
			return 0, false
		}
		v := math.Inf(1)
		for _, x := range g {
			v = math.Min(v, x)
		}
		return v, true
	}
	total := func(u []float64) (float64, bool) {
		if _, ok := gains(u, false); !ok {
			return 0, false
		}
		return sum(u), true
	}
	ideal := make([]float64, n)
	for k := range ideal {
		ideal[k], _ = bruteBest(p, func(u []float64) (float64, bool) {
			if _, ok := gains(u, false); !ok {
				return 0, false
			}
			return u[k], true
		})
	}
	ks := func(u []float64) (float64, bool) {
		g, ok := gains(u, false)
		if !ok {
			return 0, false
		}
		v := math.Inf(1)
		for k, x := range g {
			if r := ideal[k] - d[k]; r > 1e-9 {
				v = math.Min(v, x/r)
			}
		}
		if math.IsInf(v, 1) {
			v = 0
		}
		return v, true
	}
	for _, c := range []struct {
		name string
		got  *Outcome
		f    func([]float64) (float64, bool)
	}{
		{"nash", sol.Nash, nash},
		{"maximin", sol.Maximin, maximin},
		{"utilitarian", sol.Utilitarian, total},
		{"kalai_smorodinsky", sol.KalaiSmorodinsky, ks},
	} {
		want, found := bruteBest(p, c.f)
		if !found {
			if c.got != nil {
				t.Fatalf("%s: got %v, want none", c.name, c.got.Utilities)
			}
			continue
		}
		if c.got == nil {
			t.Fatalf("%s: got none, want value %v", c.name, want)
		}
		if !p.Acceptable(c.got.Package) {
			t.Fatalf("%s: package %v is not acceptable", c.name, c.got.Package)
		}
		v, ok := c.f(p.Utilities(c.got.Package))
		if !ok || math.Abs(v-want) > 1e-9 {
			t.Fatalf("%s: value %v (admissible %v), want %v", c.name, v, ok, want)
		}
	}
}

func TestApproximateFrontierCoversBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t, 4, 5, 4)
		eps := rapid.SampledFrom([]float64{0.001, 0.05, 0.2}).Draw(t, "eps")
		want := bruteFrontier(p)
		got, err := Frontier(context.Background(), p, FrontierOptions{Epsilon: eps})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			covered := false
			for _, o := range got.Outcomes {
				if covers(o.Utilities, sub(w, eps)) {
					covered = true
					break
				}
			}
			if !covered {
				t.Fatalf("Pareto vector %v is not within ε=%v of the approximate frontier", w, eps)
			}
		}
		for _, o := range got.Outcomes {
			if !p.Acceptable(o.Package) {
				t.Fatalf("package %v is not acceptable", o.Package)
			}
		}
	})
}

func sub(u []float64, eps float64) []float64 {
	out := make([]float64, len(u))
	for k := range u {
		out[k] = u[k] - eps
	}
	return out
}

// TestBranchAndBoundMatchesBruteForce forces the exact branch and bound that
// runs when the frontier is only approximate.
func TestBranchAndBoundMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t, 4, 5, 4)
		s, ok := newSpace(p, nil)
		if !ok {
			return
		}
		f, err := s.frontier(context.Background(), p, FrontierOptions{Epsilon: 0.3})
		if err != nil {
			t.Fatal(err)
		}
		f.Epsilon = 0.3 // even for one or two parties
		sol, err := s.solve(context.Background(), p, f, p.Reservation)
		if err != nil {
			t.Fatal(err)
		}
		checkSolutions(t, p, p.Reservation, sol)
	})
}

// TestFrontierSwitchesToApproximation forces the switch from the exact
// frontier to the ε-grid that happens on large problems.
func TestFrontierSwitchesToApproximation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t, 4, 5, 4)
		got, err := Frontier(context.Background(), p, FrontierOptions{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		eps := got.Epsilon
		if eps != 0 && eps != DefaultEpsilon {
			t.Fatalf("epsilon %v, want 0 or %v", eps, DefaultEpsilon)
		}
		for _, w := range bruteFrontier(p) {
			covered := false
			for _, o := range got.Outcomes {
				covered = covered || covers(o.Utilities, sub(w, eps))
			}
			if !covered {
				t.Fatalf("Pareto vector %v is not within ε=%v of the frontier", w, eps)
			}
		}
		s, ok := newSpace(p, nil)
		if !ok {
			return
		}
		f, err := s.frontier(context.Background(), p, FrontierOptions{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		sol, err := s.solve(context.Background(), p, f, p.Reservation)
		if err != nil {
			t.Fatal(err)
		}
		checkSolutions(t, p, p.Reservation, sol)
	})
}
