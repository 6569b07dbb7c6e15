package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"

	"parley/internal/testkit"

	"pgregory.net/rapid"
)

func TestRelaxationsMatchBruteForce(t *testing.T) {
	for _, spec := range []testkit.Spec{
		{MaxParties: 3, MaxIssues: 4, MaxOptions: 3, RedLines: 3},
		// Seven points of three options: many candidate sets.
		{MinParties: 3, MaxParties: 3, MaxIssues: 7, MaxOptions: 3, RedLines: 2},
	} {
		t.Run(fmt.Sprint(spec.MaxIssues), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				c, p := drawCase(t, spec)
				checkRelaxations(t, c, p, RelaxOptions{Max: 1000}, false)
			})
		})
	}
}

// checkRelaxations compares the relaxations with every subset of the
// constraints.
func checkRelaxations(t *rapid.T, c *testkit.Case, p *Problem, opt RelaxOptions, fallback bool) {
	want, minimal, ok := c.Relaxations(c.Reservation, 12)
	if !ok {
		t.Skip("too many constraints to enumerate")
	}
	res, err := RelaxationSearch(context.Background(), p, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Size != want {
		t.Fatalf("size %d, want %d", res.Size, want)
	}
	if want <= 0 {
		if len(res.Relaxations) != 0 || res.Cut != "" {
			t.Fatalf("size %d: got %d relaxations, cut %q", want, len(res.Relaxations), res.Cut)
		}
		return
	}
	var got []string
	for _, r := range res.Relaxations {
		lifted := make(map[int]bool)
		for _, con := range r.Lift {
			for b, pc := range p.Constraints {
				if pc == con {
					lifted[b] = true
				}
			}
		}
		if len(lifted) != want {
			t.Fatalf("relaxation %v lifts %d constraints, want %d", r.Lift, len(lifted), want)
		}
		if r.Solutions == nil || r.Solutions.Maximin == nil {
			t.Fatalf("relaxation %v has no maximin package", r.Lift)
		}
		got = append(got, fmt.Sprint(sortedKeys(lifted)))
	}
	var all []string
	for _, s := range minimal {
		all = append(all, fmt.Sprint(s))
	}
	sort.Strings(got)
	sort.Strings(all)
	switch {
	case fallback:
		if len(got) != 1 || !slices.Contains(all, got[0]) || res.Cut != CutByBudget {
			t.Fatalf("relaxations %v (cut %q), want one of %v, cut by the budget", got, res.Cut, all)
		}
	case len(all) > opt.Max:
		if len(got) != opt.Max || res.Cut != CutAtMax {
			t.Fatalf("%d relaxations (cut %q) of %d, want %d and cut at the maximum", len(got), res.Cut, len(all), opt.Max)
		}
		for _, g := range got {
			if !slices.Contains(all, g) {
				t.Fatalf("relaxation %v is not among %v", g, all)
			}
		}
	default:
		if fmt.Sprint(got) != fmt.Sprint(all) || res.Cut != "" {
			t.Fatalf("relaxations %v (cut %q), want %v", got, res.Cut, all)
		}
	}
}

// TestRelaxationsCutAtMax asks for fewer relaxations than exist.
func TestRelaxationsCutAtMax(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, testkit.Spec{MaxParties: 3, MaxIssues: 5, MaxOptions: 3, RedLines: 4})
		checkRelaxations(t, c, p, RelaxOptions{Max: 1}, false)
	})
}

func sortedKeys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// TestReservationSensitivity checks the exact interval against brute force
// just inside and just outside its ends, and its caps: never below 0, never
// above 1 or the Nash package's own utility.
func TestReservationSensitivity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, testkit.Spec{MaxParties: 4, MaxIssues: 4, MaxOptions: 4, RedLines: 1})
		sol, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Nash == nil {
			return
		}
		f, err := Frontier(context.Background(), p, FrontierOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ranges := ReservationSensitivity(p, f, p.Reservation, sol.Nash)
		x := c.Utilities(sol.Nash.Package)
		vs := c.Vectors(nil)
		for k, r := range ranges {
			if r.Reservation != c.Reservation[k] || r.Disagreement != c.Reservation[k] {
				t.Fatalf("%s: reservation %v, disagreement %v, want both %v", r.Party, r.Reservation, r.Disagreement, c.Reservation[k])
			}
			if r.From > c.Reservation[k]+1e-9 || r.To < c.Reservation[k]-1e-9 {
				t.Fatalf("%s: range [%v, %v] misses the reservation value %v", r.Party, r.From, r.To, c.Reservation[k])
			}
			if r.From < 0 || r.To > math.Min(1, x[k])+1e-12 {
				t.Fatalf("%s: range [%v, %v] outside [0, min(1, %v)]", r.Party, r.From, r.To, x[k])
			}
			// nashAt returns the best Nash product with party k's
			// disagreement value at v, whether any package gains, and the
			// product of the Nash package (0 when it does not gain).
			nashAt := func(v float64) (best float64, any bool, ofX float64) {
				d := slices.Clone(c.Reservation)
				d[k] = v
				best, any, _ = testkit.Best(vs, testkit.Nash(d), 0)
				ofX, _ = testkit.Nash(d)(x)
				return best, any, ofX
			}
			const h = 1e-6
			for _, v := range []float64{r.From + h, (r.From + r.To) / 2, r.To - h} {
				if v < r.From || v > r.To {
					continue
				}
				best, any, ofX := nashAt(v)
				if !any || ofX < best-1e-9 {
					t.Fatalf("%s at %v inside [%v, %v]: Nash package's product %v below the best %v", r.Party, v, r.From, r.To, ofX, best)
				}
			}
			// Past an end that is not a cap, another package must win:
			// some package gains, and it beats the Nash package.
			if r.From-h > 0 {
				if best, any, ofX := nashAt(r.From - h); !any || ofX >= best-1e-12 {
					t.Fatalf("%s at %v below %v: Nash package still optimal (%v, best %v)", r.Party, r.From-h, r.From, ofX, best)
				}
			}
			if r.To+h < math.Min(1, x[k]) {
				if best, any, ofX := nashAt(r.To + h); !any || ofX >= best-1e-12 {
					t.Fatalf("%s at %v above %v: Nash package still optimal (%v, best %v)", r.Party, r.To+h, r.To, ofX, best)
				}
			}
		}
	})
}

