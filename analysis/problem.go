// Package analysis is parley's analysis engine: agreement maps, red-line
// conflicts, the Pareto frontier of the packages acceptable to all, the
// bargaining solutions (Nash, Kalai–Smorodinsky, maximin, utilitarian), the
// smallest relaxations that open a zone of agreement, and the sensitivity of
// the Nash package. It does no I/O.
//
// The engine works on a Problem: issues with options whose utilities add up
// (linear additive utility, as in GENIUS). It never enumerates the packages
// where additivity allows otherwise: frontiers are merged issue by issue with
// dominance pruning, and solutions are found by branch and bound.
package analysis

import (
	"fmt"
	"math"
	"math/big"
)

// Problem is a negotiation reduced to numbers. A package picks one option
// of every issue; its utility for a party is the sum of the chosen options'
// utilities for that party.
type Problem struct {
	// Parties are the ids of the parties, in the order of every utility
	// vector.
	Parties []string
	// Reservation is each party's utility of no agreement.
	Reservation []float64
	Issues      []Issue
	// Constraints are the red lines and linkages that make options
	// unacceptable; Option.Blockers index into it.
	Constraints []Constraint
}

// Issue is a point of the text, or several points joined by linkages, which
// are then decided together.
type Issue struct {
	// Points are the ids of the scenario points the issue decides; most
	// issues decide one point.
	Points  []string
	Options []Option
	// Weights are each party's share of its total weight on the issue's
	// points, or nil when unknown.
	Weights []float64
}

// Option is an alternative for an issue.
type Option struct {
	// Choices are the option ids chosen for each of the issue's Points.
	Choices []string
	// Utility is each party's utility contribution.
	Utility []float64
	// Blockers are the constraints (indexes into Problem.Constraints) that
	// make this option unacceptable; empty when acceptable to all.
	Blockers []int
}

// ConstraintKind tells red lines from linkages.
type ConstraintKind string

// Constraint kinds.
const (
	RedLineConstraint ConstraintKind = "red_line"
	LinkageConstraint ConstraintKind = "linkage"
)

// Constraint is something that can be lifted to open a zone of agreement: a
// party's red line on one option, or a linkage.
type Constraint struct {
	Kind ConstraintKind `json:"kind"`
	// Party is the holder's id, or "all" for a linkage every party holds.
	Party string `json:"party"`
	// Point and Option name the option of a red line, or the "if" side of a
	// linkage.
	Point  string `json:"point"`
	Option string `json:"option"`
	// Linkage is the id of the linkage, when Kind is linkage.
	Linkage string `json:"linkage,omitempty"`
}

func (c Constraint) String() string {
	if c.Kind == LinkageConstraint {
		return fmt.Sprintf("linkage %s (%s)", c.Linkage, c.Party)
	}
	return fmt.Sprintf("%s's red line on %s=%s", c.Party, c.Point, c.Option)
}

// Package is one option index per issue of a Problem.
type Package []int

// Utilities returns each party's utility of the package.
func (p *Problem) Utilities(pkg Package) []float64 {
	u := make([]float64, len(p.Parties))
	for i, o := range pkg {
		for k, v := range p.Issues[i].Options[o].Utility {
			u[k] += v
		}
	}
	return u
}

// Acceptable reports whether no constraint blocks the package.
func (p *Problem) Acceptable(pkg Package) bool {
	for i, o := range pkg {
		if len(p.Issues[i].Options[o].Blockers) > 0 {
			return false
		}
	}
	return true
}

// Choices maps each point id to the option id the package picks.
func (p *Problem) Choices(pkg Package) map[string]string {
	m := make(map[string]string)
	for i, o := range pkg {
		is := &p.Issues[i]
		for j, pt := range is.Points {
			m[pt] = is.Options[o].Choices[j]
		}
	}
	return m
}

// Outcomes returns the number of packages, acceptable or not.
func (p *Problem) Outcomes() *big.Int {
	n := big.NewInt(1)
	for _, is := range p.Issues {
		n.Mul(n, big.NewInt(int64(len(is.Options))))
	}
	return n
}

// Validate checks that the problem is well formed.
func (p *Problem) Validate() error {
	n := len(p.Parties)
	if n == 0 {
		return fmt.Errorf("analysis: no parties")
	}
	if len(p.Reservation) != n {
		return fmt.Errorf("analysis: %d reservation values for %d parties", len(p.Reservation), n)
	}
	for i, is := range p.Issues {
		if len(is.Options) == 0 {
			return fmt.Errorf("analysis: issue %d (%v) has no options", i, is.Points)
		}
		for j, o := range is.Options {
			if len(o.Utility) != n {
				return fmt.Errorf("analysis: issue %d option %d has %d utilities for %d parties", i, j, len(o.Utility), n)
			}
			for _, v := range o.Utility {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("analysis: issue %d option %d has utility %v", i, j, v)
				}
			}
			for _, b := range o.Blockers {
				if b < 0 || b >= len(p.Constraints) {
					return fmt.Errorf("analysis: issue %d option %d has blocker %d of %d", i, j, b, len(p.Constraints))
				}
			}
		}
	}
	return nil
}
