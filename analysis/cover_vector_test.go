package analysis

// A measurement of a variant of the five-party merge that is not in the
// engine: each kept vector carries its error per party instead of one
// number. A package that vector c stands for is at most c + e_c, party by
// party; when w stands for c, it is at most w + max(c − w, 0) + e_c, so
// w's errors become the larger, party by party, of its own and those. A
// candidate c is dropped when w ≥ c + e_c − bound for every party, and the
// frontier's ε is the largest error of any party of any kept vector. The
// scalar error of coverFilter adds the largest shortfall of each step
// whatever the party; this adds per party. See BENCHMARKS.md, "The engine
// at scale".

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"parley/internal/testkit"

	"pgregory.net/rapid"
)

// coverFilterVec is coverFilter with errors per party (n per vector).
func coverFilterVec(ctx context.Context, vals, errs []float64, n int, bound float64) ([]int, []float64, error) {
	cnt := len(vals) / n
	sums := make([]float64, cnt)
	order := make([]int32, cnt)
	for c := range cnt {
		order[c] = int32(c)
		for _, v := range vals[c*n : c*n+n] {
			sums[c] += v
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(sums[b], sums[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	tree, err := newCoverTree(ctx, vals, n)
	if err != nil {
		return nil, nil, err
	}
	out := make([]float64, cnt*n)
	kept := make([]bool, cnt)
	last := -1
	q := make([]float64, n)
	for _, c := range order {
		v := vals[int(c)*n : int(c)*n+n]
		ec := errs[int(c)*n : int(c)*n+n]
		for k := range n {
			q[k] = v[k] + ec[k]
		}
		hit := -1
		if last >= 0 && coversBy(vals[last*n:last*n+n], q, bound) {
			hit = last
		} else if h := tree.find(q, bound); h >= 0 {
			hit = int(h)
		}
		if hit < 0 {
			tree.wake(int(c))
			kept[c] = true
			copy(out[int(c)*n:int(c)*n+n], ec)
			continue
		}
		last = hit
		w := vals[hit*n : hit*n+n]
		for k := range n {
			s := 0.0
			if e := v[k] - w[k]; e > tol {
				s = e
			}
			out[hit*n+k] = max(out[hit*n+k], ec[k]+s)
		}
	}
	var keep []int
	var ke []float64
	for c := range cnt {
		if kept[c] {
			keep = append(keep, c)
			ke = append(ke, out[c*n:c*n+n]...)
		}
	}
	return keep, ke, nil
}

// mergeVec is the five-party path of merge with an ε asked for (no floor),
// errors carried per party. It returns the kept vectors and their ε.
func mergeVec(ctx context.Context, s *space, eps float64, most int) ([]float64, float64) {
	n := s.n
	cur := append([]float64(nil), s.offset...)
	errs := make([]float64, n)
	bound, inc := 0.0, 0.0
	for j, si := range s.issues {
		k := len(si.opts)
		cnt := len(cur) / n
		cand := make([]float64, 0, cnt*k*n)
		cerr := make([]float64, 0, cnt*k*n)
		for e := range cnt {
			for o := range k {
				for q := range n {
					cand = append(cand, cur[e*n+q]+si.vals[o*n+q])
				}
				cerr = append(cerr, errs[e*n:e*n+n]...)
			}
		}
		bound = max(bound, eps*float64(j+1)/float64(len(s.issues)))
		floor := slices.Max(cerr)
		bound = max(bound, floor)
		inc = max(inc, tol)
		if len(cand)/n > most {
			bound = max(bound, floor+inc)
		}
		for {
			keep, ke, _ := coverFilterVec(ctx, cand, cerr, n, bound)
			if len(keep) <= most || bound >= 1 {
				next := make([]float64, 0, len(keep)*n)
				for _, c := range keep {
					next = append(next, cand[c*n:c*n+n]...)
				}
				cur, errs = next, ke
				inc = max(inc, bound-floor)
				break
			}
			if bound < floor+inc {
				bound = floor + inc
			} else {
				bound = floor + 1.5*(bound-floor)
			}
		}
	}
	return cur, slices.Max(errs)
}

// BenchmarkCoverVector is ManyParties/5x28x4 merged with errors per
// party, at the engine's 6,000 vectors a step and twice that; "lower" is a
// lower bound on the list's true coverage error.
func BenchmarkCoverVector(b *testing.B) {
	p := randomProblem(1, 5, 28, 4)
	s, _, _ := newSpaceCtx(context.Background(), p, nil)
	for _, most := range []int{6000, 12000} {
		b.Run(fmt.Sprintf("keep=%d", most), func(b *testing.B) {
			var lv []float64
			var e float64
			start := testkit.CPUTime()
			for b.Loop() {
				lv, e = mergeVec(context.Background(), s, 0.01, most)
			}
			b.ReportMetric(float64((testkit.CPUTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(e, "epsilon")
			b.ReportMetric(float64(len(lv)/5), "frontier")
			b.ReportMetric(coverageLowerBound(s, lv, 200, 1), "lower")
		})
	}
}

// TestCoverVectorMatchesBruteForce checks that the ε mergeVec carries is
// at least the true coverage error of its list, enumerated package by
// package, with a few vectors a step so that most steps approximate.
func TestCoverVectorMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := wide
		spec.MinParties = 5
		c, p := drawCase(t, spec)
		all := c.Vectors(nil)
		if len(all) == 0 {
			return
		}
		n := c.Parties
		s, _, _ := newSpaceCtx(context.Background(), p, nil)
		most := rapid.IntRange(1, 6).Draw(t, "most")
		lv, eps := mergeVec(context.Background(), s, rapid.SampledFrom([]float64{0.01, 0.1, 0.3}).Draw(t, "eps"), most)
		truth := 0.0
		for _, v := range all {
			best := math.Inf(1)
			for i := 0; i < len(lv); i += n {
				e := math.Inf(-1)
				for k := range n {
					e = max(e, v[k]-lv[i+k])
				}
				best = min(best, e)
			}
			truth = max(truth, best)
		}
		if truth > eps+1e-9 {
			t.Fatalf("carried ε %v, but the true coverage error is %v", eps, truth)
		}
	})
}

// BenchmarkCoverVectorCertify proves again, after the fact, that the list
// of BenchmarkCoverVector at 6,000 vectors a step is covered within the ε
// it carries ("uncovered" 0).
func BenchmarkCoverVectorCertify(b *testing.B) {
	p := randomProblem(1, 5, 28, 4)
	s, _, _ := newSpaceCtx(context.Background(), p, nil)
	lv, e := mergeVec(context.Background(), s, 0.01, 6000)
	var unc bool
	for b.Loop() {
		var err error
		if unc, _, _, err = certifyMerge(context.Background(), s, lv, e, 1<<30); err != nil {
			b.Fatal(err)
		}
	}
	u := 0.0
	if unc {
		u = 1
	}
	b.ReportMetric(e, "epsilon")
	b.ReportMetric(u, "uncovered")
}
