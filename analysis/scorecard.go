package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Scored is a package with every party's utility: the counted parties' in
// Utilities, in the order of the analysis' "parties", and the others' in
// NotCountedUtilities, in the order of its "not_counted". Its JSON form
// has the one shape of every package, {"package": …, "utilities": […]}.
type Scored struct {
	Package             map[string]string `json:"package"`
	Utilities           []float64         `json:"utilities"`
	NotCountedUtilities []float64         `json:"not_counted_utilities,omitempty"`
}

// Scored returns the package pkg (a package of c.All and of c.Problem)
// with every party's utility.
func (c *Compiled) Scored(pkg Package) Scored {
	u, o := c.split(c.All.Utilities(pkg))
	return Scored{Package: c.All.Choices(pkg), Utilities: u, NotCountedUtilities: o}
}

// Package returns the package of the problem that picks the given option of
// each point. Every point of the version must be named, unless open is
// true: then the points left out are returned as open, and the package
// picks option 0 on them.
func (c *Compiled) Package(choices map[string]string, open bool) (Package, []string, error) {
	for pt, o := range choices {
		i, ok := c.pointIndex[pt]
		if !ok {
			return nil, nil, fmt.Errorf("version %s has no point %q (or it is dropped)", c.Version.ID, pt)
		}
		found := false
		for _, id := range c.points[i].options {
			found = found || id == o
		}
		if !found {
			return nil, nil, fmt.Errorf("point %s has no option %q in version %s (options: %s)", pt, o, c.Version.ID, strings.Join(c.points[i].options, ", "))
		}
	}
	var missing []string
	for _, t := range c.points {
		if _, ok := choices[t.id]; !ok {
			missing = append(missing, t.id)
		}
	}
	if len(missing) > 0 && !open {
		return nil, missing, fmt.Errorf("the package leaves points open: %s", strings.Join(missing, ", "))
	}
	pkg := make(Package, len(c.All.Issues))
	for i, is := range c.All.Issues {
		for o, opt := range is.Options {
			if consistent(is, opt, choices) {
				pkg[i] = o
				break
			}
		}
	}
	return pkg, missing, nil
}

// consistent reports whether the option picks the chosen option of every
// point of the issue that choices names.
func consistent(is Issue, o Option, choices map[string]string) bool {
	for j, pt := range is.Points {
		if want, ok := choices[pt]; ok && o.Choices[j] != want {
			return false
		}
	}
	return true
}

// VersionScore is a version of the text as written, scored for every party
// with the positions held at one date.
type VersionScore struct {
	Version string `json:"version"`
	Title   string `json:"title,omitempty"`
	Date    string `json:"date,omitempty"`
	// AsOf is the date of the positions used; empty for the latest.
	AsOf string `json:"as_of,omitempty"`
	// Proposed maps each point with a proposed option (settled points
	// included) to it; Open lists the points still open, in text order.
	Proposed map[string]string `json:"proposed"`
	Open     []string          `json:"open"`
	// Package is the package as written, with the utilities of the
	// analysis' counted parties; absent while points are open, and in the
	// versions of a trajectory, whose parties may differ from version to
	// version (their utilities are in Parties).
	Package *Scored `json:"package,omitempty"`
	// Parties scores every party with a position, counted or not.
	Parties []PartyScore `json:"parties"`
	// Crossed are the red lines and linkages, of every party, that the
	// proposed options cross whatever the open points become.
	Crossed []Constraint `json:"crossed"`
	// AcceptableToAll: the package crosses no red line or linkage of a
	// counted party, nor one all hold; ReservationMet: it gives every
	// counted party at least its reservation value. Both are null when
	// points are open.
	AcceptableToAll *bool `json:"acceptable_to_all"`
	ReservationMet  *bool `json:"reservation_met"`
}

