package analysis

import (
	"context"
	"math"
	"slices"
)

// probeNodes bounds the depth-first probe of a feasibility search before
// the exhaustive merge takes over.
const probeNodes = 20_000

// feasible looks for a package of the space that gives every party at
// least d, and returns its choice per space issue, or nil when there is
// none. It stops at the first such package. Three tests, cheapest first:
//
//   - a Lagrangian bound: for weights λ ≥ 0, a package that gives every
//     party d has Σ λ_k (u_k − d_k) ≥ 0, so a space whose largest
//     Σ λ_k u_k falls short of Σ λ_k d_k has none (λ tuned by minLinear);
//   - a depth-first probe, options in order of Σ λ_k u_k, pruned by the
//     same bound and by each party's best remaining utility, which finds a
//     package quickly when there is room;
//   - the issue-by-issue merge of the branch and bound, with both prunings
//     and with dominated partial packages dropped, which decides the rest;
//     a partial package completed by the λ-best options is tried at every
//     step, so that it too stops early.
func (s *space) feasible(ctx context.Context, d []float64) ([]int, error) {
	n := s.n
	levels := len(s.issues)
	ones := make([]float64, n)
	for k := range ones {
		ones[k] = 1
	}
	lam, _ := minLinear(s, d, ones)
	if lam == nil {
		lam = ones
	}
	lamD := 0.0
	for k := range n {
		lamD += lam[k] * d[k]
	}
	score := func(v []float64) float64 {
		x := 0.0
		for k := range n {
			x += lam[k] * v[k]
		}
		return x
	}
	// Per level: each party's best remaining total, the best remaining
	// λ-score, the options by decreasing λ-score, and the completion by
	// the λ-best options.
	rest := make([]float64, (levels+1)*n)
	restLin := make([]float64, levels+1)
	greedy := make([]float64, (levels+1)*n)
	order := make([][]int, levels)
	for j := levels - 1; j >= 0; j-- {
		si := s.issues[j]
		k := len(si.opts)
		order[j] = make([]int, k)
		for o := range order[j] {
			order[j][o] = o
		}
		sc := make([]float64, k)
		for o := range k {
			sc[o] = score(si.vals[o*n : o*n+n])
		}
		slices.SortStableFunc(order[j], func(a, b int) int {
			switch {
			case sc[a] > sc[b]:
				return -1
			case sc[a] < sc[b]:
				return 1
			}
			return 0
		})
		top := order[j][0]
		restLin[j] = restLin[j+1] + sc[top]
		for q := range n {
			mx := math.Inf(-1)
			for o := range k {
				mx = math.Max(mx, si.vals[o*n+q])
			}
			rest[j*n+q] = rest[(j+1)*n+q] + mx
			greedy[j*n+q] = greedy[(j+1)*n+q] + si.vals[top*n+q]
		}
	}
	slack := tol * float64(levels+1)
	reach := func(u []float64, j int) bool {
		for q := range n {
			if u[q]+rest[j*n+q] < d[q]-tol {
				return false
			}
		}
		return score(u)+restLin[j] >= lamD-slack
	}
	meets := func(u []float64, j int) bool {
		for q := range n {
			if u[q]+greedy[j*n+q] < d[q]-tol {
				return false
			}
		}
		return true
	}
	complete := func(choice []int, j int) []int {
		for ; j < levels; j++ {
			choice[j] = order[j][0]
		}
		return choice
	}
	if !reach(s.offset, 0) {
		return nil, nil
	}
	if meets(s.offset, 0) {
		return complete(make([]int, levels), 0), nil
	}

	// The probe.
	choice := make([]int, levels)
	u := make([]float64, (levels+1)*n)
	copy(u, s.offset)
	nodes := 0
	var probe func(j int) (bool, error)
	probe = func(j int) (bool, error) {
		cur := u[j*n : j*n+n]
		if meets(cur, j) {
			complete(choice, j)
			return true, nil
		}
		if j == levels || nodes >= probeNodes {
			return false, nil
		}
		nodes++
		if nodes%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		si := s.issues[j]
		next := u[(j+1)*n : (j+1)*n+n]
		for _, o := range order[j] {
			for q := range n {
				next[q] = cur[q] + si.vals[o*n+q]
			}
			if !reach(next, j+1) {
				continue
			}
			choice[j] = o
			if ok, err := probe(j + 1); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	}
	if ok, err := probe(0); ok || err != nil {
		if err != nil {
			return nil, err
		}
		return choice, nil
	}
	if nodes < probeNodes {
		return nil, nil // the probe searched everything
	}

	// The merge.
	m := &merged{n: n}
	cur := append([]float64(nil), s.offset...)
	v := make([]float64, n)
	for j, si := range s.issues {
		k := len(si.opts)
		cnt := len(cur) / n
		cand := make([]float64, 0, n*min(cnt*k, 1<<16))
		var from []int
		for e := range cnt {
			if e%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			base := cur[e*n : e*n+n]
			for o := range k {
				for q := range n {
					v[q] = base[q] + si.vals[o*n+q]
				}
				if !reach(v, j+1) {
					continue
				}
				if meets(v, j+1) {
					// Rebuild the partial package and complete it.
					out := make([]int, levels)
					out[j] = o
					idx := e
					for l := j - 1; l >= 0; l-- {
						out[l] = int(m.option[l][idx])
						idx = int(m.parent[l][idx])
					}
					return complete(out, j+1), nil
				}
				cand = append(cand, v...)
				from = append(from, e*k+o)
			}
		}
		if s.work != nil {
			*s.work += int64(len(from))
		}
		if len(from) == 0 {
			return nil, nil
		}
		cur = m.push(cand, someDominated(cand, n, 64), from, k)
	}
	return nil, nil
}
