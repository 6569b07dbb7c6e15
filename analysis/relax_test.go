package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"

	"pgregory.net/rapid"
)

// genBlockedProblem draws a small problem where red lines are common.
func genBlockedProblem(t *rapid.T) *Problem {
	p := genProblem(t, 3, 4, 3)
	for i := range p.Issues {
		for o := range p.Issues[i].Options {
			if rapid.IntRange(0, 2).Draw(t, "block") == 0 {
				k := rapid.IntRange(0, len(p.Parties)-1).Draw(t, "holder")
				p.Constraints = append(p.Constraints, Constraint{Kind: RedLineConstraint, Party: p.Parties[k], Point: p.Issues[i].Points[0], Option: p.Issues[i].Options[o].Choices[0]})
				p.Issues[i].Options[o].Blockers = append(p.Issues[i].Options[o].Blockers, len(p.Constraints)-1)
			}
		}
	}
	return p
}

// bruteOpens reports whether lifting the constraints in lifted lets some
// package give every party at least d.
func bruteOpens(p *Problem, d []float64, lifted map[int]bool) bool {
	for _, pkg := range allPackages(p) {
		ok := true
		for i, o := range pkg {
			for _, b := range p.Issues[i].Options[o].Blockers {
				ok = ok && lifted[b]
			}
		}
		if !ok {
			continue
		}
		u := p.Utilities(pkg)
		for k := range u {
			ok = ok && u[k] >= d[k]-1e-9
		}
		if ok {
			return true
		}
	}
	return false
}

func TestRelaxationsMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genBlockedProblem(t)
		d := p.Reservation
		c := len(p.Constraints)
		if c > 12 {
			t.Skip("too many constraints to enumerate")
		}
		// Every subset of constraints, smallest first.
		want := -1
		var minimal []string
		for size := 0; size <= c && want < 0; size++ {
			for mask := 0; mask < 1<<c; mask++ {
				if popcount(mask) != size {
					continue
				}
				lifted := make(map[int]bool)
				for b := range c {
					if mask&(1<<b) != 0 {
						lifted[b] = true
					}
				}
				if bruteOpens(p, d, lifted) {
					want = size
					minimal = append(minimal, fmt.Sprint(sortedKeys(lifted)))
				}
			}
		}
		rel, size, err := Relaxations(context.Background(), p, nil, RelaxOptions{Max: 1000})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case want == 0:
			if size != 0 || len(rel) != 0 {
				t.Fatalf("zone open already, got size %d and %d relaxations", size, len(rel))
			}
			return
		case want < 0:
			if size != -1 {
				t.Fatalf("no relaxation opens a zone, got size %d", size)
			}
			return
		}
		if size != want {
			t.Fatalf("size %d, want %d", size, want)
		}
		var got []string
		for _, r := range rel {
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
		sort.Strings(got)
		sort.Strings(minimal)
		if fmt.Sprint(got) != fmt.Sprint(minimal) {
			t.Fatalf("relaxations %v, want %v", got, minimal)
		}
	})
}

func popcount(x int) int {
	c := 0
	for ; x != 0; x &= x - 1 {
		c++
	}
	return c
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
// just inside and just outside its ends.
func TestReservationSensitivity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t, 3, 4, 3)
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
		x := sol.Nash.Utilities
		for k, r := range ranges {
			if r.From > p.Reservation[k]+1e-9 || r.To < p.Reservation[k]-1e-9 {
				t.Fatalf("%s: range [%v, %v] misses the reservation value %v", r.Party, r.From, r.To, p.Reservation[k])
			}
			// nashAt returns the best Nash product with party k's
			// disagreement value at v, and the product of x.
			nashAt := func(v float64) (best, ofX float64) {
				d := append([]float64(nil), p.Reservation...)
				d[k] = v
				prod := func(u []float64) float64 {
					pr := 1.0
					for q := range u {
						g := u[q] - d[q]
						if g <= 1e-9 {
							return math.Inf(-1)
						}
						pr *= g
					}
					return pr
				}
				best, _ = bruteBest(p, func(u []float64) (float64, bool) { return prod(u), true })
				return best, prod(x)
			}
			const h = 1e-6
			for _, v := range []float64{r.From + h, (r.From + r.To) / 2, r.To - h} {
				if v < r.From || v > r.To {
					continue
				}
				if best, ofX := nashAt(v); ofX < best-1e-9 {
					t.Fatalf("%s at %v inside [%v, %v]: Nash package's product %v below the best %v", r.Party, v, r.From, r.To, ofX, best)
				}
			}
			if r.From-h > 0 {
				if best, ofX := nashAt(r.From - h); ofX >= best-1e-12 {
					t.Fatalf("%s at %v below %v: Nash package still optimal (%v, best %v)", r.Party, r.From-h, r.From, ofX, best)
				}
			}
			if r.To+h < math.Min(1, x[k]) {
				if best, ofX := nashAt(r.To + h); ofX >= best-1e-12 {
					t.Fatalf("%s at %v above %v: Nash package still optimal (%v, best %v)", r.Party, r.To+h, r.To, ofX, best)
				}
			}
		}
	})
}

// TestWeightSensitivity checks the weight ranges against brute force: the
// Nash package stays optimal inside, and stops being so within the
// tolerance past each end that is not a limit of [0,1].
func TestWeightSensitivity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genProblem(t, 3, 3, 3)
		for i := range p.Issues {
			p.Issues[i].Weights = make([]float64, len(p.Parties))
			for k := range p.Parties {
				p.Issues[i].Weights[k] = float64(rapid.IntRange(1, 9).Draw(t, "share")) / 10
			}
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
		// the problem reweighted at share.
		optimal := func(r WeightRange, share float64) bool {
			i := -1
			for j := range p.Issues {
				if p.Issues[j].Points[0] == r.Points[0] {
					i = j
				}
			}
			k := -1
			for j, id := range p.Parties {
				if id == r.Party {
					k = j
				}
			}
			q := reweighted(p, i, k, share)
			obj := nashObj{p.Reservation}
			v, ok := obj.value(q.Utilities(sol.Nash.Package))
			best, _ := bruteBest(q, obj.value)
			return ok && v >= best-1e-9
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
// of the smallest relaxations when there are too many candidate sets.
func TestRelaxationFallback(t *testing.T) {
	defer func(n int64) { MaxRelaxWork = n }(MaxRelaxWork)
	MaxRelaxWork = 0
	rapid.Check(t, func(t *rapid.T) {
		p := genBlockedProblem(t)
		c := len(p.Constraints)
		if c > 12 {
			t.Skip("too many constraints to enumerate")
		}
		want := -1
		for size := 0; size <= c && want < 0; size++ {
			for mask := 0; mask < 1<<c && want < 0; mask++ {
				if popcount(mask) != size {
					continue
				}
				lifted := make(map[int]bool)
				for b := range c {
					lifted[b] = mask&(1<<b) != 0
				}
				if bruteOpens(p, p.Reservation, lifted) {
					want = size
				}
			}
		}
		rel, size, err := Relaxations(context.Background(), p, nil, RelaxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if size != want {
			t.Fatalf("size %d, want %d", size, want)
		}
		if want <= 0 {
			return
		}
		if len(rel) != 1 || len(rel[0].Lift) != want || rel[0].Solutions.Maximin == nil {
			t.Fatalf("relaxations %+v, want one of size %d opening a zone", rel, want)
		}
	})
}
