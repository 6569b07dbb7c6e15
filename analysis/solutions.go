package analysis

import (
	"context"
	"fmt"
	"math"
)

// Solutions are the bargaining solutions among the packages acceptable to
// all that give every party at least its disagreement value. A solution is
// nil when no such package exists (for Nash: none that gives every party
// more than its disagreement value).
type Solutions struct {
	// Nash maximises the product of the parties' gains over their
	// disagreement values, among packages where every party gains.
	Nash *Outcome `json:"nash"`
	// KalaiSmorodinsky maximises the smallest gain relative to the party's
	// ideal gain (its best utility among these packages, less its
	// disagreement value).
	KalaiSmorodinsky *Outcome `json:"kalai_smorodinsky"`
	// Maximin (egalitarian) maximises the smallest gain.
	Maximin *Outcome `json:"maximin"`
	// Utilitarian maximises the sum of utilities.
	Utilitarian *Outcome `json:"utilitarian"`
}

// objective is something a solution maximises. Every objective here is
// non-decreasing in every party's utility, so its value at a vector that
// is at least as good for everyone bounds it from above.
type objective interface {
	// value returns the objective at u and whether u is admissible.
	value(u []float64) (float64, bool)
	// linear returns weights λ ≥ 0 and a function that turns an upper
	// bound L of Σ λ_k u_k into an upper bound of the objective, or nil
	// when the objective has no such bound. seed, when not nil, is a good
	// package to tune λ on.
	linear(s *space, seed []float64) ([]float64, func(L float64) float64)
}

type nashObj struct{ d []float64 }

func (o nashObj) value(u []float64) (float64, bool) {
	v := 0.0
	for k, x := range u {
		g := x - o.d[k]
		if g <= tol {
			return math.Inf(-1), false
		}
		v += math.Log(g)
	}
	return v, true
}

// linear uses the inequality of arithmetic and geometric means: for any
// λ > 0, Π g_k ≤ (Σ λ_k g_k / n)^n / Π λ_k, with equality where
// λ_k g_k are all equal, so λ_k = 1/g_k at a good package makes the bound
// tight near it.
func (o nashObj) linear(s *space, seed []float64) ([]float64, func(float64) float64) {
	n := len(o.d)
	lam := make([]float64, n)
	dl, logLam := 0.0, 0.0
	for k := range lam {
		lam[k] = 1
		if seed != nil && seed[k]-o.d[k] > tol {
			lam[k] = 1 / (seed[k] - o.d[k])
		}
		dl += lam[k] * o.d[k]
		logLam += math.Log(lam[k])
	}
	return lam, func(L float64) float64 {
		if L-dl <= 0 {
			return math.Inf(-1)
		}
		return float64(n)*math.Log((L-dl)/float64(n)) - logLam
	}
}

type ksObj struct{ d, ideal []float64 }

func (o ksObj) value(u []float64) (float64, bool) {
	v := math.Inf(1)
	for k, x := range u {
		g := x - o.d[k]
		if g < -tol {
			return math.Inf(-1), false
		}
		r := o.ideal[k] - o.d[k]
		if r <= tol {
			continue // this party cannot gain: it does not constrain
		}
		v = math.Min(v, g/r)
	}
	if math.IsInf(v, 1) {
		v = 0
	}
	return v, true
}

// linear: the smallest relative gain is at most any convex combination
// of the relative gains.
func (o ksObj) linear(s *space, _ []float64) ([]float64, func(float64) float64) {
	w := make([]float64, len(o.d))
	for k := range w {
		if r := o.ideal[k] - o.d[k]; r > tol {
			w[k] = 1 / r
		}
	}
	return minLinear(s, o.d, w)
}

type maximinObj struct{ d []float64 }

func (o maximinObj) value(u []float64) (float64, bool) {
	v := math.Inf(1)
	for k, x := range u {
		g := x - o.d[k]
		if g < -tol {
			return math.Inf(-1), false
		}
		v = math.Min(v, g)
	}
	return v, true
}

// linear: the smallest gain is at most any convex combination of the gains.
func (o maximinObj) linear(s *space, _ []float64) ([]float64, func(float64) float64) {
	w := make([]float64, len(o.d))
	for k := range w {
		w[k] = 1
	}
	return minLinear(s, o.d, w)
}

type sumObj struct{ d []float64 }

func (o sumObj) value(u []float64) (float64, bool) {
	v := 0.0
	for k, x := range u {
		if x < o.d[k]-tol {
			return math.Inf(-1), false
		}
		v += x
	}
	return v, true
}

