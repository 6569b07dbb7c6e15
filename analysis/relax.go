package analysis

import (
	"context"
	"math"
	"slices"
	"sort"
)

// Relaxation is a smallest set of constraints (red lines and linkages)
// whose lifting opens a zone of agreement: a package acceptable to all that
// gives every party at least its disagreement value. A lifted red line
// gives its holder the option's utility if lifted (0 unless the position
// says otherwise).
type Relaxation struct {
	Lift []Constraint `json:"lift"`
	// Parties are the holders of the lifted constraints.
	Parties []string `json:"parties"`
	// Solutions are the bargaining solutions once the constraints are
	// lifted.
	Solutions *Solutions `json:"solutions"`
}

// RelaxOptions tune Relaxations.
type RelaxOptions struct {
	// Max is the largest number of relaxations returned (default 10).
	Max int
	// Epsilon is kept for compatibility: the solutions of a relaxation are
	// found by exact branch and bound, which needs no frontier.
	Epsilon float64
}

// RelaxationCut says why a list of relaxations may be incomplete.
type RelaxationCut string

// The reasons a list of relaxations is cut short.
const (
	// CutAtMax: more smallest relaxations exist than the maximum asked
	// for.
	CutAtMax RelaxationCut = "max_relaxations"
	// CutByBudget: the search for them stopped at its work budget
	// (MaxRelaxWork); others of the same size may exist.
	CutByBudget RelaxationCut = "work_budget"
)

// RelaxResult is the outcome of RelaxationSearch.
type RelaxResult struct {
	Relaxations []Relaxation
	// Size is the size of the smallest relaxations: 0 when a zone of
	// agreement is open already, -1 when lifting every constraint opens
	// none.
	Size int
	// Cut is empty when Relaxations lists every smallest relaxation, else
	// why it does not.
	Cut RelaxationCut
}

// MaxRelaxWork bounds the work of the search for relaxations: the partial
// packages and candidate sets it looks at, about a second's work. Past it
// the search reports what it has found, says that the list is cut, and
// finds the size of the smallest relaxations by one branch and bound.
const MaxRelaxWork = 4_000_000

// relaxWork is MaxRelaxWork, lowered by tests.
var relaxWork int64 = MaxRelaxWork

// Relaxations returns the smallest sets of constraints whose lifting opens
// a zone of agreement, with the solutions each would give, and the size of
// those sets. It returns no sets and size 0 when a zone of agreement exists
// already, and no sets and size -1 when lifting every constraint would not
// open one (the disagreement values are out of reach). RelaxationSearch
// also says whether the list is complete.
func Relaxations(ctx context.Context, p *Problem, d []float64, opt RelaxOptions) ([]Relaxation, int, error) {
	r, err := RelaxationSearch(ctx, p, d, opt)
	if err != nil {
		return nil, 0, err
	}
	return r.Relaxations, r.Size, nil
}

