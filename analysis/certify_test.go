package analysis

// A measurement, not a part of the engine: the ε of a five-party frontier
// is the largest error a kept vector carries, a bound fixed while the
// frontier is built. The searches below prove a bound on the list's true
// coverage error after the fact, to see whether that would report a
// smaller ε in time (it does not: see BENCHMARKS.md, "The engine at
// scale").

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

// coverError returns min over l of max over k of u[k] − l[k]: how far the
// list lv (n per vector) is from covering u.
func coverError(u, lv []float64, n int) float64 {
	best := math.Inf(1)
	for i := 0; i < len(lv); i += n {
		e := math.Inf(-1)
		for k := range n {
			e = max(e, u[k]-lv[i+k])
			if e >= best {
				break
			}
		}
		best = min(best, e)
	}
	return best
}

// coverageLowerBound returns a lower bound on the coverage error of the
// list lv over the packages of s: the largest error of the packages found
// by maximising random positive weightings, each then improved by changing
// one point at a time while that raises its error.
func coverageLowerBound(s *space, lv []float64, samples int, seed uint64) float64 {
	n := s.n
	r := rand.New(rand.NewPCG(seed, 4))
	worst := 0.0
	choice := make([]int, len(s.issues))
	u := make([]float64, n)
	sum := func() {
		copy(u, s.offset)
		for j, si := range s.issues {
			for k := range n {
				u[k] += si.vals[choice[j]*n+k]
			}
		}
	}
	lambda := make([]float64, n)
	for range samples {
		for k := range lambda {
			lambda[k] = 0.05 + 0.95*r.Float64()
		}
		for j, si := range s.issues {
			best := math.Inf(-1)
			for o := range si.opts {
				v := 0.0
				for k := range n {
					v += lambda[k] * si.vals[o*n+k]
				}
				if v > best {
					best, choice[j] = v, o
				}
			}
		}
		sum()
		e := coverError(u, lv, n)
		for improved := true; improved; {
			improved = false
			for j, si := range s.issues {
				was := choice[j]
				for o := range si.opts {
					if o == was {
						continue
					}
					choice[j] = o
					sum()
					if f := coverError(u, lv, n); f > e+1e-12 {
						e, was, improved = f, o, true
					}
				}
				choice[j] = was
			}
		}
		worst = max(worst, e)
	}
	return worst
}

// certifyMerge decides whether some package of s is not covered by the
// list lv within eps: issue by issue it keeps the partial packages, pruned
// of dominated ones, that no vector of the list covers for every
// completion. It reports the answer, whether it finished within most
// partial vectors a step, and the largest step.
func certifyMerge(ctx context.Context, s *space, lv []float64, eps float64, most int) (uncovered, done bool, peak int, err error) {
	n := s.n
	tree, err := newKDTree(ctx, lv, n, nil)
	if err != nil {
		return false, false, 0, err
	}
	rest := s.bestRest()
	cur := append([]float64(nil), s.offset...)
	q := make([]float64, n)
	for j, si := range s.issues {
		k := len(si.opts)
		var cand []float64
		for e := 0; e < len(cur); e += n {
			for o := range k {
				for x := range n {
					q[x] = cur[e+x] + si.vals[o*n+x] + rest[(j+1)*n+x]
				}
				if tree.find(q, eps, nil) >= 0 {
					continue
				}
				for x := range n {
					cand = append(cand, cur[e+x]+si.vals[o*n+x])
				}
			}
		}
		if len(cand) == 0 {
			return false, true, peak, nil
		}
		if len(cand)/n > most {
			return false, false, max(peak, len(cand)/n), nil
		}
		keep, err := paretoFilterCtx(ctx, cand, n)
		if err != nil {
			return false, false, 0, err
		}
		cur = cur[:0]
		for _, c := range keep {
			cur = append(cur, cand[c*n:c*n+n]...)
		}
		peak = max(peak, len(keep))
	}
	// With no issue left to choose, the offset is the one package.
	for e := 0; e < len(cur); e += n {
		if tree.find(cur[e:e+n], eps, nil) < 0 {
			return true, true, peak, nil
		}
	}
	return false, true, peak, nil
}

// TestCertifyMatchesBruteForce checks both certifications against the
// coverage error of a random list, computed by enumerating every package.
func TestCertifyMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := wide
		spec.MinParties = 5
		c, p := drawCase(t, spec)
		all := c.Vectors(nil)
		if len(all) == 0 {
			return
		}
		n := c.Parties
		var lv []float64
		for _, v := range all {
			if rapid.IntRange(0, 9).Draw(t, "listed") == 0 {
				lv = append(lv, v...)
			}
		}
		if lv == nil {
			lv = append(lv, all[0]...)
		}
		// The true coverage error, by brute force.
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
		// Near the true error, where a wrong answer would show.
		eps := truth * rapid.Float64Range(0, 2).Draw(t, "factor")
		if math.Abs(eps-truth) < 1e-6 {
			return
		}
		s, ok, err := newSpaceCtx(context.Background(), p, nil)
		if err != nil || !ok {
			t.Fatalf("space: %v %v", ok, err)
		}
		unc, done, _, err := certifyMerge(context.Background(), s, lv, eps, 1<<30)
		if err != nil || !done {
			t.Fatalf("certify: done %v, %v", done, err)
		}
		if unc != (truth > eps) {
			t.Fatalf("ε %v: uncovered %v, but the true coverage error is %v", eps, unc, truth)
		}
		if unc, done, _ := certifyDepthFirst(s, lv, eps, 1<<30); !done || unc != (truth > eps) {
			t.Fatalf("ε %v: depth first: uncovered %v (done %v), but the true coverage error is %v", eps, unc, done, truth)
		}
	})
}

