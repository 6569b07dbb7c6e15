package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"parley/internal/testkit"

	"pgregory.net/rapid"
)

// epsilonSetLowerBound returns a number of packages that every ε-set of p's
// frontier must have at least: a set of Pareto-optimal vectors no two of
// which one feasible vector can cover within ε. Each vector is the package
// that maximises a random positive weighting λ of the utilities (so it is
// Pareto-optimal); two of them, x and y, need two vectors of any ε-set when
// some λ of theirs proves that no package reaches max(x, y) − ε: λ·(max(x,
// y) − ε) above the best λ-weighted value of any package, which is λ·x for
// x's own λ. Weights are drawn from [lo, 1] per party; options with red
// lines are left out. At most eight parties.
func epsilonSetLowerBound(p *Problem, eps, lo float64, samples int, seed uint64) int {
	n := len(p.Parties)
	r := rand.New(rand.NewPCG(seed, 3))
	type point struct {
		u, lambda []float64
		best      float64 // λ·u, the best weighted value of any package
	}
	// The points of the packing, hashed by a grid whose side is the
	// largest distance, per party, at which two points can fail to be
	// told apart.
	side := eps * float64(n) / lo
	cells := map[[8]int32][]int{}
	var pack []point
	key := func(u []float64) [8]int32 {
		var k [8]int32
		for i, x := range u {
			k[i] = int32(math.Floor(x / side))
		}
		return k
	}
	apart := func(a, b point) bool {
		for _, q := range []point{a, b} {
			v := 0.0
			for k := range n {
				v += q.lambda[k] * (max(a.u[k], b.u[k]) - eps)
			}
			if v > q.best+1e-9 {
				return true
			}
		}
		return false
	}
	for range samples {
		q := point{u: make([]float64, n), lambda: make([]float64, n)}
		for k := range q.lambda {
			q.lambda[k] = lo + (1-lo)*r.Float64()
		}
		for _, is := range p.Issues {
			best, bo := math.Inf(-1), 0
			for o, op := range is.Options {
				if len(op.Blockers) > 0 {
					continue
				}
				v := 0.0
				for k, x := range op.Utility {
					v += q.lambda[k] * x
				}
				if v > best {
					best, bo = v, o
				}
			}
			for k, x := range is.Options[bo].Utility {
				q.u[k] += x
			}
		}
		for k := range n {
			q.best += q.lambda[k] * q.u[k]
		}
		c := key(q.u)
		var nb [8]int32
		var walk func(d int) bool
		walk = func(d int) bool {
			if d == n {
				for _, i := range cells[nb] {
					if !apart(pack[i], q) {
						return false
					}
				}
				return true
			}
			for off := int32(-1); off <= 1; off++ {
				nb[d] = c[d] + off
				if !walk(d + 1) {
					return false
				}
			}
			return true
		}
		if walk(0) {
			cells[c] = append(cells[c], len(pack))
			pack = append(pack, q)
		}
	}
	return len(pack)
}

// TestEpsilonSetLowerBound checks the bound against ε-sets made from the
// brute force: the exact frontier thinned greedily, by decreasing sum, to
// one vector per group within ε. No ε-set is smaller than the bound.
func TestEpsilonSetLowerBound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := wide
		spec.MinParties, spec.MaxParties, spec.RedLines = 5, 6, 0
		c, p := drawCase(t, spec)
		eps := rapid.SampledFrom([]float64{0.001, 0.01, 0.05}).Draw(t, "eps")
		front := testkit.Frontier(c.Vectors(nil))
		sum := func(v []float64) float64 {
			s := 0.0
			for _, x := range v {
				s += x
			}
			return s
		}
		slices.SortFunc(front, func(a, b []float64) int { return cmp.Compare(sum(b), sum(a)) })
		var set [][]float64
		for _, v := range front {
			covered := false
			for _, w := range set {
				all := true
				for k := range v {
					if w[k] < v[k]-eps {
						all = false
						break
					}
				}
				if all {
					covered = true
					break
				}
			}
			if !covered {
				set = append(set, v)
			}
		}
		if lb := epsilonSetLowerBound(p, eps, 0.05, 2000, 1); lb > len(set) {
			t.Fatalf("lower bound %d, but an ε-set of %d vectors exists (ε=%v)", lb, len(set), eps)
		}
	})
}

// BenchmarkEpsilonSetLowerBound measures how many vectors any ε-set of the
// frontier of ManyParties/5x28x4 needs, at the ε asked for there.
func BenchmarkEpsilonSetLowerBound(b *testing.B) {
	p := randomProblem(1, 5, 28, 4)
	for _, eps := range []float64{0.01, 0.05} {
		b.Run(fmt.Sprintf("eps=%v", eps), func(b *testing.B) {
			var lb int
			for b.Loop() {
				lb = epsilonSetLowerBound(p, eps, 0.05, 200_000, 1)
			}
			b.ReportMetric(float64(lb), "vectors")
		})
	}
}

// BenchmarkHalfFrontierCover thins the exact frontier of the first half of
// ManyParties/5x28x4's shape (5 parties × 14 points × 4 options) once,
// within ε = 0.01: how few vectors an ε-set of such a frontier needs when
// the error is not spread over many merge steps.
func BenchmarkHalfFrontierCover(b *testing.B) {
	p := randomProblem(1, 5, 14, 4)
	f, err := Frontier(context.Background(), p, FrontierOptions{Limit: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	vals := make([]float64, 0, len(f.Outcomes)*5)
	for _, o := range f.Outcomes {
		vals = append(vals, o.Utilities...)
	}
	errs := make([]float64, len(vals))
	var keep []int
	for b.Loop() {
		if keep, _, err = coverFilter(context.Background(), vals, errs, 5, 0.01); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(f.Outcomes)), "exact")
	b.ReportMetric(float64(len(keep)), "cover")
}
