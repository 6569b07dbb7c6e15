package analysis

import (
	"context"
	"math"
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
	// Epsilon is passed to the frontier computations.
	Epsilon float64
}

// maxRelaxChecks bounds the number of candidate sets tried.
var maxRelaxChecks = 2000

// Relaxations returns the smallest sets of constraints whose lifting opens
// a zone of agreement, with the solutions each would give, and the size of
// those sets. It returns no sets and size 0 when a zone of agreement exists
// already, and no sets and size -1 when lifting every constraint would not
// open one (the disagreement values are out of reach).
func Relaxations(ctx context.Context, p *Problem, d []float64, opt RelaxOptions) ([]Relaxation, int, error) {
	if err := p.Validate(); err != nil {
		return nil, 0, err
	}
	d, err := disagreementOf(p, d)
	if err != nil {
		return nil, 0, err
	}
	if opt.Max <= 0 {
		opt.Max = 10
	}
	open, err := zone(ctx, p, d, nil)
	if err != nil || open {
		return nil, 0, err
	}
	// With every constraint lifted, is there a zone at all?
	open, err = zone(ctx, p, d, func(int, int) bool { return true })
	if err != nil || !open {
		return nil, -1, err
	}

	// The blockers of each option, as distinct sets per issue, smallest
	// first; a relaxation lifts one set per issue (a package needs one
	// option per issue).
	type set struct {
		ids []int
		key string
	}
	sets := make([][]set, len(p.Issues))
	minCost := make([]int, len(p.Issues)+1)
	for i := len(p.Issues) - 1; i >= 0; i-- {
		seen := make(map[string]bool)
		for _, o := range p.Issues[i].Options {
			ids := uniqueSorted(o.Blockers)
			k := key(ids)
			if !seen[k] {
				seen[k] = true
				sets[i] = append(sets[i], set{ids, k})
			}
		}
		sort.SliceStable(sets[i], func(a, b int) bool { return len(sets[i][a].ids) < len(sets[i][b].ids) })
		minCost[i] = minCost[i+1] + len(sets[i][0].ids)
	}

	var out []Relaxation
	checks := 0
	chosen := make([][]int, len(p.Issues))
	var walk func(i, budget int) error
	walk = func(i, budget int) error {
		if len(out) >= opt.Max || checks >= maxRelaxChecks {
			return nil
		}
		if i == len(p.Issues) {
			if budget != 0 {
				return nil
			}
			checks++
			lifted := make(map[int]bool)
			for _, ids := range chosen {
				for _, b := range ids {
					lifted[b] = true
				}
			}
			ok, err := zone(ctx, p, d, liftedAllow(p, lifted))
			if err != nil || !ok {
				return err
			}
			r, err := relaxation(ctx, p, d, lifted, opt.Epsilon)
			if err != nil {
				return err
			}
			out = append(out, r)
			return nil
		}
		for _, s := range sets[i] {
			c := len(s.ids)
			if c+minCost[i+1] > budget {
				continue
			}
			chosen[i] = s.ids
			if err := walk(i+1, budget-c); err != nil {
				return err
			}
		}
		chosen[i] = nil
		return nil
	}
	// The smallest budget first: the first budget at which some set opens
	// a zone is the size of the smallest relaxations.
	for budget := minCost[0]; budget <= len(p.Constraints); budget++ {
		if err := walk(0, budget); err != nil {
			return nil, 0, err
		}
		if len(out) > 0 {
			return out, budget, nil
		}
		if checks >= maxRelaxChecks {
			break
		}
	}
	// Too many candidate sets to try them one by one: find the smallest
	// size, and one set of that size, by branch and bound.
	cost, pkg, err := minLiftCost(ctx, p, d)
	if err != nil || cost < 0 {
		return nil, -1, err
	}
	lifted := make(map[int]bool)
	for i, o := range pkg {
		for _, b := range p.Issues[i].Options[o].Blockers {
			lifted[b] = true
		}
	}
	r, err := relaxation(ctx, p, d, lifted, opt.Epsilon)
	if err != nil {
		return nil, 0, err
	}
	return []Relaxation{r}, cost, nil
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
// it gives.
func relaxation(ctx context.Context, p *Problem, d []float64, lifted map[int]bool, eps float64) (Relaxation, error) {
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
	s, _ := newSpace(p, liftedAllow(p, lifted))
	f, err := s.frontier(ctx, p, FrontierOptions{Epsilon: eps})
	if err != nil {
		return r, err
	}
	r.Solutions, err = s.solve(ctx, p, f, d)
	return r, err
}

// zone reports whether some package of the options allowed (acceptable to
// all when allowed is nil) gives every party at least d.
func zone(ctx context.Context, p *Problem, d []float64, allowed func(int, int) bool) (bool, error) {
	s, ok := newSpace(p, allowed)
	if !ok {
		return false, nil
	}
	o, err := s.optimize(ctx, p, maximinObj{d}, nil)
	return o != nil, err
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
