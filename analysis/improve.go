package analysis

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// Improvements are the packages acceptable to all that every counted party
// weakly prefers to a baseline and some strictly prefer: the post-settlement
// step, where a mediator looks for a better package once one is on the
// table. They are the frontier and solutions of the same problem with each
// counted party's floor raised to its utility of the baseline.
type Improvements struct {
	Baseline Scored `json:"baseline"`
	// BaselineAcceptable is true when the baseline crosses no red line or
	// linkage of a counted party, nor one all hold.
	BaselineAcceptable bool `json:"baseline_acceptable"`
	// Possible is true when some package acceptable to all is at least as
	// good as the baseline for every counted party and better for one:
	// the baseline is then not Pareto-efficient.
	Possible bool `json:"possible"`
	// Pareto is the Pareto-improving part of the frontier: the
	// Pareto-optimal packages at least as good as the baseline for every
	// counted party (the baseline's own utilities left out), sorted by
	// decreasing utility of the first party, then of the next.
	Pareto []Scored `json:"pareto"`
	// Epsilon is set when Pareto is ε-approximate (too many packages for
	// an exact list): every Pareto-improving package is then within
	// Epsilon, for every party, of a listed one.
	Epsilon float64 `json:"epsilon,omitempty"`
	// Maximin is the improvement with the largest smallest gain over the
	// baseline (ties: the larger sum of utilities).
	Maximin *Scored `json:"maximin"`
	// Nash maximises the product of the gains over the baseline of the
	// counted parties that can gain at all (NashParties); the others keep
	// their baseline utility.
	Nash        *Scored  `json:"nash"`
	NashParties []string `json:"nash_parties"`

	maximinPkg, nashPkg Package
	paretoPkgs          []Package
}

// Improve returns the improvements over the package baseline of the
// compiled version. It is exact: the Pareto-improving packages come from
// the point-by-point merge of the frontier with every partial package
// that cannot reach a counted party's floor pruned, and the maximin and
// Nash improvements from branch and bound. Only when that frontier has
// more than DefaultFrontierLimit candidates in one step, with three or more
// counted parties, is it ε-approximate, which Epsilon says.
func Improve(ctx context.Context, c *Compiled, baseline Package) (*Improvements, error) {
	return improve(ctx, c, baseline)
}

func improve(ctx context.Context, c *Compiled, baseline Package) (*Improvements, error) {
	p := c.Problem
	imp := &Improvements{
		Baseline:           c.Scored(baseline),
		BaselineAcceptable: p.Acceptable(baseline),
		Pareto:             []Scored{},
		NashParties:        []string{},
	}
	b := p.Utilities(baseline)
	r, err := improvements(ctx, p, b, DefaultFrontierLimit)
	if err != nil {
		return nil, err
	}
	imp.Possible = r.possible
	imp.Epsilon = r.eps
	imp.paretoPkgs = r.pareto
	for _, pkg := range r.pareto {
		imp.Pareto = append(imp.Pareto, c.Scored(pkg))
	}
	if r.maximin != nil {
		s := c.Scored(r.maximin.Package)
		imp.Maximin, imp.maximinPkg = &s, r.maximin.Package
	}
	if r.nash != nil {
		s := c.Scored(r.nash.Package)
		imp.Nash, imp.nashPkg = &s, r.nash.Package
	}
	for k, a := range r.active {
		if a {
			imp.NashParties = append(imp.NashParties, p.Parties[k])
		}
	}
	return imp, nil
}

// improvement is what improvements finds.
type improvement struct {
	possible       bool
	pareto         []Package
	eps            float64
	maximin, nash  *Outcome
	active         []bool
	utilitarianSum float64
}

// improvements finds the improvements over the utilities b among the
// packages of p acceptable to all.
func improvements(ctx context.Context, p *Problem, b []float64, limit int) (*improvement, error) {
	r := &improvement{active: make([]bool, len(b))}
	s, ok := newSpace(p, nil)
	if !ok {
		return r, nil
	}
	// Is there a strict improvement at all? The largest sum among the
	// packages at least as good for everyone tells.
	u, err := s.optimize(ctx, p, sumObj{b}, nil)
	if err != nil || u == nil || !strictlyBetter(u.Utilities, b) {
		return r, err
	}
	r.possible = true
	r.utilitarianSum = sum(u.Utilities)
	if r.maximin, err = s.optimize(ctx, p, maximinObj{b}, nil); err != nil {
		return nil, err
	}
	for k := range b {
		o, err := s.optimize(ctx, p, partyObj{b, k}, nil)
		if err != nil {
			return nil, err
		}
		r.active[k] = o != nil && o.Utilities[k] > b[k]+tol
	}
	if r.nash, err = s.optimize(ctx, p, nashFloorObj{b, r.active}, nil); err != nil {
		return nil, err
	}
	r.pareto, r.eps, err = s.floorFrontier(ctx, p, b, limit)
	return r, err
}

