package analysis

import (
	"cmp"
	"context"
	"math"
	"slices"

	"parley/scenario"
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
	// BaselineCrosses are the red lines and linkages the baseline crosses
	// that count: of counted parties, or held by all.
	BaselineCrosses []Constraint `json:"baseline_crosses"`
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
	// an exact list): every Pareto-improving package that gives every
	// counted party at least Epsilon more than the baseline is then within
	// Epsilon, for every party, of a listed one. One closer to the
	// baseline may have none: what stands for it in the approximation can
	// fall below the baseline, and is then no improvement.
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
		BaselineCrosses:    []Constraint{},
	}
	var crossed []int
	for i, o := range baseline {
		crossed = append(crossed, p.Issues[i].Options[o].Blockers...)
	}
	for _, b := range uniqueSorted(crossed) {
		imp.BaselineCrosses = append(imp.BaselineCrosses, p.Constraints[b])
	}
	b := p.Utilities(baseline)
	r, err := improvements(ctx, p, b, DefaultFrontierLimit)
	if err != nil {
		return nil, err
	}
	imp.Possible = r.possible
	imp.Epsilon = r.eps
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
	possible      bool
	pareto        []Package
	eps           float64
	maximin, nash *Outcome
	active        []bool
}

// improvements finds the improvements over the utilities b among the
// packages of p acceptable to all. The Pareto-improving frontier comes
// first; when it is exact, every objective's optimum is on it (each is
// non-decreasing, and ties go to the larger sum), as in solve; when it is
// ε-approximate, its best vector seeds an exact branch and bound.
func improvements(ctx context.Context, p *Problem, b []float64, limit int) (*improvement, error) {
	r := &improvement{active: make([]bool, len(b))}
	s, ok := newSpace(p, nil)
	if !ok {
		return r, nil
	}
	var err error
	r.pareto, r.eps, err = s.floorFrontier(ctx, p, b, limit)
	if err != nil {
		return nil, err
	}
	front := make([]*Outcome, len(r.pareto))
	for i, pkg := range r.pareto {
		front[i] = p.outcome(pkg)
	}
	best := func(obj objective, seed *Outcome) (*Outcome, error) {
		bo := bestOutcome(obj, front)
		if r.eps == 0 {
			return bo, nil
		}
		if bo == nil {
			bo = seed
		}
		return s.optimize(ctx, p, obj, bo)
	}
	// Is there a strict improvement at all? The largest sum among the
	// packages at least as good for everyone tells; the baseline itself
	// seeds the search when the approximate frontier has nothing.
	u, err := best(sumObj{b}, &Outcome{Utilities: b})
	if err != nil || u == nil || !strictlyBetter(u.Utilities, b) {
		r.pareto = nil
		return r, err
	}
	r.possible = true
	if r.maximin, err = best(maximinObj{b}, u); err != nil {
		return nil, err
	}
	for k := range b {
		o, err := best(partyObj{b, k}, u)
		if err != nil {
			return nil, err
		}
		r.active[k] = o != nil && o.Utilities[k] > b[k]+tol
	}
	nash := nashFloorObj{b, r.active}
	var seed *Outcome
	if _, ok := nash.value(u.Utilities); ok {
		seed = u
	}
	if r.nash, err = best(nash, seed); err != nil {
		return nil, err
	}
	return r, nil
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

// linear is nashObj's bound over the active parties: by the inequality of
// arithmetic and geometric means, with λ_k = 1/g_k at the seed.
func (o nashFloorObj) linear(_ *space, seed []float64) ([]float64, func(float64) float64) {
	lam := make([]float64, len(o.d))
	m, dl, logLam := 0, 0.0, 0.0
	for k := range lam {
		if !o.active[k] {
			continue
		}
		m++
		lam[k] = 1
		if seed != nil && seed[k]-o.d[k] > tol {
			lam[k] = 1 / (seed[k] - o.d[k])
		}
		dl += lam[k] * o.d[k]
		logLam += math.Log(lam[k])
	}
	if m == 0 {
		return nil, nil
	}
	return lam, func(L float64) float64 {
		if L-dl <= 0 {
			return math.Inf(-1)
		}
		return float64(m)*math.Log((L-dl)/float64(m)) - logLam
	}
}

// floorFrontier returns the Pareto-optimal packages of the space that give
// every party at least floor, and one party more, by merge with the floor.
// With three or more parties, a step of more than limit candidates
// switches to the ε-approximation, and eps is then the ε reached.
func (s *space) floorFrontier(ctx context.Context, p *Problem, floor []float64, limit int) ([]Package, float64, error) {
	n := s.n
	m, err := s.merge(ctx, mergeOptions{limit: limit, floor: floor})
	if err != nil {
		return nil, 0, err
	}
	if m.size() == 0 {
		return nil, m.eps, nil
	}
	cur := m.vals
	var idx []int
	for i := range len(cur) / n {
		if strictlyBetter(cur[i*n:i*n+n], floor) {
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
	return out, m.eps, nil
}

// ImprovementReport is the improvements over a baseline in one version of
// a scenario, self-contained: the JSON contract of "parley improve --json"
// (docs/analysis.md).
type ImprovementReport struct {
	Scenario string `json:"scenario"`
	Title    string `json:"title"`
	Version  string `json:"version"`
	// Parties are the counted parties, in the order of every utilities
	// array; NotCounted the parties shown but not counted, in the order of
	// every not_counted_utilities array.
	Parties               []string  `json:"parties"`
	Reservation           []float64 `json:"reservation"`
	NotCounted            []string  `json:"not_counted"`
	NotCountedReservation []float64 `json:"not_counted_reservation"`
	AsOf                  string    `json:"as_of,omitempty"`
	// BaselineSource says where the baseline comes from: "version v1",
	// "package" (given on the command line), "file NAME", or several.
	BaselineSource string        `json:"baseline_source"`
	Changes        []Change      `json:"changes"`
	Warnings       []Warning     `json:"warnings"`
	Improvements   *Improvements `json:"improvements"`
	// Concessions are what each party gives up in the baseline and in the
	// maximin and Nash improvements ("baseline", "improvements.maximin",
	// "improvements.nash").
	Concessions []Concessions `json:"concessions"`
}

// NewImprovementReport finds the improvements over baseline in the
// compiled version c of s.
func NewImprovementReport(ctx context.Context, s *scenario.Scenario, c *Compiled, baseline Package, source string) (*ImprovementReport, error) {
	imp, err := Improve(ctx, c, baseline)
	if err != nil {
		return nil, err
	}
	r := &ImprovementReport{
		Scenario: s.ID, Title: s.Title, Version: c.Version.ID,
		Parties: c.Problem.Parties, Reservation: c.Problem.Reservation,
		NotCounted: []string{}, NotCountedReservation: []float64{},
		AsOf: c.AsOf, BaselineSource: source,
		Changes:      append([]Change{}, c.Changes...),
		Warnings:     append([]Warning{}, c.Warnings...),
		Improvements: imp,
		Concessions:  []Concessions{c.Concede("baseline", baseline)},
	}
	for k, id := range c.All.Parties {
		if !c.Counted[k] {
			r.NotCounted = append(r.NotCounted, id)
			r.NotCountedReservation = append(r.NotCountedReservation, c.All.Reservation[k])
		}
	}
	if imp.maximinPkg != nil {
		r.Concessions = append(r.Concessions, c.Concede("improvements.maximin", imp.maximinPkg))
	}
	if imp.nashPkg != nil {
		r.Concessions = append(r.Concessions, c.Concede("improvements.nash", imp.nashPkg))
	}
	return r, nil
}