// TestReservationWithZeroDisagreement: the reservation field of the
// sensitivity is the party's reservation value, as at the top of the
// analysis, whatever the disagreement point.
func TestReservationWithZeroDisagreement(t *testing.T) {
	p := randomProblem(3, 3, 5, 3)
	zero := make([]float64, 3)
	r, err := Analyze(context.Background(), p, Options{Disagreement: zero})
	if err != nil {
		t.Fatal(err)
	}
	if r.Sensitivity == nil || len(r.Sensitivity.Reservation) != 3 {
		t.Fatalf("sensitivity %+v, want three reservation ranges", r.Sensitivity)
	}
	for k, rr := range r.Sensitivity.Reservation {
		if rr.Reservation != r.Reservation[k] || rr.Disagreement != 0 {
			t.Errorf("%s: reservation %v, disagreement %v; want %v and 0", rr.Party, rr.Reservation, rr.Disagreement, r.Reservation[k])
		}
	}
}

// TestReservationNoteWithEpsilon: with an ε-frontier the reservation ranges
// are left out, and the result says why.
func TestReservationNoteWithEpsilon(t *testing.T) {
	p := randomProblem(3, 4, 8, 4)
	r, err := Analyze(context.Background(), p, Options{Epsilon: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if r.Epsilon == 0 {
		t.Skip("the frontier came out exact")
	}
	if len(r.Sensitivity.Reservation) != 0 || r.Sensitivity.ReservationNote != ReservationNeedsExactFrontier {
		t.Fatalf("ranges %v, note %q", r.Sensitivity.Reservation, r.Sensitivity.ReservationNote)
	}
}

// TestWeightSensitivity checks the weight ranges against brute force: the
// Nash package stays optimal inside, and stops being so within the
// tolerance past each end that is not a limit of [0,1].
func TestWeightSensitivity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, testkit.Spec{MaxParties: 4, MaxIssues: 3, MaxOptions: 4, RedLines: 1})
		shares := make([][]float64, len(p.Issues))
		for i := range p.Issues {
			p.Issues[i].Weights = make([]float64, len(p.Parties))
			for k := range p.Parties {
				p.Issues[i].Weights[k] = float64(rapid.IntRange(1, 9).Draw(t, "share")) / 10
			}
			shares[i] = p.Issues[i].Weights
		}
		sol, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Nash == nil {
			return
		}
		ranges, _, err := WeightSensitivity(context.Background(), p, nil, sol.Nash)
		if err != nil {
			t.Fatal(err)
		}
		// optimal reports whether the Nash package is a Nash package of
		// the case with party k's share of issue i at share, its other
		// issues scaled to keep the sum of its weights.
		optimal := func(r WeightRange, share float64) bool {
			i := slices.IndexFunc(p.Issues, func(is Issue) bool { return is.Points[0] == r.Points[0] })
			k := slices.Index(p.Parties, r.Party)
			q := *c
			q.Utility = make([][][]float64, len(c.Utility))
			w := shares[i][k]
			for j := range c.Utility {
				f := (1 - share) / (1 - w)
				if j == i {
					f = share / w
				}
				for _, u := range c.Utility[j] {
					u = slices.Clone(u)
					u[k] *= f
					q.Utility[j] = append(q.Utility[j], u)
				}
			}
			nash := testkit.Nash(c.Reservation)
			v, ok := nash(q.Utilities(sol.Nash.Package))
			best, _, _ := testkit.Best(q.Vectors(nil), nash, 0)
			return ok && v >= best*(1-1e-9) // products can be tiny: relative
		}
		for _, r := range ranges {
			if r.From > r.Share+1e-12 || r.To < r.Share-1e-12 {
				t.Fatalf("%+v: the range misses the current share", r)
			}
			for _, s := range []float64{r.From, (r.From + r.To) / 2, r.To} {
				if !optimal(r, s) {
					t.Fatalf("%+v: the Nash package is not optimal at share %v", r, s)
				}
			}
			for _, end := range []struct{ at, dir float64 }{{r.From, -1}, {r.To, 1}} {
				if end.at <= 0 || end.at >= 1 {
					continue
				}
				fails := false
				for step := 1; step <= 10 && !fails; step++ {
					s := math.Min(1, math.Max(0, end.at+end.dir*float64(step)*SensitivityTolerance/10))
					fails = !optimal(r, s)
				}
				if !fails {
					t.Fatalf("%+v: the Nash package is still optimal within %v past %v", r, SensitivityTolerance, end.at)
				}
			}
		}
	})
}

// TestRelaxationFallback checks the branch and bound that finds the size
// of the smallest relaxations when the search runs out of budget.
func TestRelaxationFallback(t *testing.T) {
	defer func(n int64) { relaxWork = n }(relaxWork)
	relaxWork = 0
	rapid.Check(t, func(t *rapid.T) {
		c, p := drawCase(t, testkit.Spec{MaxParties: 3, MaxIssues: 4, MaxOptions: 3, RedLines: 3})
		checkRelaxations(t, c, p, RelaxOptions{}, true)
	})
}
