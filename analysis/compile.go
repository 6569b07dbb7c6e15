package analysis

import (
	"fmt"
	"sort"
	"strings"

	"parley/scenario"
)

// maxJointOptions bounds the number of option combinations of points joined
// by linkages into one issue.
const maxJointOptions = 1 << 20

// Participants returns the ids of the parties that take part in the analysis
// of version v: every party that is not an observer and holds a position on
// at least one point of v, in the order of the scenario's party list.
func Participants(s *scenario.Scenario, v *scenario.Version) []string {
	inVersion := make(map[string]bool)
	for _, pt := range v.Points() {
		if pt.Status != scenario.StatusDropped {
			inVersion[pt.ID] = true
		}
	}
	held := make(map[string]bool)
	for _, pos := range s.Positions {
		for _, pp := range pos.Points {
			if inVersion[pp.Point] {
				held[pos.Party] = true
			}
		}
	}
	var ids []string
	for _, p := range s.Parties {
		if p.Role != scenario.RoleObserver && held[p.ID] {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// Compile reduces version versionID of a scenario (the last version when
// empty) to a Problem. Points whose status is dropped are left out. Points
// joined by linkages become one issue whose options are the combinations of
// their options; a combination that breaks a linkage is blocked by it.
func Compile(s *scenario.Scenario, versionID string) (*Problem, error) {
	v, ok := s.Version(versionID)
	if !ok {
		if versionID == "" {
			return nil, fmt.Errorf("scenario %s has no versions", s.ID)
		}
		return nil, fmt.Errorf("scenario %s has no version %q", s.ID, versionID)
	}
	parties := Participants(s, v)
	if len(parties) == 0 {
		return nil, fmt.Errorf("version %s: no party holds a position on any of its points", v.ID)
	}
	pidx := make(map[string]int, len(parties))
	for i, id := range parties {
		pidx[id] = i
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

	p := &Problem{Parties: parties, Reservation: make([]float64, len(parties))}
	// Each party's coefficient per point: its weight, divided by the sum of
	// its weights on the version's points unless its weights are as given.
	coef := make([]map[string]float64, len(parties))
	share := make([]map[string]float64, len(parties))
	stance := make([]map[string]map[string]scenario.OptionStance, len(parties))
	for k, id := range parties {
		party, _ := s.Party(id)
		p.Reservation[k] = party.Reservation
		coef[k] = make(map[string]float64)
		share[k] = make(map[string]float64)
		stance[k] = make(map[string]map[string]scenario.OptionStance)
		total := 0.0
		for pi, pos := range s.Positions {
			if pos.Party != id {
				continue
			}
			for qi, pp := range pos.Points {
				j, ok := ptIndex[pp.Point]
				if !ok {
					continue
				}
				coef[k][pp.Point] = pp.Weight
				total += pp.Weight
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
		for _, o := range pt.Options {
			sg := single{id: o.ID, utility: make([]float64, len(parties))}
			for k, id := range parties {
				c, ok := coef[k][pt.ID]
				if !ok {
					continue
				}
				st := stance[k][pt.ID][o.ID]
				sg.utility[k] = c * st.Value()
				if st.Stance == scenario.RedLine {
					p.Constraints = append(p.Constraints, Constraint{Kind: RedLineConstraint, Party: id, Point: pt.ID, Option: o.ID})
					sg.blockers = append(sg.blockers, len(p.Constraints)-1)
				}
			}
			singles[i] = append(singles[i], sg)
		}
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
	return p, p.Validate()
}

// breaks reports whether the chosen options break the linkage.
func breaks(lk scenario.Linkage, chosen map[string]string) bool {
	if chosen[lk.If.Point] != lk.If.Option {
		return false
	}
	took := chosen[lk.Then.Point] == lk.Then.Option
	if lk.Kind == scenario.Excludes {
		return took
	}
	return !took
}
