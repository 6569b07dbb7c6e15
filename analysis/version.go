package analysis

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"parley/scenario"
)

// CompileOptions tune CompileVersion.
type CompileOptions struct {
	// AsOf is the date (YYYY-MM-DD) whose positions are used; empty means
	// the version's date, or each party's latest position for a version
	// without a date.
	AsOf string
	// Latest, with AsOf empty, uses each party's latest position whatever
	// the version's date.
	Latest bool
	// Count, when not nil, lists the parties counted in the fair packages
	// for this analysis, overriding each party's Bargains.
	Count []string
	// Changes are what-if changes (lift, reservation, weight) applied for
	// this analysis only; CountChange is not accepted here (use Count).
	Changes []Change
}

// ChangeKind says what a what-if change changes.
type ChangeKind string

// Change kinds.
const (
	// LiftChange treats a party's red line on an option as lifted: the
	// option becomes acceptable to the party, worth its utility if lifted.
	LiftChange ChangeKind = "lift"
	// ReservationChange sets a party's reservation value.
	ReservationChange ChangeKind = "reservation"
	// WeightChange sets a party's weight on a point.
	WeightChange ChangeKind = "weight"
	// CountChange sets the parties counted in the fair packages.
	CountChange ChangeKind = "count"
)

// Change is a what-if change applied to the scenario for one analysis,
// without editing the file. The output states every change applied.
type Change struct {
	Kind  ChangeKind `json:"kind"`
	Party string     `json:"party,omitempty"`
	// Point and Option name the red line lifted, or the point reweighted.
	Point  string `json:"point,omitempty"`
	Option string `json:"option,omitempty"`
	// From and To are the old and new values: the reservation value or the
	// weight; for a lift, To is what the option is worth to the party.
	From *float64 `json:"from,omitempty"`
	To   *float64 `json:"to,omitempty"`
	// Parties are the parties counted, for a count change.
	Parties []string `json:"parties,omitempty"`
}

func (c Change) String() string {
	num := func(p *float64) string {
		if p == nil {
			return "?"
		}
		return fmt.Sprintf("%g", *p)
	}
	switch c.Kind {
	case LiftChange:
		return fmt.Sprintf("%s's red line on %s=%s lifted (the option is worth %s to %s)", c.Party, c.Point, c.Option, num(c.To), c.Party)
	case ReservationChange:
		return fmt.Sprintf("%s's reservation value set to %s (was %s)", c.Party, num(c.To), num(c.From))
	case WeightChange:
		return fmt.Sprintf("%s's weight on %s set to %s (was %s)", c.Party, c.Point, num(c.To), num(c.From))
	case CountChange:
		return "counted in the fair packages: " + strings.Join(c.Parties, ", ")
	}
	return string(c.Kind)
}

// WarningKind says what a Warning is about, for code that reacts to it.
type WarningKind string

// Warning kinds.
const (
	// NoPositionWarning: a party holds positions on the version's points,
	// but none as of the date used; it is left out of the analysis.
	NoPositionWarning WarningKind = "no_position"
	// VersionSkippedWarning: a version of the text could not be scored
	// (Message says why).
	VersionSkippedWarning WarningKind = "version_skipped"
)

// Warning is something a reader of the analysis must know, typed so that
// code can react to it without matching its wording.
type Warning struct {
	Kind    WarningKind `json:"kind"`
	Party   string      `json:"party,omitempty"`
	Version string      `json:"version,omitempty"`
	// Date is the date of the positions concerned.
	Date    string `json:"date,omitempty"`
	Message string `json:"message"`
}