// RelaxationSearch is Relaxations telling also whether the list is cut.
//
// The search tries sizes from the smallest up. For one size it walks the
// issues, choosing for each a set of its constraints to lift (the blockers
// of one of its options); every constraint belongs to one issue, so the
// sizes add up. A partial choice is abandoned as soon as, even with the
// best options the remaining budget could unlock, some party would fall
// short of its disagreement value, or a weighted sum of the parties' gains
// would be negative (a Lagrangian bound). A complete choice is checked by
// a feasibility search that stops at the first package that gives every
// party its disagreement value.
func RelaxationSearch(ctx context.Context, p *Problem, d []float64, opt RelaxOptions) (*RelaxResult, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d, err := disagreementOf(p, d)
	if err != nil {
		return nil, err
	}
	if opt.Max <= 0 {
		opt.Max = 10
	}
	var work int64
	s, ok, err := newSpaceCtx(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	if ok {
		s.work = &work
		c, err := s.feasible(ctx, d)
		if err != nil {
			return nil, err
		}
		if c != nil {
			return &RelaxResult{}, nil
		}
	}
	all, _, err := newSpaceCtx(ctx, p, func(int, int) bool { return true })
	if err != nil {
		return nil, err
	}
	all.work = &work
	if c, err := all.feasible(ctx, d); err != nil || c == nil {
		return &RelaxResult{Size: -1}, err
	}
	rs := newRelaxSearch(p, d, all)
	rs.work = &work
	res := &RelaxResult{}
	for budget := rs.minCost[0]; budget <= len(p.Constraints); budget++ {
		rs.prepare(budget)
		if err := rs.walk(ctx, 0, budget, opt.Max+1); err != nil {
			return nil, err
		}
		if len(rs.found) > 0 || rs.stopped {
			res.Size = budget
			break
		}
	}
	if len(rs.found) == 0 {
		// Out of budget before any was found: the size by branch and
		// bound, and the one set it finds.
		cost, pkg, err := minLiftCost(ctx, p, d)
		if err != nil || cost < 0 {
			return &RelaxResult{Size: -1}, err
		}
		lifted := make(map[int]bool)
		for i, o := range pkg {
			for _, b := range p.Issues[i].Options[o].Blockers {
				lifted[b] = true
			}
		}
		rs.found = append(rs.found, lifted)
		res.Size = cost
	}
	switch {
	case len(rs.found) > opt.Max:
		res.Cut = CutAtMax
		rs.found = rs.found[:opt.Max]
	case rs.stopped:
		res.Cut = CutByBudget
	}
	for _, lifted := range rs.found {
		r, err := relaxation(ctx, p, d, lifted)
		if err != nil {
			return nil, err
		}
		res.Relaxations = append(res.Relaxations, r)
	}
	return res, nil
}

// relaxSearch holds what the search over candidate sets needs.
type relaxSearch struct {
	p *Problem
	d []float64
	n int
	// sets[i] are the distinct blocker sets of issue i's options, smallest
	// first; best[i][j] is each party's best utility among the options that
	// set j unlocks (those whose blockers it includes), lin[i][j] their
	// best λ-score.
	sets    [][][]int
	best    [][][]float64
	lin     [][]float64
	minCost []int
	lam     []float64
	lamD    float64
	// For the budget being tried: rest[j][b] is each party's best total
	// over issues j.. when each may lift up to b constraints, restLin[j][b]
	// the same for the λ-score.
	rest    [][][]float64
	restLin [][]float64

	chosen  [][]int
	u       []float64
	found   []map[int]bool
	work    *int64
	stopped bool
}

func newRelaxSearch(p *Problem, d []float64, all *space) *relaxSearch {
	n := len(p.Parties)
	m := len(p.Issues)
	rs := &relaxSearch{p: p, d: d, n: n, minCost: make([]int, m+1), chosen: make([][]int, m), u: make([]float64, n)}
	ones := make([]float64, n)
	for k := range ones {
		ones[k] = 1
	}
	rs.lam, _ = minLinear(all, d, ones)
	if rs.lam == nil {
		rs.lam = ones
	}
	for k := range n {
		rs.lamD += rs.lam[k] * d[k]
	}
	rs.sets = make([][][]int, m)
	rs.best = make([][][]float64, m)
	rs.lin = make([][]float64, m)
	for i := m - 1; i >= 0; i-- {
		is := &p.Issues[i]
		seen := make(map[string]bool)
		for _, o := range is.Options {
			ids := uniqueSorted(o.Blockers)
			if k := key(ids); !seen[k] {
				seen[k] = true
				rs.sets[i] = append(rs.sets[i], ids)
			}
		}
		sort.SliceStable(rs.sets[i], func(a, b int) bool { return len(rs.sets[i][a]) < len(rs.sets[i][b]) })
		for _, set := range rs.sets[i] {
			bv := make([]float64, n)
			for k := range bv {
				bv[k] = math.Inf(-1)
			}
			bl := math.Inf(-1)
			for _, o := range is.Options {
				if !subset(o.Blockers, set) {
					continue
				}
				sc := 0.0
				for k, x := range o.Utility {
					bv[k] = math.Max(bv[k], x)
					sc += rs.lam[k] * x
				}
				bl = math.Max(bl, sc)
			}
			rs.best[i] = append(rs.best[i], bv)
			rs.lin[i] = append(rs.lin[i], bl)
		}
		rs.minCost[i] = rs.minCost[i+1] + len(rs.sets[i][0])
	}
	return rs
}

// subset reports whether every id of a is in the sorted list b.
func subset(a, b []int) bool {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			return false
		}
	}
	return true
}

// prepare computes the bounds for a budget.
func (rs *relaxSearch) prepare(budget int) {
	m, n := len(rs.p.Issues), rs.n
	rs.rest = make([][][]float64, m+1)
	rs.restLin = make([][]float64, m+1)
	rs.rest[m] = make([][]float64, budget+1)
	rs.restLin[m] = make([]float64, budget+1)
	for b := range budget + 1 {
		rs.rest[m][b] = make([]float64, n)
	}
	for i := m - 1; i >= 0; i-- {
		rs.rest[i] = make([][]float64, budget+1)
		rs.restLin[i] = make([]float64, budget+1)
		for b := range budget + 1 {
			bv := make([]float64, n)
			for k := range bv {
				bv[k] = math.Inf(-1)
			}
			bl := math.Inf(-1)
			for j, set := range rs.sets[i] {
				if len(set) > b {
					break
				}
				for k := range n {
					bv[k] = math.Max(bv[k], rs.best[i][j][k])
				}
				bl = math.Max(bl, rs.lin[i][j])
			}
			for k := range n {
				bv[k] += rs.rest[i+1][b][k]
			}
			rs.rest[i][b] = bv
			rs.restLin[i][b] = bl + rs.restLin[i+1][b]
		}
	}
}