// linear: the sum, relaxed with multipliers on the disagreement values.
func (o sumObj) linear(s *space, _ []float64) ([]float64, func(float64) float64) {
	c := make([]float64, len(o.d))
	for k := range c {
		c[k] = 1
	}
	return constrainedLinear(s, c, o.d)
}

// partyObj is one party's utility among the admissible packages: its
// maximum is the party's ideal for Kalai–Smorodinsky.
type partyObj struct {
	d []float64
	k int
}

func (o partyObj) value(u []float64) (float64, bool) {
	for k, x := range u {
		if x < o.d[k]-tol {
			return math.Inf(-1), false
		}
	}
	return u[o.k], true
}

// linear: the party's utility, relaxed with multipliers on the others'
// disagreement values.
func (o partyObj) linear(s *space, _ []float64) ([]float64, func(float64) float64) {
	if o.k >= s.n {
		return nil, nil
	}
	c := make([]float64, s.n)
	c[o.k] = 1
	return constrainedLinear(s, c, o.d)
}

// objTol is how close two objective values must be to count as a tie.
const objTol = 1e-12

// better reports whether (v, u) beats (bv, bu): a larger objective, or on a
// tie a larger sum of utilities.
func better(v float64, u []float64, bv float64, bu []float64) bool {
	if bu == nil {
		return true
	}
	if v > bv+objTol {
		return true
	}
	if v < bv-objTol {
		return false
	}
	return sum(u) > sum(bu)+objTol
}

func sum(u []float64) float64 {
	s := 0.0
	for _, x := range u {
		s += x
	}
	return s
}