// Compiled is one version of a scenario reduced to numbers, with the
// positions held at one date.
type Compiled struct {
	// Problem holds the parties counted in the fair packages; the
	// frontier, the solutions, the relaxations and the sensitivity are
	// computed on it. Only their red lines, and linkages they or all hold,
	// block packages in it.
	Problem *Problem
	// All holds every party with a position on the version, counted or
	// not, in the order of the scenario's party list, with the constraints
	// of every one of them. Its issues and options are those of Problem,
	// index for index, so a Package of one is a Package of the other.
	All *Problem
	// Counted tells, per party of All, whether it is counted.
	Counted []bool
	Version *scenario.Version
	// AsOf is the date of the positions used; empty for each party's
	// latest position.
	AsOf     string
	Changes  []Change
	Warnings []Warning

	points     []pointTable
	pointIndex map[string]int
}

// pointTable is what each option of one point is worth to each party of
// All: its weight coefficient times the option's utility.
type pointTable struct {
	id      string
	options []string
	utility [][]float64 // per option, per party of All
	weighs  []bool      // per party of All: it has a position on the point
}

// NotCounted returns the ids of the parties shown but not counted, in the
// order of All.
func (c *Compiled) NotCounted() []string {
	var out []string
	for k, id := range c.All.Parties {
		if !c.Counted[k] {
			out = append(out, id)
		}
	}
	return out
}

// split returns the utilities of All's parties u as those of the counted
// parties and of the others.
func (c *Compiled) split(u []float64) (counted, others []float64) {
	counted = []float64{}
	for k, x := range u {
		if c.Counted[k] {
			counted = append(counted, x)
		} else {
			others = append(others, x)
		}
	}
	return counted, others
}

// Participants returns the ids of the parties that take part in the
// analysis of version v: every party that holds, at the version's date, a
// position on at least one point of v, in the order of the scenario's
// party list. Whether each is counted in the fair packages is another
// matter (see scenario.Party.Counted).
func Participants(s *scenario.Scenario, v *scenario.Version) []string {
	return participants(s, v, s.PositionsAt(v.Date))
}

