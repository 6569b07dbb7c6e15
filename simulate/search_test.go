package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"parley/analysis"
)

// acceptableTo reports whether no constraint binding party k blocks pkg.
func acceptableTo(p *analysis.Problem, k int, pkg analysis.Package) bool {
	for i, o := range pkg {
		for _, b := range p.Issues[i].Options[o].Blockers {
			if c := p.Constraints[b]; c.Party == "all" || c.Party == p.Parties[k] {
				return false
			}
		}
	}
	return true
}

func key(pkg analysis.Package) string { return fmt.Sprint([]int(pkg)) }

func TestUtilityMatchesProblem(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawProblem(t)
		d := mustDomain(t, p, nil)
		k := rapid.IntRange(0, len(p.Parties)-1).Draw(t, "party")
		self := newSelf(d, k, 10, rand.New(rand.NewPCG(1, 1)))
		enumerate(p, func(pkg analysis.Package) {
			got := self.Utility(pkg)
			if !acceptableTo(p, k, pkg) {
				if !math.IsInf(got, -1) {
					t.Fatalf("%v crosses a red line of %s: utility %v, want -Inf", pkg, p.Parties[k], got)
				}
				return
			}
			if want := p.Utilities(pkg)[k]; got != want {
				t.Fatalf("%v: utility %v, want %v", pkg, got, want)
			}
		})
	})
}

func TestSearchFindsExactlyTheBand(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawProblem(t)
		d := mustDomain(t, p, nil)
		k := rapid.IntRange(0, len(p.Parties)-1).Draw(t, "party")
		lo := rapid.Float64Range(-0.1, 1.1).Draw(t, "lo")
		hi := lo + rapid.Float64Range(0, 0.5).Draw(t, "width")
		shuffle := rapid.Bool().Draw(t, "shuffle")
		self := newSelf(d, k, 10, rand.New(rand.NewPCG(2, 2)))

		// Packages within 1e-12 of the band's ends may be in or out.
		var want, maybe []string
		enumerate(p, func(pkg analysis.Package) {
			u := p.Utilities(pkg)[k]
			if !acceptableTo(p, k, pkg) {
				return
			}
			switch {
			case u > lo+1e-12 && u < hi-1e-12:
				want = append(want, key(pkg))
			case u >= lo-1e-12 && u <= hi+1e-12:
				maybe = append(maybe, key(pkg))
			}
		})
		var got []string
		self.Search(lo, hi, shuffle, func(pkg analysis.Package, u float64) bool {
			if u != p.Utilities(pkg)[k] {
				t.Fatalf("%v reported with utility %v, want %v", pkg, u, p.Utilities(pkg)[k])
			}
			if !slices.Contains(maybe, key(pkg)) {
				got = append(got, key(pkg))
			}
			return true
		})
		slices.Sort(want)
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("packages in [%v, %v] (-want +got):\n%s", lo, hi, diff)
		}
	})
}

func TestNearest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawProblem(t)
		d := mustDomain(t, p, nil)
		k := rapid.IntRange(0, len(p.Parties)-1).Draw(t, "party")
		target := rapid.Float64Range(-0.1, 1.1).Draw(t, "target")
		self := newSelf(d, k, 10, rand.New(rand.NewPCG(3, 3)))

		best, bestAll := math.Inf(1), math.Inf(-1)
		enumerate(p, func(pkg analysis.Package) {
			if !acceptableTo(p, k, pkg) {
				return
			}
			u := p.Utilities(pkg)[k]
			bestAll = max(bestAll, u)
			if u >= target && u < best {
				best = u
			}
		})
		dst := make(analysis.Package, len(p.Issues))
		got := self.Nearest(target, dst)
		switch {
		case math.IsInf(bestAll, -1):
			if !math.IsInf(got, -1) {
				t.Fatalf("no acceptable package, Nearest returned %v", got)
			}
			return
		case math.IsInf(best, 1):
			best = bestAll // none reaches the target: the best package
		}
		if math.Abs(got-best) > 1e-12 {
			t.Fatalf("Nearest(%v) = %v, want %v", target, got, best)
		}
		if !acceptableTo(p, k, dst) || p.Utilities(dst)[k] != got {
			t.Fatalf("Nearest(%v) wrote %v, utility %v, acceptable %v", target, dst, p.Utilities(dst)[k], acceptableTo(p, k, dst))
		}
	})
}

func TestMaxMin(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawProblem(t)
		d := mustDomain(t, p, nil)
		k := rapid.IntRange(0, len(p.Parties)-1).Draw(t, "party")
		self := newSelf(d, k, 10, rand.New(rand.NewPCG(3, 3)))
		hi, lo := math.Inf(-1), math.Inf(1)
		enumerate(p, func(pkg analysis.Package) {
			if acceptableTo(p, k, pkg) {
				u := p.Utilities(pkg)[k]
				hi, lo = max(hi, u), min(lo, u)
			}
		})
		u, best, ok := self.Max()
		if ok != !math.IsInf(hi, -1) {
			t.Fatalf("Max ok = %v, want %v", ok, !ok)
		}
		if !ok {
			return
		}
		if math.Abs(u-hi) > 1e-12 || math.Abs(self.Min()-lo) > 1e-12 {
			t.Fatalf("Max, Min = %v, %v; want %v, %v", u, self.Min(), hi, lo)
		}
		if p.Utilities(best)[k] != u {
			t.Fatalf("best package %v has utility %v, Max says %v", best, p.Utilities(best)[k], u)
		}
	})
}

// TestSearchLargeSpace checks that a band search in a space of 5^20
// packages answers, and only with packages in the band.
func TestSearchLargeSpace(t *testing.T) {
	opts := make([]int, 20)
	for i := range opts {
		opts[i] = 5
	}
	p := genProblem(rand.New(rand.NewPCG(4, 4)), 2, opts)
	d := mustDomain(t, p, nil)
	self := newSelf(d, 0, 10, rand.New(rand.NewPCG(5, 5)))
	hi, _, _ := self.Max()
	lo := self.Min()
	for _, f := range []float64{0.05, 0.5, 0.8, 0.95} {
		target := lo + f*(hi-lo)
		n := 0
		self.Search(target, target+0.001, true, func(pkg analysis.Package, u float64) bool {
			if u < target || u > target+0.001 || p.Utilities(pkg)[0] != u {
				t.Fatalf("target %v: got %v with utility %v", target, pkg, u)
			}
			n++
			return n < 10
		})
		if n != 10 {
			t.Errorf("target %v: found %d packages, want 10", target, n)
		}
		dst := make(analysis.Package, 20)
		if u := self.Nearest(target, dst); u < target || u > target+1e-3 {
			t.Errorf("Nearest(%v) = %v", target, u)
		}
	}
}