// PartyScore is one party's view of a version as written.
type PartyScore struct {
	Party   string `json:"party"`
	Counted bool   `json:"counted"`
	// Utility is the party's utility of the package as written; null when
	// points are open.
	Utility *float64 `json:"utility"`
	// Min and Max bound the party's utility over every way of deciding
	// the open points (both equal Utility when none is open);
	// AcceptableMin and AcceptableMax over the ways acceptable to all,
	// null when there is none.
	Min           float64  `json:"min"`
	Max           float64  `json:"max"`
	AcceptableMin *float64 `json:"acceptable_min"`
	AcceptableMax *float64 `json:"acceptable_max"`
	Reservation   float64  `json:"reservation"`
	// Crossed are the party's own red lines and linkages that the version
	// crosses.
	Crossed []Constraint `json:"crossed"`
}

// Scorecard is the analysed version as written: its VersionScore, whether
// some package acceptable to all is at least as good for every counted
// party and better for one, and how far it is from the Nash and
// Kalai–Smorodinsky packages. The dominance part is present only when no
// point is open.
type Scorecard struct {
	VersionScore
	// ParetoEfficient is true when no package acceptable to all is at
	// least as good for every counted party and better for one.
	ParetoEfficient *bool `json:"pareto_efficient"`
	// DominatedBy is the part of the Pareto frontier that dominates the
	// package: every Pareto-optimal package at least as good for every
	// counted party (ε-approximate when Epsilon is set).
	DominatedBy []Scored `json:"dominated_by"`
	Epsilon     float64  `json:"dominated_by_epsilon,omitempty"`
	// Nash and KalaiSmorodinsky compare the package with those solutions;
	// null when the solution or the package does not exist.
	Nash             *Distance `json:"nash"`
	KalaiSmorodinsky *Distance `json:"kalai_smorodinsky"`
}

// Distance compares a package as written with a solution.
type Distance struct {
	// Distance is the Euclidean distance between their utility vectors
	// (counted parties).
	Distance float64 `json:"distance"`
	// Gaps are the solution's utility less the written package's, per
	// counted party.
	Gaps []float64 `json:"gaps"`
	// Points are the points on which they differ.
	Points []string `json:"points"`
}

// HasProposal reports whether the version states what it proposes: some
// point names a proposed option, or no point is open.
func (c *Compiled) HasProposal() bool {
	_, open := c.Version.Proposal()
	if len(open) == 0 {
		return true
	}
	for _, pt := range c.Version.Points() {
		if pt.Proposed != "" {
			return true
		}
	}
	return false
}