func participants(s *scenario.Scenario, v *scenario.Version, held []*scenario.Position) []string {
	inVersion := make(map[string]bool)
	for _, pt := range v.Points() {
		if pt.Status != scenario.StatusDropped {
			inVersion[pt.ID] = true
		}
	}
	has := make(map[string]bool)
	for _, pos := range held {
		for _, pp := range pos.Points {
			if inVersion[pp.Point] {
				has[pos.Party] = true
			}
		}
	}
	var ids []string
	for _, p := range s.Parties {
		if has[p.ID] {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// CompileVersion reduces version versionID of s (the last when empty) to
// numbers, with the positions held at opt.AsOf (by default the version's
// date), the parties counted by opt.Count (by default those that bargain)
// and the what-if changes of opt.Changes applied.
func CompileVersion(s *scenario.Scenario, versionID string, opt CompileOptions) (*Compiled, error) {
	v, ok := s.Version(versionID)
	if !ok {
		if versionID == "" {
			return nil, fmt.Errorf("scenario %s has no versions", s.ID)
		}
		return nil, fmt.Errorf("scenario %s has no version %q", s.ID, versionID)
	}
	asOf := opt.AsOf
	if asOf == "" && !opt.Latest {
		asOf = v.Date
	}
	c := &Compiled{Version: v, AsOf: asOf, pointIndex: make(map[string]int)}
	held := s.PositionsAt(asOf)
	parties := participants(s, v, held)
	// Parties with positions on the version, none of them held yet.
	later := participants(s, v, func() []*scenario.Position {
		var all []*scenario.Position
		for i := range s.Positions {
			all = append(all, &s.Positions[i])
		}
		return all
	}())
	for _, id := range later {
		if !slices.Contains(parties, id) {
			c.Warnings = append(c.Warnings, Warning{
				Kind: NoPositionWarning, Party: id, Version: v.ID, Date: asOf,
				Message: fmt.Sprintf("%s holds no position as of %s (its positions start later); it is left out", id, asOf),
			})
		}
	}
	if len(parties) == 0 {
		return nil, fmt.Errorf("version %s: no party holds a position on any of its points%s", v.ID, asOfPhrase(asOf))
	}
	pidx := make(map[string]int, len(parties))
	for i, id := range parties {
		pidx[id] = i
	}
	position := make(map[string]*scenario.Position)
	positionIndex := make(map[*scenario.Position]int)
	for i := range s.Positions {
		positionIndex[&s.Positions[i]] = i
	}
	for _, q := range held {
		position[q.Party] = q
	}
	var points []*scenario.Point
	for _, pt := range v.Points() {
		if pt.Status != scenario.StatusDropped {
			points = append(points, pt)
		}
	}
	ptIndex := make(map[string]int, len(points))
	for i, pt := range points {
		ptIndex[pt.ID] = i
	}

	// What-if changes.
	reservation := make(map[string]float64)
	weight := make(map[string]map[string]float64)
	lifted := make(map[[3]string]bool)
	stanceOf := func(party, point string) *scenario.PointPosition {
		q := position[party]
		if q == nil {
			return nil
		}
		for i := range q.Points {
			if q.Points[i].Point == point {
				return &q.Points[i]
			}
		}
		return nil
	}
	for _, ch := range opt.Changes {
		party, ok := s.Party(ch.Party)
		if !ok {
			return nil, fmt.Errorf("%s: unknown party %q", ch.Kind, ch.Party)
		}
		if ch.To == nil && ch.Kind != LiftChange {
			return nil, fmt.Errorf("%s: no value given for %s", ch.Kind, ch.Party)
		}
		switch ch.Kind {
		case ReservationChange:
			if _, ok := pidx[ch.Party]; !ok {
				return nil, fmt.Errorf("reservation: %s holds no position on version %s%s", ch.Party, v.ID, asOfPhrase(asOf))
			}
			from := party.Reservation
			ch.From = &from
			reservation[ch.Party] = *ch.To
		case WeightChange:
			if _, ok := ptIndex[ch.Point]; !ok {
				return nil, fmt.Errorf("weight: version %s has no point %q (or it is dropped)", v.ID, ch.Point)
			}
			pp := stanceOf(ch.Party, ch.Point)
			if pp == nil {
				return nil, fmt.Errorf("weight: %s holds no position on point %s%s", ch.Party, ch.Point, asOfPhrase(asOf))
			}
			if *ch.To < 0 {
				return nil, fmt.Errorf("weight: %s's weight on %s must not be negative, got %g", ch.Party, ch.Point, *ch.To)
			}
			from := pp.Weight
			ch.From = &from
			if weight[ch.Party] == nil {
				weight[ch.Party] = make(map[string]float64)
			}
			weight[ch.Party][ch.Point] = *ch.To
		case LiftChange:
			if _, ok := ptIndex[ch.Point]; !ok {
				return nil, fmt.Errorf("lift: version %s has no point %q (or it is dropped)", v.ID, ch.Point)
			}
			pp := stanceOf(ch.Party, ch.Point)
			found := false
			if pp != nil {
				for _, os := range pp.Options {
					if os.Option == ch.Option && os.Stance == scenario.RedLine {
						found = true
						val := os.Value()
						ch.To = &val
					}
				}
			}
			if !found {
				return nil, fmt.Errorf("lift: %s has no red line on %s=%s%s", ch.Party, ch.Point, ch.Option, asOfPhrase(asOf))
			}
			lifted[[3]string{ch.Party, ch.Point, ch.Option}] = true
		default:
			return nil, fmt.Errorf("unknown what-if change %q", ch.Kind)
		}
		c.Changes = append(c.Changes, ch)
	}

	// Who is counted.
	c.Counted = make([]bool, len(parties))
	if opt.Count != nil {
		for _, id := range opt.Count {
			if _, ok := s.Party(id); !ok {
				return nil, fmt.Errorf("count: unknown party %q", id)
			}
			k, ok := pidx[id]
			if !ok {
				return nil, fmt.Errorf("count: %s holds no position on version %s%s", id, v.ID, asOfPhrase(asOf))
			}
			c.Counted[k] = true
		}
		var ids []string
		for k, id := range parties {
			if c.Counted[k] {
				ids = append(ids, id)
			}
		}
		c.Changes = append(c.Changes, Change{Kind: CountChange, Parties: ids})
	} else {
		for k, id := range parties {
			party, _ := s.Party(id)
			c.Counted[k] = party.Counted()
		}
	}
	if !slices.Contains(c.Counted, true) {
		return nil, fmt.Errorf("version %s: none of the parties with a position (%s) bargains; count some for this analysis (parley analyze --count)", v.ID, strings.Join(parties, ", "))
	}

	p := &Problem{Parties: parties, Reservation: make([]float64, len(parties))}
	// Each party's coefficient per point: its weight, divided by the sum of
	// its weights on the version's points unless its weights are as given.
	coef := make([]map[string]float64, len(parties))
	share := make([]map[string]float64, len(parties))
	stance := make([]map[string]map[string]scenario.OptionStance, len(parties))
	for k, id := range parties {
		party, _ := s.Party(id)
		p.Reservation[k] = party.Reservation
		if r, ok := reservation[id]; ok {
			p.Reservation[k] = r
		}
		coef[k] = make(map[string]float64)
		share[k] = make(map[string]float64)
		stance[k] = make(map[string]map[string]scenario.OptionStance)
		total := 0.0
		pos := position[id]
		pi := positionIndex[pos]
		for qi, pp := range pos.Points {
			j, ok := ptIndex[pp.Point]
			if !ok {
				continue
			}
			w := pp.Weight
			if nw, ok := weight[id][pp.Point]; ok {
				w = nw
			}
			coef[k][pp.Point] = w
			total += w
			m := make(map[string]scenario.OptionStance, len(pp.Options))
			for _, os := range pp.Options {
				m[os.Option] = os
			}
			stance[k][pp.Point] = m
			for _, o := range points[j].Options {
				if _, ok := m[o.ID]; !ok {
					return nil, &scenario.PathError{
						Path: []any{"positions", pi, "points", qi},
						Msg:  fmt.Sprintf("the position of %s on point %s gives no stance on option %s, which the point has in version %s", id, pp.Point, o.ID, v.ID),
					}
				}
			}
		}
		if total <= 0 && party.Weights != scenario.WeightsAsGiven {
			return nil, fmt.Errorf("version %s: %s's weights on the version's points add up to %g", v.ID, id, total)
		}
		for pt, w := range coef[k] {
			share[k][pt] = w / total
			if party.Weights != scenario.WeightsAsGiven {
				coef[k][pt] = w / total
			}
		}
	}

	// Per point: each option's utility vector and red-line blockers.
	type single struct {
		id       string
		utility  []float64
		blockers []int
	}
	singles := make([][]single, len(points))
	for i, pt := range points {
		tab := pointTable{id: pt.ID, weighs: make([]bool, len(parties))}
		for k := range parties {
			_, tab.weighs[k] = coef[k][pt.ID]
		}
		for _, o := range pt.Options {
			sg := single{id: o.ID, utility: make([]float64, len(parties))}
			for k, id := range parties {
				cf, ok := coef[k][pt.ID]
				if !ok {
					continue
				}
				st := stance[k][pt.ID][o.ID]
				sg.utility[k] = cf * st.Value()
				if st.Stance == scenario.RedLine && !lifted[[3]string{id, pt.ID, o.ID}] {
					p.Constraints = append(p.Constraints, Constraint{Kind: RedLineConstraint, Party: id, Point: pt.ID, Option: o.ID})
					sg.blockers = append(sg.blockers, len(p.Constraints)-1)
				}
			}
			singles[i] = append(singles[i], sg)
			tab.options = append(tab.options, o.ID)
			tab.utility = append(tab.utility, sg.utility)
		}
		c.pointIndex[pt.ID] = len(c.points)
		c.points = append(c.points, tab)
	}

	// Linkages whose points are both in the version join those points.
	type link struct {
		constraint int
		lk         scenario.Linkage
	}
	var links []link
	parent := make([]int, len(points))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, lk := range s.Linkages {
		a, okA := ptIndex[lk.If.Point]
		b, okB := ptIndex[lk.Then.Point]
		if !okA || !okB {
			continue
		}
		if lk.Holder != scenario.HolderAll {
			if _, ok := pidx[lk.Holder]; !ok {
				continue // held by a party that does not take part
			}
		}
		p.Constraints = append(p.Constraints, Constraint{Kind: LinkageConstraint, Party: lk.Holder, Point: lk.If.Point, Option: lk.If.Option, Linkage: lk.ID})
		links = append(links, link{len(p.Constraints) - 1, lk})
		parent[find(a)] = find(b)
	}
	groups := make(map[int][]int)
	var roots []int
	for i := range points {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	sort.Slice(roots, func(a, b int) bool { return groups[roots[a]][0] < groups[roots[b]][0] })

	for _, r := range roots {
		members := groups[r]
		is := Issue{Weights: make([]float64, len(parties))}
		size := 1
		for _, i := range members {
			is.Points = append(is.Points, points[i].ID)
			for k := range parties {
				is.Weights[k] += share[k][points[i].ID]
			}
			size *= len(singles[i])
			if size > maxJointOptions {
				return nil, fmt.Errorf("version %s: the points %s, joined by linkages, have more than %d option combinations", v.ID, strings.Join(is.Points, ", "), maxJointOptions)
			}
		}
		idx := make([]int, len(members))
		for {
			o := Option{Utility: make([]float64, len(parties))}
			chosen := make(map[string]string, len(members))
			for j, i := range members {
				sg := singles[i][idx[j]]
				o.Choices = append(o.Choices, sg.id)
				chosen[points[i].ID] = sg.id
				for k, u := range sg.utility {
					o.Utility[k] += u
				}
				o.Blockers = append(o.Blockers, sg.blockers...)
			}
			if len(members) > 1 {
				for _, l := range links {
					if breaks(l.lk, chosen) {
						o.Blockers = append(o.Blockers, l.constraint)
					}
				}
			}
			is.Options = append(is.Options, o)
			// Next combination, last member fastest.
			j := len(members) - 1
			for ; j >= 0; j-- {
				idx[j]++
				if idx[j] < len(singles[members[j]]) {
					break
				}
				idx[j] = 0
			}
			if j < 0 {
				break
			}
		}
		p.Issues = append(p.Issues, is)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c.All = p
	c.Problem = project(p, c.Counted)
	return c, c.Problem.Validate()
}

// project returns p restricted to the parties kept: their utilities and
// weights, and the constraints they hold or all hold.
func project(p *Problem, keep []bool) *Problem {
	q := &Problem{}
	held := make(map[string]bool)
	for k, id := range p.Parties {
		if keep[k] {
			q.Parties = append(q.Parties, id)
			q.Reservation = append(q.Reservation, p.Reservation[k])
			held[id] = true
		}
	}
	remap := make([]int, len(p.Constraints))
	for i, con := range p.Constraints {
		remap[i] = -1
		if con.Party == scenario.HolderAll || held[con.Party] {
			remap[i] = len(q.Constraints)
			q.Constraints = append(q.Constraints, con)
		}
	}
	pick := func(u []float64) []float64 {
		if u == nil {
			return nil
		}
		out := make([]float64, 0, len(q.Parties))
		for k, x := range u {
			if keep[k] {
				out = append(out, x)
			}
		}
		return out
	}
	for _, is := range p.Issues {
		qi := Issue{Points: is.Points, Weights: pick(is.Weights)}
		for _, o := range is.Options {
			qo := Option{Choices: o.Choices, Utility: pick(o.Utility)}
			for _, b := range o.Blockers {
				if remap[b] >= 0 {
					qo.Blockers = append(qo.Blockers, remap[b])
				}
			}
			qi.Options = append(qi.Options, qo)
		}
		q.Issues = append(q.Issues, qi)
	}
	return q
}

func asOfPhrase(asOf string) string {
	if asOf == "" {
		return ""
	}
	return " as of " + asOf
}