// manyPartiesList returns the space and the list of ManyParties/5x28x4's
// frontier, with the ε it carries.
func manyPartiesList(b *testing.B) (*space, []float64, float64) {
	p := randomProblem(1, 5, 28, 4)
	ctx := context.Background()
	s, _, err := newSpaceCtx(ctx, p, nil)
	if err != nil {
		b.Fatal(err)
	}
	f, err := s.frontier(ctx, p, FrontierOptions{Epsilon: 0.01})
	if err != nil {
		b.Fatal(err)
	}
	var lv []float64
	for _, o := range f.Outcomes {
		lv = append(lv, o.Utilities...)
	}
	return s, lv, f.Epsilon
}

// BenchmarkCoverageLowerBound finds packages that the list of
// ManyParties/5x28x4 covers badly: no certificate can prove an ε below
// the largest error found ("epsilon-lower").
func BenchmarkCoverageLowerBound(b *testing.B) {
	s, lv, _ := manyPartiesList(b)
	var lb float64
	for b.Loop() {
		lb = coverageLowerBound(s, lv, 2000, 1)
	}
	b.ReportMetric(lb, "epsilon-lower")
}

// BenchmarkCertify decides, for the list of ManyParties/5x28x4, whether
// some package is not covered within ε, for the carried ε and smaller
// ones: "uncovered" is 1 when one is, "peak" the most partial packages a
// step kept.
func BenchmarkCertify(b *testing.B) {
	s, lv, carried := manyPartiesList(b)
	for _, eps := range []float64{carried, 0.045, 0.040, 0.035} {
		b.Run(fmt.Sprintf("eps=%.4f", eps), func(b *testing.B) {
			var unc bool
			var peak int
			start := testkit.CPUTime()
			for b.Loop() {
				var err error
				if unc, _, peak, err = certifyMerge(context.Background(), s, lv, eps, 1<<30); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((testkit.CPUTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
			u := 0.0
			if unc {
				u = 1
			}
			b.ReportMetric(u, "uncovered")
			b.ReportMetric(float64(peak), "peak")
		})
	}
}

// certifyDepthFirst is the depth-first form of certifyMerge, without the
// pruning of dominated partial packages: options are tried by decreasing
// sum, and a partial package is left when one vector of the list covers
// all its completions. It stops after most partial packages, reporting
// whether it finished.
func certifyDepthFirst(s *space, lv []float64, eps float64, most int) (uncovered, done bool, nodes int) {
	n := s.n
	tree, _ := newKDTree(context.Background(), lv, n, nil)
	rest := s.bestRest()
	order := make([][]int, len(s.issues))
	for j, si := range s.issues {
		sum := func(o int) float64 {
			t := 0.0
			for _, x := range si.vals[o*n : o*n+n] {
				t += x
			}
			return t
		}
		for o := range si.opts {
			order[j] = append(order[j], o)
		}
		slices.SortFunc(order[j], func(a, b int) int { return cmp.Compare(sum(b), sum(a)) })
	}
	part := make([][]float64, len(s.issues)+1)
	for j := range part {
		part[j] = make([]float64, n)
	}
	copy(part[0], s.offset)
	q := make([]float64, n)
	var walk func(j int) bool
	walk = func(j int) bool {
		nodes++
		if nodes > most {
			return false
		}
		for x := range n {
			q[x] = part[j][x] + rest[j*n+x]
		}
		if tree.find(q, eps, nil) >= 0 {
			return false
		}
		if j == len(s.issues) {
			uncovered = true
			return true
		}
		si := s.issues[j]
		for _, o := range order[j] {
			for x := range n {
				part[j+1][x] = part[j][x] + si.vals[o*n+x]
			}
			if walk(j + 1) {
				return true
			}
		}
		return false
	}
	walk(0)
	return uncovered, uncovered || nodes <= most, nodes
}

// BenchmarkCertifyDepthFirst is BenchmarkCertify by the depth-first
// search, within ten times the work budget of the weight sensitivity
// (MaxWeightWork, about a second): "done" is 1 when it finished.
func BenchmarkCertifyDepthFirst(b *testing.B) {
	s, lv, carried := manyPartiesList(b)
	for _, eps := range []float64{carried, 0.045} {
		b.Run(fmt.Sprintf("eps=%.4f", eps), func(b *testing.B) {
			var done bool
			var nodes int
			for b.Loop() {
				_, done, nodes = certifyDepthFirst(s, lv, eps, 10*MaxWeightWork)
			}
			d := 0.0
			if done {
				d = 1
			}
			b.ReportMetric(d, "done")
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}