// walk chooses the sets of issues i.. with budget constraints left to
// lift, and collects up to want candidate sets that open a zone.
func (rs *relaxSearch) walk(ctx context.Context, i, budget, want int) error {
	if len(rs.found) >= want || rs.stopped {
		return nil
	}
	*rs.work++
	if *rs.work > relaxWork {
		rs.stopped = true
		return nil
	}
	if *rs.work%1024 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	m, n := len(rs.p.Issues), rs.n
	if i == m {
		if budget != 0 {
			return nil
		}
		lifted := make(map[int]bool)
		for _, ids := range rs.chosen {
			for _, b := range ids {
				lifted[b] = true
			}
		}
		s, ok, err := newSpaceCtx(ctx, rs.p, liftedAllow(rs.p, lifted))
		if err != nil || !ok {
			return err
		}
		s.work = rs.work
		c, err := s.feasible(ctx, rs.d)
		if err != nil {
			return err
		}
		if c != nil {
			rs.found = append(rs.found, lifted)
		}
		return nil
	}
	saved := append([]float64(nil), rs.u...)
	for j, set := range rs.sets[i] {
		c := len(set)
		if c+rs.minCost[i+1] > budget {
			break // the sets are by increasing size
		}
		left := budget - c
		ok := true
		lin := 0.0
		for k := range n {
			x := saved[k] + rs.best[i][j][k]
			if x+rs.rest[i+1][left][k] < rs.d[k]-tol {
				ok = false
				break
			}
			rs.u[k] = x
			lin += rs.lam[k] * x
		}
		if !ok || lin+rs.restLin[i+1][left] < rs.lamD-tol*float64(m+1) {
			continue
		}
		rs.chosen[i] = set
		if err := rs.walk(ctx, i+1, left, want); err != nil {
			return err
		}
		if len(rs.found) >= want || rs.stopped {
			break
		}
	}
	copy(rs.u, saved)
	rs.chosen[i] = nil
	return nil
}

// liftedAllow allows the options all of whose blockers are lifted.
func liftedAllow(p *Problem, lifted map[int]bool) func(issue, option int) bool {
	return func(is, o int) bool {
		for _, b := range p.Issues[is].Options[o].Blockers {
			if !lifted[b] {
				return false
			}
		}
		return true
	}
}

// relaxation describes lifting the constraints lifted, with the solutions
// it gives, found by exact branch and bound.
func relaxation(ctx context.Context, p *Problem, d []float64, lifted map[int]bool) (Relaxation, error) {
	var r Relaxation
	var ids []int
	for b := range lifted {
		ids = append(ids, b)
	}
	sort.Ints(ids)
	holders := make(map[string]bool)
	for _, b := range ids {
		r.Lift = append(r.Lift, p.Constraints[b])
		holders[p.Constraints[b].Party] = true
	}
	r.Parties = orderedParties(p, holders)
	s, _, err := newSpaceCtx(ctx, p, liftedAllow(p, lifted))
	if err != nil {
		return r, err
	}
	r.Solutions, err = s.solveBB(ctx, p, d)
	return r, err
}

// zone reports whether some package of the options allowed (acceptable to
// all when allowed is nil) gives every party at least d.
func zone(ctx context.Context, p *Problem, d []float64, allowed func(int, int) bool) (bool, error) {
	s, ok, err := newSpaceCtx(ctx, p, allowed)
	if err != nil || !ok {
		return false, err
	}
	c, err := s.feasible(ctx, d)
	return c != nil, err
}

// minLiftCost returns the fewest constraints whose lifting opens a zone of
// agreement and a package that needs no more, or -1 when none does. The number of constraints a package
// crosses adds up over the issues (every constraint belongs to one issue),
// so it is one more additive objective: the engine minimises it subject to
// every party getting at least d.
func minLiftCost(ctx context.Context, p *Problem, d []float64) (int, Package, error) {
	n := len(p.Parties)
	aug := &Problem{
		Parties:     append(append([]string(nil), p.Parties...), "lifted"),
		Reservation: append(append([]float64(nil), d...), math.Inf(-1)),
	}
	for _, is := range p.Issues {
		ai := Issue{Points: is.Points}
		for _, o := range is.Options {
			u := append(append([]float64(nil), o.Utility...), -float64(len(uniqueSorted(o.Blockers))))
			ai.Options = append(ai.Options, Option{Choices: o.Choices, Utility: u})
		}
		aug.Issues = append(aug.Issues, ai)
	}
	s, _ := newSpace(aug, nil)
	o, err := s.optimize(ctx, aug, partyObj{aug.Reservation, n}, nil)
	if err != nil || o == nil {
		return -1, nil, err
	}
	return int(math.Round(-o.Utilities[n])), o.Package, nil
}

func uniqueSorted(ids []int) []int {
	out := append([]int(nil), ids...)
	sort.Ints(out)
	j := 0
	for i, b := range out {
		if i == 0 || b != out[j-1] {
			out[j] = b
			j++
		}
	}
	return out[:j]
}

func key(ids []int) string {
	b := make([]byte, 0, 4*len(ids))
	for _, id := range ids {
		b = append(b, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
	}
	return string(b)
}