// ScoreVersion scores the compiled version as written.
func ScoreVersion(c *Compiled) VersionScore {
	proposed, open := c.Version.Proposal()
	vs := VersionScore{
		Version: c.Version.ID, Title: c.Version.Title, Date: c.Version.Date, AsOf: c.AsOf,
		Proposed: proposed, Open: open, Crossed: []Constraint{},
	}
	if vs.Open == nil {
		vs.Open = []string{}
	}
	all := c.All
	n := len(all.Parties)
	lo, hi := make([]float64, n), make([]float64, n)
	alo, ahi := make([]float64, n), make([]float64, n)
	acceptable := true
	crossed := make(map[int]bool)
	for i, is := range all.Issues {
		var carried map[int]int
		cnt := 0
		first := true
		aFirst := true
		imin, imax := make([]float64, n), make([]float64, n)
		amin, amax := make([]float64, n), make([]float64, n)
		for o, opt := range is.Options {
			if !consistent(is, opt, proposed) {
				continue
			}
			cnt++
			if carried == nil {
				carried = make(map[int]int)
			}
			for _, b := range uniqueSorted(opt.Blockers) {
				carried[b]++
			}
			for k, u := range opt.Utility {
				if first || u < imin[k] {
					imin[k] = u
				}
				if first || u > imax[k] {
					imax[k] = u
				}
			}
			first = false
			if len(c.Problem.Issues[i].Options[o].Blockers) > 0 {
				continue
			}
			for k, u := range opt.Utility {
				if aFirst || u < amin[k] {
					amin[k] = u
				}
				if aFirst || u > amax[k] {
					amax[k] = u
				}
			}
			aFirst = false
		}
		for b, m := range carried {
			if m == cnt {
				crossed[b] = true
			}
		}
		if aFirst {
			acceptable = false
		}
		for k := range n {
			lo[k] += imin[k]
			hi[k] += imax[k]
			alo[k] += amin[k]
			ahi[k] += amax[k]
		}
	}
	var ids []int
	for b := range crossed {
		ids = append(ids, b)
	}
	sort.Ints(ids)
	for _, b := range ids {
		vs.Crossed = append(vs.Crossed, all.Constraints[b])
	}
	complete := len(open) == 0
	var pkg Package
	if complete {
		pkg, _, _ = c.Package(proposed, false)
		sc := c.Scored(pkg)
		vs.Package = &sc
		ok := c.Problem.Acceptable(pkg)
		vs.AcceptableToAll = &ok
		u := c.Problem.Utilities(pkg)
		met := true
		for k := range u {
			met = met && u[k] >= c.Problem.Reservation[k]-tol
		}
		vs.ReservationMet = &met
	}
	for k, id := range all.Parties {
		ps := PartyScore{Party: id, Counted: c.Counted[k], Min: lo[k], Max: hi[k], Reservation: all.Reservation[k], Crossed: []Constraint{}}
		if complete {
			u := lo[k]
			ps.Utility = &u
		}
		if acceptable {
			a, b := alo[k], ahi[k]
			ps.AcceptableMin, ps.AcceptableMax = &a, &b
		}
		for _, con := range vs.Crossed {
			if con.Party == id {
				ps.Crossed = append(ps.Crossed, con)
			}
		}
		vs.Parties = append(vs.Parties, ps)
	}
	return vs
}

// NewScorecard scores the compiled version as written and, when it leaves
// no point open, compares it with the packages acceptable to all and with
// the solutions sol (nil when not computed).
func NewScorecard(ctx context.Context, c *Compiled, sol *Solutions) (*Scorecard, error) {
	sc := &Scorecard{VersionScore: ScoreVersion(c), DominatedBy: []Scored{}}
	if sc.Package == nil {
		return sc, nil
	}
	pkg, _, err := c.Package(sc.Proposed, false)
	if err != nil {
		return nil, err
	}
	imp, err := improve(ctx, c, pkg)
	if err != nil {
		return nil, err
	}
	eff := !imp.Possible
	sc.ParetoEfficient = &eff
	sc.DominatedBy = imp.Pareto
	sc.Epsilon = imp.Epsilon
	if sol != nil {
		sc.Nash = distance(c, pkg, sol.Nash)
		sc.KalaiSmorodinsky = distance(c, pkg, sol.KalaiSmorodinsky)
	}
	return sc, nil
}

func distance(c *Compiled, pkg Package, o *Outcome) *Distance {
	if o == nil || len(o.Package) != len(pkg) {
		return nil
	}
	u := c.Problem.Utilities(pkg)
	d := &Distance{Points: []string{}}
	sq := 0.0
	for k := range u {
		g := o.Utilities[k] - u[k]
		d.Gaps = append(d.Gaps, g)
		sq += g * g
	}
	d.Distance = math.Sqrt(sq)
	a, b := c.All.Choices(pkg), c.All.Choices(o.Package)
	for _, t := range c.points {
		if a[t.id] != b[t.id] {
			d.Points = append(d.Points, t.id)
		}
	}
	return d
}

// PointOptions returns the option ids of point pt in the compiled version,
// and false when the version has no such point (or it is dropped).
func (c *Compiled) PointOptions(pt string) ([]string, bool) {
	i, ok := c.pointIndex[pt]
	if !ok {
		return nil, false
	}
	return append([]string(nil), c.points[i].options...), true
}