// strictlyBetter reports whether u is at least b for every party, up to
// tol, and more for one.
func strictlyBetter(u, b []float64) bool {
	return covers(u, b) && !equal(u, b)
}

// nashFloorObj is the Nash product of the gains over d of the active
// parties, among the packages that give every party at least d and every
// active party more.
type nashFloorObj struct {
	d      []float64
	active []bool
}

func (o nashFloorObj) value(u []float64) (float64, bool) {
	v := 0.0
	for k, x := range u {
		g := x - o.d[k]
		if g < -tol {
			return math.Inf(-1), false
		}
		if !o.active[k] {
			continue
		}
		if g <= tol {
			return math.Inf(-1), false
		}
		v += math.Log(g)
	}
	return v, true
}

func (o nashFloorObj) linear(*space, []float64) ([]float64, func(float64) float64) {
	return nil, nil
}

// floorFrontier returns the Pareto-optimal packages of the space that give
// every party at least floor, and one party more: the frontier is merged
// point by point, as by merge, with the partial packages whose best
// completion falls short of some party's floor dropped. A package
// Pareto-optimal among those above the floors is Pareto-optimal among all,
// and a dominated partial package stays dominated whatever follows, so
// the pruning is exact. With three or more parties, a step of more than
// limit candidates switches to the ε-grid, and eps is then DefaultEpsilon.
func (s *space) floorFrontier(ctx context.Context, p *Problem, floor []float64, limit int) ([]Package, float64, error) {
	n := s.n
	levels := len(s.issues)
	rest := make([]float64, (levels+1)*n)
	for j := levels - 1; j >= 0; j-- {
		si := s.issues[j]
		for k := range n {
			mx := math.Inf(-1)
			for o := range si.opts {
				mx = math.Max(mx, si.vals[o*n+k])
			}
			rest[j*n+k] = rest[(j+1)*n+k] + mx
		}
	}
	m := &merged{n: n}
	cur := append([]float64(nil), s.offset...)
	approx := false
	budget := DefaultEpsilon
	for j, si := range s.issues {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		k := len(si.opts)
		cnt := len(cur) / n
		cand := make([]float64, 0, cnt*k*n)
		var from []int
		for e := range cnt {
			base := cur[e*n : e*n+n]
			for o := range k {
				ov := si.vals[o*n : o*n+n]
				reach := true
				for q := range n {
					if base[q]+ov[q]+rest[(j+1)*n+q] < floor[q]-tol {
						reach = false
						break
					}
				}
				if !reach {
					continue
				}
				for q := range n {
					cand = append(cand, base[q]+ov[q])
				}
				from = append(from, e*k+o)
			}
		}
		if len(from) == 0 {
			return nil, 0, nil
		}
		if !approx && n >= 3 && len(from) > limit {
			approx = true
		}
		var keep []int
		if approx {
			weight := 0.0
			for i := j; i < levels; i++ {
				weight += float64(i + 1)
			}
			delta := budget * float64(j+1) / weight
			budget -= delta
			keep, _ = gridFilter(cand, n, delta)
		} else {
			keep = paretoFilter(cand, n)
		}
		cur = m.push(cand, keep, from, k)
	}
	m.vals = cur
	var idx []int
	for i := range m.size() {
		u := cur[i*n : i*n+n]
		if strictlyBetter(u, floor) {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		for k := range n {
			if c := cmp.Compare(cur[b*n+k], cur[a*n+k]); c != 0 {
				return c
			}
		}
		return cmp.Compare(a, b)
	})
	out := make([]Package, len(idx))
	for i, e := range idx {
		out[i] = s.pkg(m.choice(e))
	}
	eps := 0.0
	if approx {
		eps = DefaultEpsilon
	}
	return out, eps, nil
}
