package analysis

import (
	"context"
	"math"
	"testing"

	"parley/internal/testkit"

	"pgregory.net/rapid"
)

// TestCoverFilterMatchesBruteForce checks coverFilter's promise pair by
// pair: every vector is kept or stood for by a kept one within its errors,
// party by party, no error passes the bound, and no kept vector dominates
// another.
func TestCoverFilterMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(3, 7).Draw(t, "parties")
		cnt := rapid.IntRange(1, 300).Draw(t, "vectors")
		grid := rapid.SampledFrom([]int{4, 20, 1000}).Draw(t, "grid")
		bound := float64(rapid.IntRange(0, grid).Draw(t, "bound")) / float64(grid) / 4
		vals := make([]float64, cnt*n)
		for i := range vals {
			vals[i] = float64(rapid.IntRange(0, grid).Draw(t, "utility")) / float64(grid)
		}
		errs := make([]float64, cnt*n)
		for i := range errs {
			errs[i] = bound * float64(rapid.IntRange(0, 4).Draw(t, "error")) / 4
		}
		keep, ke, err := coverFilter(context.Background(), vals, errs, n, bound)
		if err != nil {
			t.Fatal(err)
		}
		if len(keep)*n != len(ke) {
			t.Fatalf("%d kept, %d errors", len(keep), len(ke))
		}
		vec := func(c int) []float64 { return vals[c*n : c*n+n] }
		for i, w := range keep {
			for k := range n {
				if e := ke[i*n+k]; e > bound+testkit.Tol || e < errs[w*n+k]-testkit.Tol {
					t.Fatalf("kept %v has error %v for party %d, its own %v, bound %v", vec(w), e, k, errs[w*n+k], bound)
				}
			}
			for _, x := range keep {
				if x == w {
					continue
				}
				ge, gt := true, false
				for k := range n {
					if vec(x)[k] < vec(w)[k]-testkit.Tol {
						ge = false
					}
					if vec(x)[k] > vec(w)[k]+testkit.Tol {
						gt = true
					}
				}
				if ge && gt {
					t.Fatalf("kept %v dominates kept %v", vec(x), vec(w))
				}
			}
		}
		for c := range cnt {
			ok := false
			for i, w := range keep {
				// Whatever c stands for gives party k at most c_k + e_ck;
				// w must stand for it within its own error for k.
				within := true
				for k := range n {
					if vec(c)[k]+errs[c*n+k] > vec(w)[k]+ke[i*n+k]+testkit.Tol {
						within = false
					}
				}
				if within {
					ok = true
					break
				}
			}
			if !ok {
				t.Fatalf("vector %v (errors %v) stood for by no kept vector", vec(c), errs[c*n:c*n+n])
			}
		}
	})
}

// TestManyPartyFrontierRaisesEpsilonTruthfully forces the five- and
// six-party steps to keep few vectors, so that they raise ε beyond the ε
// asked for, and checks the ε reported against the brute force: every
// Pareto-optimal package is within it of a listed one, and every listed
// package is acceptable to all.
func TestManyPartyFrontierRaisesEpsilonTruthfully(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := wide
		spec.MinParties, spec.MaxParties = 5, 6
		c, p := drawCase(t, spec)
		opt := FrontierOptions{
			Epsilon:   rapid.SampledFrom([]float64{0, 0.0001, 0.01, 0.05, 0.2}).Draw(t, "eps"),
			stepLimit: rapid.IntRange(1, 40).Draw(t, "step limit"),
		}
		if opt.Epsilon == 0 {
			opt.Limit = rapid.IntRange(1, 50).Draw(t, "limit")
		}
		got, err := Frontier(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := testkit.Frontier(c.Vectors(nil))
		gu := utilitiesOfAll(got.Outcomes)
		if got.Epsilon == 0 {
			if err := testkit.SameSet(gu, want); err != nil {
				t.Fatalf("labelled exact: %v", err)
			}
		} else {
			if got.Epsilon < opt.Epsilon {
				t.Fatalf("labelled ε=%v, less than the %v asked for", got.Epsilon, opt.Epsilon)
			}
			if err := testkit.Covers(gu, want, got.Epsilon); err != nil {
				t.Fatalf("labelled ε=%v: %v", got.Epsilon, err)
			}
		}
		for _, o := range got.Outcomes {
			if !c.Allowed(o.Package, nil) {
				t.Fatalf("package %v is not acceptable", o.Package)
			}
		}
	})
}

// TestFloorFrontierMatchesBruteForce checks the merge with a floor: the
// Pareto-optimal packages that give every party at least the floor and one
// party more, exact or, with a small limit, within the ε reported. The ε
// holds for the packages at least ε above the floor for every party: one
// closer to the floor may be stood for by a vector below it, which is no
// improvement and is not listed.
func TestFloorFrontierMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkFloorFrontier(t, wide) })
}

