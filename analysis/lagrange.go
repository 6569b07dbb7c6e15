package analysis

import (
	"math"
	"sort"
)

// minLinear returns the λ and bound for an objective of the form
// min_k w_k (u_k - d_k) over the parties with w_k > 0: for λ in the
// simplex, that minimum is at most Σ λ_k w_k (u_k - d_k). The λ that makes
// the bound tightest over the whole space, min over λ of the largest
// Σ λ_k w_k (u_k - d_k) any package reaches, is found by projected
// subgradient descent; any λ gives a valid bound, a good one prunes more.
func minLinear(s *space, d, w []float64) ([]float64, func(float64) float64) {
	n := len(d)
	var active []int
	for k := range n {
		if w[k] > 0 {
			active = append(active, k)
		}
	}
	lam := make([]float64, n)
	if len(active) == 0 {
		return nil, nil
	}
	for _, k := range active {
		lam[k] = 1 / float64(len(active))
	}
	// F(λ) and its subgradient at the package that maximises
	// Σ λ_k w_k u_k issue by issue.
	eval := func(lam []float64) (float64, []float64) {
		u := append([]float64(nil), s.offset...)
		for _, si := range s.issues {
			best, bo := math.Inf(-1), 0
			for o := range si.opts {
				v := 0.0
				for _, k := range active {
					v += lam[k] * w[k] * si.vals[o*n+k]
				}
				if v > best {
					best, bo = v, o
				}
			}
			for k := range n {
				u[k] += si.vals[bo*n+k]
			}
		}
		f := 0.0
		g := make([]float64, n)
		for _, k := range active {
			g[k] = w[k] * (u[k] - d[k])
			f += lam[k] * g[k]
		}
		return f, g
	}
	bestF, _ := eval(lam)
	bestLam := append([]float64(nil), lam...)
	cur := append([]float64(nil), lam...)
	for it := range 200 {
		f, g := eval(cur)
		if f < bestF {
			bestF = f
			copy(bestLam, cur)
		}
		norm := 0.0
		for _, k := range active {
			norm += g[k] * g[k]
		}
		if norm == 0 {
			break
		}
		step := 0.5 / math.Sqrt(float64(it+1)) / math.Sqrt(norm)
		for _, k := range active {
			cur[k] -= step * g[k]
		}
		projectSimplex(cur, active)
	}
	wl := make([]float64, n)
	dl := 0.0
	for _, k := range active {
		wl[k] = bestLam[k] * w[k]
		dl += wl[k] * d[k]
	}
	return wl, func(L float64) float64 { return L - dl }
}

// projectSimplex projects x, on the coordinates in active, onto the
// probability simplex (Euclidean projection, by sorting).
func projectSimplex(x []float64, active []int) {
	v := make([]float64, len(active))
	for i, k := range active {
		v[i] = x[k]
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(v)))
	cum, theta := 0.0, 0.0
	for i, vi := range v {
		cum += vi
		t := (cum - 1) / float64(i+1)
		if vi-t > 0 {
			theta = t
		}
	}
	for _, k := range active {
		x[k] = math.Max(0, x[k]-theta)
	}
}

// constrainedLinear returns the λ and bound for a linear objective c·u over
// the packages that give every party at least d: for any μ ≥ 0, c·u is at
// most (c+μ)·u − μ·d on those packages (Lagrangian relaxation of u ≥ d), so
// λ = c+μ with the bound L − μ·d. The μ that makes the bound tightest over
// the whole space is found by projected subgradient descent; any μ ≥ 0 is
// valid.
func constrainedLinear(s *space, c, d []float64) ([]float64, func(float64) float64) {
	n := len(d)
	mu := make([]float64, n)
	bestMu := make([]float64, n)
	bestF := math.Inf(1)
	lam := make([]float64, n)
	u := make([]float64, n)
	for it := range 150 {
		for k := range n {
			lam[k] = c[k] + mu[k]
		}
		copy(u, s.offset)
		for _, si := range s.issues {
			best, bo := math.Inf(-1), 0
			for o := range si.opts {
				v := 0.0
				for k := range n {
					v += lam[k] * si.vals[o*n+k]
				}
				if v > best {
					best, bo = v, o
				}
			}
			for k := range n {
				u[k] += si.vals[bo*n+k]
			}
		}
		f, norm := 0.0, 0.0
		for k := range n {
			f += lam[k]*u[k] - mu[k]*d[k]
			g := u[k] - d[k]
			if mu[k] > 0 || g < 0 {
				norm += g * g
			}
		}
		if f < bestF {
			bestF = f
			copy(bestMu, mu)
		}
		if norm == 0 {
			break
		}
		step := 0.5 / math.Sqrt(float64(it+1)) / math.Sqrt(norm)
		for k := range n {
			mu[k] = math.Max(0, mu[k]-step*(u[k]-d[k]))
		}
	}
	out := make([]float64, n)
	md := 0.0
	for k := range n {
		out[k] = c[k] + bestMu[k]
		md += bestMu[k] * d[k]
	}
	return out, func(L float64) float64 { return L - md }
}
