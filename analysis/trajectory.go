package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"parley/scenario"
)

// Trajectory is the text over time: every version as written, scored with
// the positions held at its date, and what changed for each party from one
// version to another.
type Trajectory struct {
	// Parties are the parties scored in some version, in the order of the
	// scenario's party list.
	Parties  []string       `json:"parties"`
	Versions []VersionScore `json:"versions"`
	// Changes compare consecutive versions, then any pairs asked for.
	Changes []VersionChange `json:"changes"`
}

// VersionChange is who gained and who lost from one version to another,
// and which points moved them.
type VersionChange struct {
	From string `json:"from"`
	To   string `json:"to"`
	// AsOf is the date of the positions with which the two texts are
	// compared point by point: those of To's date.
	AsOf string `json:"as_of,omitempty"`
	// Open lists the points open in either version; they are left out of
	// the contributions, and the totals are then null.
	Open    []string      `json:"open"`
	Parties []PartyChange `json:"parties"`
	// Points are the points whose contribution is not zero for some
	// party, in the order of the To version (points only in From last).
	Points []PointChange `json:"points"`
}

// PartyChange is one party's change from one version to the next.
type PartyChange struct {
	Party   string `json:"party"`
	Counted bool   `json:"counted"`
	// From and To are the party's utilities of the two versions as
	// written, each with the positions held at its own date; Change is
	// To − From. Null when the party holds no position then, or points are
	// open.
	From   *float64 `json:"from"`
	To     *float64 `json:"to"`
	Change *float64 `json:"change"`
	// Positions is the part of Change due to the party's positions moving
	// between the two dates; Text the part due to the text, the sum of the
	// points' contributions. Change = Positions + Text.
	Positions *float64 `json:"positions"`
	Text      *float64 `json:"text"`
	// ChangeMin and ChangeMax bound Change over every way of deciding the
	// points open in either version (each version with the positions of
	// its date); present only while points are open.
	ChangeMin *float64 `json:"change_min,omitempty"`
	ChangeMax *float64 `json:"change_max,omitempty"`
	// Verdict is "gained", "lost", "unchanged" or "unknown".
	Verdict string `json:"verdict"`
}

// PointChange is one point's contribution to each party's change.
type PointChange struct {
	Point string `json:"point"`
	// From and To are the options of the two versions; empty when the
	// point is not in that version (or dropped).
	From string `json:"from"`
	To   string `json:"to"`
	// Contributions are in the order of the change's parties: the party's
	// weighted utility of To's option less that of From's option, with the
	// positions of To's date; null for a party with no position then.
	Contributions []*float64 `json:"contributions"`
}

// Effect is the largest change, either way, that the point makes to a
// party's utility (0 when it moves no party with a position).
func (p PointChange) Effect() float64 {
	m := 0.0
	for _, c := range p.Contributions {
		if c != nil {
			m = max(m, math.Abs(*c))
		}
	}
	return m
}

// ByEffect returns the change's points, the largest effect first, in the
// order of the text among equal effects.
func (c VersionChange) ByEffect() []PointChange {
	points := slices.Clone(c.Points)
	slices.SortStableFunc(points, func(a, b PointChange) int { return cmp.Compare(b.Effect(), a.Effect()) })
	return points
}

// NewTrajectory scores every version of s as written, each with the
// positions held at its date (or at opt.AsOf, when set, for all), and
// compares consecutive versions and the pairs asked for. A version that
// cannot be compiled (with the what-if changes of opt, say) is skipped
// with a warning.
func NewTrajectory(s *scenario.Scenario, opt CompileOptions, pairs [][2]string) (*Trajectory, []Warning, error) {
	t := &Trajectory{Parties: []string{}, Versions: []VersionScore{}, Changes: []VersionChange{}}
	var warnings []Warning
	compiled := make(map[string]*Compiled)
	var order []string
	shown := make(map[string]bool)
	for _, v := range s.Versions {
		c, err := CompileVersion(s, v.ID, opt)
		if err != nil {
			warnings = append(warnings, Warning{Kind: VersionSkippedWarning, Version: v.ID, Message: fmt.Sprintf("version %s is left out of the trajectory: %v", v.ID, err)})
			continue
		}
		compiled[v.ID] = c
		order = append(order, v.ID)
		vs := ScoreVersion(c)
		vs.Package = nil // its utilities would follow this version's parties
		t.Versions = append(t.Versions, vs)
		for _, id := range c.All.Parties {
			shown[id] = true
		}
	}
	for _, p := range s.Parties {
		if shown[p.ID] {
			t.Parties = append(t.Parties, p.ID)
		}
	}
	// Consecutive pairs first, in order, then those asked for.
	var all [][2]string
	for i := 1; i < len(order); i++ {
		all = append(all, [2]string{order[i-1], order[i]})
	}
	pairs = append(all, pairs...)
	for _, pr := range pairs {
		a, okA := compiled[pr[0]]
		b, okB := compiled[pr[1]]
		if !okA || !okB {
			for _, id := range pr {
				if _, ok := s.Version(id); !ok {
					return nil, nil, fmt.Errorf("compare: scenario %s has no version %q", s.ID, id)
				}
			}
			continue // skipped, with a warning already
		}
		o := opt
		o.AsOf, o.Latest = b.AsOf, b.AsOf == ""
		ab, err := CompileVersion(s, pr[0], o)
		if err != nil {
			warnings = append(warnings, Warning{Kind: VersionSkippedWarning, Version: pr[0], Date: b.AsOf, Message: fmt.Sprintf("version %s cannot be compared with %s: %v", pr[0], pr[1], err)})
			continue
		}
		t.Changes = append(t.Changes, compare(s, a, b, ab))
	}
	return t, warnings, nil
}