// Solve returns the bargaining solutions of p with the given disagreement
// point (the reservation values when nil).
func Solve(ctx context.Context, p *Problem, disagreement []float64) (*Solutions, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d, err := disagreementOf(p, disagreement)
	if err != nil {
		return nil, err
	}
	s, ok, err := newSpaceCtx(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	if !ok {
		return &Solutions{}, nil
	}
	f, err := s.frontier(ctx, p, FrontierOptions{})
	if err != nil {
		return nil, err
	}
	return s.solve(ctx, p, f, d)
}

func disagreementOf(p *Problem, d []float64) ([]float64, error) {
	if d == nil {
		return p.Reservation, nil
	}
	if len(d) != len(p.Parties) {
		return nil, fmt.Errorf("analysis: %d disagreement values for %d parties", len(d), len(p.Parties))
	}
	return d, nil
}

// solve finds the solutions from the frontier f of the space: when f is
// exact every solution is on it (each objective is non-decreasing, and ties
// are broken towards larger sums, so a dominated package never wins); when
// f is approximate its best vectors seed an exact branch and bound.
func (s *space) solve(ctx context.Context, p *Problem, f *FrontierResult, d []float64) (*Solutions, error) {
	front := make([]*Outcome, len(f.Outcomes))
	for i := range f.Outcomes {
		front[i] = &f.Outcomes[i]
	}
	best := func(obj objective) (*Outcome, error) {
		bo := bestOutcome(obj, front)
		if f.Epsilon == 0 {
			return bo, nil
		}
		return s.optimize(ctx, p, obj, bo)
	}
	sol := &Solutions{}
	var err error
	if sol.Nash, err = best(nashObj{d}); err != nil {
		return nil, err
	}
	if sol.Maximin, err = best(maximinObj{d}); err != nil {
		return nil, err
	}
	if sol.Utilitarian, err = best(sumObj{d}); err != nil {
		return nil, err
	}
	if sol.Utilitarian != nil {
		// Some package gives everyone their disagreement value: the ideal
		// point exists.
		ideal := make([]float64, len(d))
		for k := range ideal {
			o, err := best(partyObj{d, k})
			if err != nil {
				return nil, err
			}
			ideal[k] = o.Utilities[k]
		}
		if sol.KalaiSmorodinsky, err = best(ksObj{d, ideal}); err != nil {
			return nil, err
		}
	}
	return sol, nil
}

// bestOutcome returns the outcome of os that obj values most, ties going
// as better decides, or nil when obj admits none of them.
func bestOutcome(obj objective, os []*Outcome) *Outcome {
	var bo *Outcome
	var bv float64
	for _, o := range os {
		v, ok := obj.value(o.Utilities)
		if ok && better(v, o.Utilities, bv, utilitiesOf(bo)) {
			bo, bv = o, v
		}
	}
	return bo
}

func utilitiesOf(o *Outcome) []float64 {
	if o == nil {
		return nil
	}
	return o.Utilities
}

// optimize maximises obj over the space exactly, by the issue-by-issue
// merge with two prunings: dominated partial packages (a dominating one
// does at least as well whatever the remaining issues), and partial
// packages whose best conceivable completion (every party at its best on
// every remaining issue) cannot beat the incumbent. seed, when not nil, is
// the incumbent to start from.
func (s *space) optimize(ctx context.Context, p *Problem, obj objective, seed *Outcome) (*Outcome, error) {
	n := s.n
	// rest[j*n+k]: party k's best total over issues j.. of the space.
	rest := s.bestRest()
	bestV := math.Inf(-1)
	var bestU []float64
	if seed != nil {
		bestV, _ = obj.value(seed.Utilities)
		bestU = seed.Utilities
	}
	// The linear bound: restLin[j] is the best Σ λ_k u_k over issues j..
	lam, conv := obj.linear(s, bestU)
	var restLin []float64
	if lam != nil {
		// The package that maximises Σ λ_k u_k issue by issue is a cheap
		// incumbent, often the optimum itself.
		var choice []int
		var u []float64
		restLin, choice, u = s.linearBest(lam)
		if v, ok := obj.value(u); ok && better(v, u, bestV, bestU) {
			seed = p.outcome(s.pkg(choice))
			bestV, bestU = v, seed.Utilities
		}
	}
	m := &merged{n: n}
	cur := append([]float64(nil), s.offset...)
	opt := make([]float64, n)
	for j, si := range s.issues {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := len(si.opts)
		cnt := len(cur) / n
		cand := make([]float64, 0, cnt*k*n)
		var from []int
		for e := range cnt {
			if e%4096 == 4095 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			base := cur[e*n : e*n+n]
			for o := range k {
				ov := si.vals[o*n : o*n+n]
				for q := range n {
					opt[q] = base[q] + ov[q] + rest[(j+1)*n+q]
				}
				v, ok := obj.value(opt)
				if !ok || v < bestV-objTol {
					continue
				}
				if lam != nil {
					L := restLin[j+1]
					for q := range n {
						L += lam[q] * (base[q] + ov[q])
					}
					if conv(L) < bestV-objTol*(1+math.Abs(bestV)) {
						continue
					}
				}
				for q := range n {
					cand = append(cand, base[q]+ov[q])
				}
				from = append(from, e*k+o)
			}
		}
		if s.work != nil {
			*s.work += int64(len(from))
		}
		// Pruning every dominated partial package would cost time
		// quadratic in their number with three or more parties; pruning
		// some is as exact.
		cur = m.push(cand, someDominated(cand, n, 64), from, k)
	}
	m.vals = cur
	var best *Outcome
	for idx := range m.size() {
		u := cur[idx*n : idx*n+n]
		v, ok := obj.value(u)
		if ok && better(v, u, bestV, bestU) {
			best = p.outcome(s.pkg(m.choice(idx)))
			bestV, bestU = v, best.Utilities
		}
	}
	if best == nil {
		return seed, nil
	}
	return best, nil
}

// solveBB finds the solutions by branch and bound alone, with no frontier:
// a feasibility search gives a first incumbent, and each solution found
// seeds the searches after it.
func (s *space) solveBB(ctx context.Context, p *Problem, d []float64) (*Solutions, error) {
	sol := &Solutions{}
	c, err := s.feasible(ctx, d)
	if err != nil || c == nil {
		return sol, err
	}
	seeds := []*Outcome{p.outcome(s.pkg(c))}
	best := func(obj objective) (*Outcome, error) {
		o, err := s.optimize(ctx, p, obj, bestOutcome(obj, seeds))
		if o != nil {
			seeds = append(seeds, o)
		}
		return o, err
	}
	if sol.Maximin, err = best(maximinObj{d}); err != nil {
		return nil, err
	}
	if sol.Utilitarian, err = best(sumObj{d}); err != nil {
		return nil, err
	}
	if sol.Nash, err = best(nashObj{d}); err != nil {
		return nil, err
	}
	ideal := make([]float64, len(d))
	for k := range ideal {
		o, err := best(partyObj{d, k})
		if err != nil {
			return nil, err
		}
		ideal[k] = o.Utilities[k]
	}
	if sol.KalaiSmorodinsky, err = best(ksObj{d, ideal}); err != nil {
		return nil, err
	}
	return sol, nil
}