// TestFloorFrontierManyParties is TestFloorFrontierMatchesBruteForce with
// five or six parties, where a vector that carries an error may be dropped
// for falling short of the floor: the result must then not be labelled
// exact.
func TestFloorFrontierManyParties(t *testing.T) {
	spec := wide
	spec.MinParties = 5
	rapid.Check(t, func(t *rapid.T) { checkFloorFrontier(t, spec) })
}

// TestFloorFrontierGridDropsOnlyReacher is a three-party merge with a
// floor where the grid of the first step keeps, of two vectors in one box,
// the one with the larger sum, whose every completion falls short of the
// floor, while the other's reaches it. No package is then listed, and the
// result must say it is approximate, not that none improves.
func TestFloorFrontierGridDropsOnlyReacher(t *testing.T) {
	opt := func(id string, u ...float64) Option { return Option{Choices: []string{id}, Utility: u} }
	p := &Problem{
		Parties:     []string{"a", "b", "c"},
		Reservation: []float64{0, 0, 0},
		Issues: []Issue{
			{Points: []string{"i0"}, Options: []Option{
				opt("x", 0.3, 0.3, 0.3),
				opt("y", 0.3009, 0.3009, 0.2995),
			}},
			{Points: []string{"i1"}, Options: []Option{
				opt("o1", 0.1, 0, 0),
				opt("o2", 0, 0, 0.001),
			}},
		},
	}
	s, ok := newSpace(p, nil)
	if !ok {
		t.Fatal("no package acceptable")
	}
	// x then o1 gives (0.4, 0.3, 0.3): at least the floor, and more for a.
	floor := []float64{0.35, 0.29, 0.3}
	pkgs, eps, err := s.floorFrontier(context.Background(), p, floor, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) == 0 && eps == 0 {
		t.Fatal("labelled exact with nothing listed, but x then o1 reaches the floor")
	}
	for _, pkg := range pkgs {
		if u := p.Utilities(pkg); !strictlyBetter(u, floor) {
			t.Fatalf("listed %v with utilities %v, not above the floor %v", pkg, u, floor)
		}
	}
}

func checkFloorFrontier(t *rapid.T, spec testkit.Spec) {
	c, p := drawCase(t, spec)
	s, ok := newSpace(p, nil)
	if !ok {
		return
	}
	all := c.Packages()
	floor := c.Utilities(all[rapid.IntRange(0, len(all)-1).Draw(t, "baseline")])
	limit := rapid.SampledFrom([]int{1 << 30, 1, 10}).Draw(t, "limit")
	pkgs, eps, err := s.floorFrontier(context.Background(), p, floor, limit)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]float64
	for _, v := range testkit.Frontier(c.Vectors(nil)) {
		atLeast, more := true, false
		for k := range v {
			atLeast = atLeast && v[k] >= floor[k]-testkit.Tol
			more = more || v[k] > floor[k]+testkit.Tol
		}
		if atLeast && more {
			want = append(want, v)
		}
	}
	var got [][]float64
	for _, pkg := range pkgs {
		if !c.Allowed(pkg, nil) {
			t.Fatalf("package %v is not acceptable", pkg)
		}
		got = append(got, c.Utilities(pkg))
	}
	if eps == 0 {
		if err := testkit.SameSet(got, want); err != nil {
			t.Fatalf("labelled exact: %v", err)
		}
		return
	}
	var above [][]float64
	for _, v := range want {
		clear := true
		for k := range v {
			clear = clear && v[k] >= floor[k]+eps+testkit.Tol
		}
		if clear {
			above = append(above, v)
		}
	}
	if err := testkit.Covers(got, above, eps); err != nil {
		t.Fatalf("labelled ε=%v: %v", eps, err)
	}
}

// TestManyPartyEpsilonBoundsTrueError checks the ε of a five- or six-party
// ε-frontier, with few vectors a step so that most steps approximate,
// against the true coverage error of its list: over every acceptable
// package, enumerated, the least amount by which a listed package falls
// short of it for some party. The ε reported must be at least that.
func TestManyPartyEpsilonBoundsTrueError(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := wide
		spec.MinParties = 5
		c, p := drawCase(t, spec)
		all := c.Vectors(nil)
		opt := FrontierOptions{
			Epsilon:   rapid.SampledFrom([]float64{0.01, 0.1, 0.3}).Draw(t, "eps"),
			stepLimit: rapid.IntRange(1, 6).Draw(t, "step limit"),
		}
		got, err := Frontier(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 {
			if len(got.Outcomes) != 0 {
				t.Fatalf("%d packages listed, none acceptable", len(got.Outcomes))
			}
			return
		}
		truth := 0.0
		for _, v := range all {
			best := math.Inf(1)
			for _, o := range got.Outcomes {
				e := math.Inf(-1)
				for k, u := range o.Utilities {
					e = max(e, v[k]-u)
				}
				best = min(best, e)
			}
			truth = max(truth, best)
		}
		if truth > got.Epsilon+testkit.Tol {
			t.Fatalf("reported ε %v, but the true coverage error is %v", got.Epsilon, truth)
		}
	})
}