// compare compares version a (compiled at its date) with b (at its date);
// ab is a compiled at b's date.
func compare(s *scenario.Scenario, a, b, ab *Compiled) VersionChange {
	pa, openA := a.Version.Proposal()
	pb, openB := b.Version.Proposal()
	vc := VersionChange{From: a.Version.ID, To: b.Version.ID, AsOf: b.AsOf, Open: []string{}, Parties: []PartyChange{}, Points: []PointChange{}}
	open := make(map[string]bool)
	for _, id := range append(append([]string(nil), openA...), openB...) {
		if !open[id] {
			open[id] = true
			vc.Open = append(vc.Open, id)
		}
	}
	var parties []string
	for _, p := range s.Parties {
		if a.index(p.ID) >= 0 || b.index(p.ID) >= 0 {
			parties = append(parties, p.ID)
		}
	}
	// The points of b, then those only in a.
	var points []string
	seen := make(map[string]bool)
	for _, c := range []*Compiled{b, ab} {
		for _, t := range c.points {
			if !seen[t.id] {
				seen[t.id] = true
				points = append(points, t.id)
			}
		}
	}
	text := make([]float64, len(parties))
	for _, pt := range points {
		if open[pt] {
			continue
		}
		pc := PointChange{Point: pt, From: pa[pt], To: pb[pt]}
		if _, ok := ab.pointIndex[pt]; !ok {
			pc.From = ""
		}
		if _, ok := b.pointIndex[pt]; !ok {
			pc.To = ""
		}
		moved := pc.From != pc.To
		for k, id := range parties {
			kb, kab := b.index(id), ab.index(id)
			if kb < 0 || kab < 0 {
				pc.Contributions = append(pc.Contributions, nil)
				continue
			}
			d := b.value(pt, pc.To, kb) - ab.value(pt, pc.From, kab)
			text[k] += d
			moved = moved || d > tol || d < -tol
			pc.Contributions = append(pc.Contributions, &d)
		}
		if moved {
			vc.Points = append(vc.Points, pc)
		}
	}
	sa, sb := ScoreVersion(a), ScoreVersion(b)
	for k, id := range parties {
		pc := PartyChange{Party: id, Verdict: "unknown"}
		if ka, kb := a.index(id), b.index(id); len(open) > 0 && ka >= 0 && kb >= 0 {
			lo := sb.Parties[kb].Min - sa.Parties[ka].Max
			hi := sb.Parties[kb].Max - sa.Parties[ka].Min
			pc.ChangeMin, pc.ChangeMax = &lo, &hi
		}
		kb := b.index(id)
		if kb >= 0 {
			pc.Counted = b.Counted[kb]
		} else {
			pc.Counted = a.Counted[a.index(id)]
		}
		ua, okA := a.written(id, pa, len(openA) == 0)
		ub, okB := b.written(id, pb, len(openB) == 0)
		uab, okAB := ab.written(id, pa, len(openA) == 0)
		if okA {
			pc.From = &ua
		}
		if okB {
			pc.To = &ub
		}
		if okB && okAB && len(open) == 0 {
			tx := text[k]
			pc.Text = &tx
		}
		if okA && okB {
			ch := ub - ua
			pc.Change = &ch
			switch {
			case ch > tol:
				pc.Verdict = "gained"
			case ch < -tol:
				pc.Verdict = "lost"
			default:
				pc.Verdict = "unchanged"
			}
			if okAB {
				ps := uab - ua
				pc.Positions = &ps
			}
		}
		vc.Parties = append(vc.Parties, pc)
	}
	return vc
}

// index returns the position of party id in c.All, or -1.
func (c *Compiled) index(id string) int {
	for k, p := range c.All.Parties {
		if p == id {
			return k
		}
	}
	return -1
}

// value returns what option opt of point pt is worth to party k of c.All:
// 0 when the version has no such point or the party no position on it.
func (c *Compiled) value(pt, opt string, k int) float64 {
	i, ok := c.pointIndex[pt]
	if !ok {
		return 0
	}
	t := c.points[i]
	for o, id := range t.options {
		if id == opt {
			return t.utility[o][k]
		}
	}
	return 0
}

// written returns party id's utility of the package proposed, when the
// party has a position and the package is complete.
func (c *Compiled) written(id string, proposed map[string]string, complete bool) (float64, bool) {
	k := c.index(id)
	if k < 0 || !complete {
		return 0, false
	}
	u := 0.0
	for _, t := range c.points {
		u += c.value(t.id, proposed[t.id], k)
	}
	return u, true
}
