package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"testing"

	"parley/internal/testkit"

	"pgregory.net/rapid"
)

// problemOf turns a testkit case into a Problem.
func problemOf(c *testkit.Case) *Problem {
	p := &Problem{Reservation: append([]float64(nil), c.Reservation...)}
	for k := range c.Parties {
		p.Parties = append(p.Parties, fmt.Sprintf("p%d", k))
	}
	for _, h := range c.Holder {
		p.Constraints = append(p.Constraints, Constraint{Kind: RedLineConstraint, Party: p.Parties[h]})
	}
	for i, opts := range c.Utility {
		is := Issue{Points: []string{fmt.Sprintf("i%d", i)}}
		for o, u := range opts {
			is.Options = append(is.Options, Option{
				Choices:  []string{fmt.Sprintf("o%d", o)},
				Utility:  append([]float64(nil), u...),
				Blockers: append([]int(nil), c.Blockers[i][o]...),
			})
			for _, b := range c.Blockers[i][o] {
				p.Constraints[b].Point, p.Constraints[b].Option = is.Points[0], is.Options[o].Choices[0]
			}
		}
		p.Issues = append(p.Issues, is)
	}
	return p
}

// drawCase draws a case within the limits and its Problem.
func drawCase(t *rapid.T, spec testkit.Spec) (*testkit.Case, *Problem) {
	c := testkit.Draw(t, spec)
	return c, problemOf(c)
}

// wide is the shape of the property tests: up to six parties and eight
// options, at most 2,048 packages.
var wide = testkit.Spec{MaxParties: 6, MaxIssues: 5, MaxOptions: 8, MaxPackages: 2048, RedLines: 1}

func utilitiesOfAll(os []Outcome) [][]float64 {
	var out [][]float64
	for _, o := range os {
		out = append(out, o.Utilities)
	}
	return out
}

func TestFrontierMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, wide)
		want := testkit.Frontier(c.Vectors(nil))
		got, err := Frontier(context.Background(), p, FrontierOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Epsilon != 0 {
			t.Fatalf("epsilon %v on a small problem", got.Epsilon)
		}
		for i, o := range got.Outcomes {
			if !c.Allowed(o.Package, nil) {
				t.Fatalf("frontier package %v is not acceptable", o.Package)
			}
			u := c.Utilities(o.Package)
			for k := range u {
				if math.Abs(u[k]-o.Utilities[k]) > 1e-12 {
					t.Fatalf("utilities %v do not match package %v (%v)", o.Utilities, o.Package, u)
				}
			}
			// By decreasing utility of the first party, then the next.
			if i > 0 {
				prev := got.Outcomes[i-1].Utilities
				order := 0
				for k := range u {
					if order = cmp.Compare(o.Utilities[k], prev[k]); order != 0 {
						break
					}
				}
				if order > 0 {
					t.Fatalf("frontier out of order: %v after %v", o.Utilities, prev)
				}
			}
		}
		if err := testkit.SameSet(utilitiesOfAll(got.Outcomes), want); err != nil {
			t.Fatalf("frontier: %v", err)
		}
	})
}

func TestSolutionsMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, wide)
		sol, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkSolutions(t, c, c.Reservation, sol)
	})
}

// checkSolutions compares every solution with the oracle: its value is the
// best, and among the packages that tie with it, its sum is the largest
// (the documented tie-break).
func checkSolutions(t *rapid.T, c *testkit.Case, d []float64, sol *Solutions) {
	vs := c.Vectors(nil)
	n := c.Parties
	ideal := make([]float64, n)
	for k := range ideal {
		ideal[k], _, _ = testkit.Best(vs, testkit.Ideal(d, k), 0)
	}
	for _, s := range []struct {
		name string
		got  *Outcome
		f    testkit.Objective
	}{
		{"nash", sol.Nash, testkit.Nash(d)},
		{"maximin", sol.Maximin, testkit.Maximin(d)},
		{"utilitarian", sol.Utilitarian, testkit.Utilitarian(d)},
		{"kalai_smorodinsky", sol.KalaiSmorodinsky, testkit.KalaiSmorodinsky(d, ideal)},
	} {
		want, found, tieSum := testkit.Best(vs, s.f, 1e-12)
		if !found {
			if s.got != nil {
				t.Fatalf("%s: got %v, want none", s.name, s.got.Utilities)
			}
			continue
		}
		if s.got == nil {
			t.Fatalf("%s: got none, want value %v", s.name, want)
		}
		if !c.Allowed(s.got.Package, nil) {
			t.Fatalf("%s: package %v is not acceptable", s.name, s.got.Package)
		}
		u := c.Utilities(s.got.Package)
		v, ok := s.f(u)
		if !ok || math.Abs(v-want) > 1e-9 {
			t.Fatalf("%s: value %v (admissible %v), want %v", s.name, v, ok, want)
		}
		total := 0.0
		for _, x := range u {
			total += x
		}
		if total < tieSum-1e-9 {
			t.Fatalf("%s: sum %v, but a package of the same value has sum %v", s.name, total, tieSum)
		}
	}
}

func TestApproximateFrontierCoversBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, wide)
		checkApproximate(t, c, p)
	})
}

// TestApproximateFrontierManyParties checks the ε guarantee where the grid
// filter uses its k-d tree: five and six parties.
func TestApproximateFrontierManyParties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := wide
		spec.MinParties, spec.MaxParties = 5, 6
		c, p := drawCase(t, spec)
		checkApproximate(t, c, p)
	})
}

func checkApproximate(t *rapid.T, c *testkit.Case, p *Problem) {
	eps := rapid.SampledFrom([]float64{0.0001, 0.001, 0.05, 0.2}).Draw(t, "eps")
	want := testkit.Frontier(c.Vectors(nil))
	got, err := Frontier(context.Background(), p, FrontierOptions{Epsilon: eps})
	if err != nil {
		t.Fatal(err)
	}
	if got.Epsilon != 0 && got.Epsilon != eps {
		t.Fatalf("labelled ε=%v, asked for %v", got.Epsilon, eps)
	}
	gu := utilitiesOfAll(got.Outcomes)
	if err := testkit.Covers(gu, want, got.Epsilon); err != nil {
		t.Fatalf("labelled ε=%v: %v", got.Epsilon, err)
	}
	if got.Epsilon == 0 {
		// Labelled exact: it must be the frontier.
		if err := testkit.SameSet(gu, want); err != nil {
			t.Fatalf("labelled exact: %v", err)
		}
	}
	for _, o := range got.Outcomes {
		if !c.Allowed(o.Package, nil) {
			t.Fatalf("package %v is not acceptable", o.Package)
		}
	}
}

// TestBranchAndBoundMatchesBruteForce forces the exact branch and bound that
// runs when the frontier is only approximate.
func TestBranchAndBoundMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, wide)
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
		checkSolutions(t, c, c.Reservation, sol)
		// And by branch and bound alone, as for a relaxation.
		if sol, err = s.solveBB(context.Background(), p, p.Reservation); err != nil {
			t.Fatal(err)
		}
		checkSolutions(t, c, c.Reservation, sol)
	})
}

// TestFrontierSwitchesToApproximation forces the switch from the exact
// frontier to the ε-grid that happens on large problems.
func TestFrontierSwitchesToApproximation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, wide)
		got, err := Frontier(context.Background(), p, FrontierOptions{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		eps := got.Epsilon
		if eps != 0 && eps != DefaultEpsilon {
			t.Fatalf("epsilon %v, want 0 or %v", eps, DefaultEpsilon)
		}
		if err := testkit.Covers(utilitiesOfAll(got.Outcomes), testkit.Frontier(c.Vectors(nil)), eps); err != nil {
			t.Fatal(err)
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
		checkSolutions(t, c, c.Reservation, sol)
	})
}

// TestFeasibleMatchesBruteForce checks the feasibility search that decides
// whether a zone of agreement is open.
func TestFeasibleMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, wide)
		want := c.Opens(c.Reservation, nil)
		got, err := zone(context.Background(), p, p.Reservation, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("zone open %v, want %v", got, want)
		}
	})
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

// TestBeatenMatchesBruteForce checks the test the weight sensitivity runs:
// does some package beat a given one by more than the tolerance?
func TestBeatenMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, wide)
		s, ok := newSpace(p, nil)
		if !ok {
			return
		}
		vs := c.Vectors(nil)
		u0 := vs[rapid.IntRange(0, len(vs)-1).Draw(t, "package")]
		for _, o := range []struct {
			obj objective
			f   testkit.Objective
		}{
			{nashObj{c.Reservation}, testkit.Nash(c.Reservation)},
			{maximinObj{c.Reservation}, testkit.Maximin(c.Reservation)},
		} {
			v0, ok := o.f(u0)
			best, found, _ := testkit.Best(vs, o.f, 0)
			if o.f(u0); !ok {
				v0 = math.Inf(-1)
			}
			if _, isNash := o.obj.(nashObj); isNash && ok {
				v0, best = math.Log(v0), math.Log(best)
			}
			want := found && best > v0+objTol*2
			if found && math.Abs(best-(v0+objTol)) < objTol {
				return // too close to call
			}
			got, err := s.beaten(context.Background(), o.obj, u0)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("%T: beaten %v, want %v (best %v, package %v)", o.obj, got, want, best, v0)
			}
		}
	})
}
