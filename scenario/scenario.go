// Package scenario holds parley's model of a negotiation: the parties, the
// versions of the single negotiating text (blocks of points with options),
// each party's confidential positions, and linkages between points. It also
// reads and checks the scenario file format (YAML or JSON, one schema).
//
// The package does no analysis; see package analysis for that.
package scenario

import (
	"slices"
	"strings"
)

// FormatVersion is the value of the top-level "parley" field that this
// package reads and writes.
const FormatVersion = 1

// Scenario is one negotiation: the table, its text through its versions, and
// what each party thinks of it.
type Scenario struct {
	Parley      int    `yaml:"parley" json:"parley"`
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Disclaimer says how far the numbers can be trusted (for example that
	// weights and utilities are illustrative). Reports repeat it.
	Disclaimer string `yaml:"disclaimer,omitempty" json:"disclaimer,omitempty"`
	// Categories extends the built-in list of point categories.
	Categories []string   `yaml:"categories,omitempty" json:"categories,omitempty"`
	Parties    []Party    `yaml:"parties" json:"parties"`
	Versions   []Version  `yaml:"versions" json:"versions"`
	Positions  []Position `yaml:"positions,omitempty" json:"positions,omitempty"`
	Linkages   []Linkage  `yaml:"linkages,omitempty" json:"linkages,omitempty"`
	// Timeline lists the meetings and rounds of the talks, oldest first.
	Timeline []Event `yaml:"timeline,omitempty" json:"timeline,omitempty"`
}

// Role is what a party does at the table.
type Role string

// The roles a party can have.
const (
	RoleMediator Role = "mediator"
	RoleParty    Role = "party"
	RoleObserver Role = "observer"
)

// Weighting says how a party's point weights turn into a utility.
type Weighting string

// Weightings. Normalized divides the weighted sum by the sum of the weights,
// so that utilities lie in [0,1] whatever the weights add up to; AsGiven uses
// the weights as written (the GENIUS convention, where weights add up to 1).
const (
	WeightsNormalized Weighting = "normalized"
	WeightsAsGiven    Weighting = "as_given"
)

// Party is a delegation at the table.
type Party struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	Role Role   `yaml:"role" json:"role"`
	// Reservation is the utility of no agreement (BATNA), in [0,1].
	Reservation float64  `yaml:"reservation" json:"reservation"`
	Aliases     []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Weights is "normalized" (the default) or "as_given".
	Weights Weighting `yaml:"weights,omitempty" json:"weights,omitempty"`
	// Discount is the discount factor d in (0,1] used by simulations, as in
	// GENIUS: a utility u reached at normalised time t in [0,1] (the share
	// of the deadline gone) is worth u·d^t; 0 means none.
	Discount float64 `yaml:"discount,omitempty" json:"discount,omitempty"`
	// Bargains says whether the party is counted in the fair packages
	// (frontier, solutions, relaxations, sensitivity); nil means the
	// default of its role: parties bargain, mediators and observers do not.
	Bargains *bool `yaml:"bargains,omitempty" json:"bargains,omitempty"`
}

// Counted reports whether the party bargains: its Bargains field when
// set, else whether its role is RoleParty.
func (p *Party) Counted() bool {
	if p.Bargains != nil {
		return *p.Bargains
	}
	return p.Role == RoleParty
}

// Version is an immutable snapshot of the text.
type Version struct {
	ID     string  `yaml:"id" json:"id"`
	Title  string  `yaml:"title" json:"title"`
	Date   string  `yaml:"date,omitempty" json:"date,omitempty"` // YYYY-MM-DD
	Author string  `yaml:"author,omitempty" json:"author,omitempty"`
	Note   string  `yaml:"note,omitempty" json:"note,omitempty"`
	Parent string  `yaml:"parent,omitempty" json:"parent,omitempty"`
	Blocks []Block `yaml:"blocks" json:"blocks"`
}

// Block is a group of points in a version of the text.
type Block struct {
	ID     string  `yaml:"id" json:"id"`
	Title  string  `yaml:"title" json:"title"`
	Points []Point `yaml:"points" json:"points"`
}

// Point is a numbered point of the text. Its id is stable across versions;
// its number may change. A point with one option is settled text, a point
// with several is an issue.
type Point struct {
	ID       string   `yaml:"id" json:"id"`
	Number   int      `yaml:"number" json:"number"`
	Title    string   `yaml:"title" json:"title"`
	Text     string   `yaml:"text,omitempty" json:"text,omitempty"`
	Category string   `yaml:"category,omitempty" json:"category,omitempty"`
	Status   Status   `yaml:"status,omitempty" json:"status,omitempty"`
	Options  []Option `yaml:"options" json:"options"`
	// Proposed is the id of the option the version's text proposes; a
	// point with one option proposes it without saying so.
	Proposed string `yaml:"proposed,omitempty" json:"proposed,omitempty"`
}

// ProposedOption returns the option the point's text proposes: Proposed
// when set, else the only option of a settled point. ok is false for an
// open point, one with several options and no proposal.
func (p *Point) ProposedOption() (id string, ok bool) {
	if p.Proposed != "" {
		return p.Proposed, true
	}
	if len(p.Options) == 1 {
		return p.Options[0].ID, true
	}
	return "", false
}

// Status is where a point stands in the talks.
type Status string

// The statuses of a point.
const (
	StatusOpen        Status = "open"
	StatusProvisional Status = "provisionally_agreed"
	StatusDisputed    Status = "disputed"
	StatusDropped     Status = "dropped"
)

// Option is one alternative formulation of a point.
type Option struct {
	ID   string `yaml:"id" json:"id"`
	Text string `yaml:"text" json:"text"`
}

// Position is one party's view of the points, confidential to that party
// and the mediator.
//
// A party may hold several positions over time: each one dated by AsOf is
// held from that date until the next one of the same party supersedes it,
// whole. An undated position is held from the start, so a party has at
// most one.
type Position struct {
	Party string `yaml:"party" json:"party"`
	// AsOf is the date (YYYY-MM-DD) from which the position is held;
	// empty means from the start.
	AsOf   string          `yaml:"as_of,omitempty" json:"as_of,omitempty"`
	Shared bool            `yaml:"shared,omitempty" json:"shared,omitempty"`
	Points []PointPosition `yaml:"points" json:"points"`
}

// PointPosition is a party's weight on a point and its stance on each option.
type PointPosition struct {
	Point   string         `yaml:"point" json:"point"`
	Weight  float64        `yaml:"weight" json:"weight"`
	Options []OptionStance `yaml:"options" json:"options"`
}

// Stance is a party's attitude to an option.
type Stance string

// The stances, from best to worst.
const (
	Support   Stance = "support"
	Accept    Stance = "accept"
	Reluctant Stance = "reluctant"
	Object    Stance = "object"
	RedLine   Stance = "red_line"
)

// DefaultUtility is the utility of a stance when no explicit utility is
// given. A red line is unacceptable; its utility, should the red line be
// lifted, is 0.
func (s Stance) DefaultUtility() float64 {
	switch s {
	case Support:
		return 1
	case Accept:
		return 0.75
	case Reluctant:
		return 0.5
	case Object:
		return 0.25
	}
	return 0
}

// OptionStance is a party's stance on one option of a point.
type OptionStance struct {
	Option string `yaml:"option" json:"option"`
	Stance Stance `yaml:"stance" json:"stance"`
	// Utility overrides the stance's default utility when set.
	Utility *float64 `yaml:"utility,omitempty" json:"utility,omitempty"`
	Reason  string   `yaml:"reason,omitempty" json:"reason,omitempty"`
	// Inferred marks a stance that no source states outright: it is
	// inferred from the party's other statements or interests, and the
	// reason should say from what.
	Inferred bool     `yaml:"inferred,omitempty" json:"inferred,omitempty"`
	Sources  []Source `yaml:"sources,omitempty" json:"sources,omitempty"`
}

// Value is the utility of the option to the party, lifted red lines
// included.
func (o OptionStance) Value() float64 {
	if o.Utility != nil {
		return *o.Utility
	}
	return o.Stance.DefaultUtility()
}

// Source says where a reported stance comes from.
type Source struct {
	Outlet string `yaml:"outlet" json:"outlet"`
	Date   string `yaml:"date" json:"date"`
	// Approximate says the date is only known roughly (around that day);
	// Note can say how.
	Approximate bool   `yaml:"approximate,omitempty" json:"approximate,omitempty"`
	URL         string `yaml:"url,omitempty" json:"url,omitempty"`
	Quote       string `yaml:"quote,omitempty" json:"quote,omitempty"`
	Note        string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Event is a meeting or round of the talks on the timeline.
type Event struct {
	ID          string `yaml:"id" json:"id"`
	Date        string `yaml:"date" json:"date"` // YYYY-MM-DD; the first day
	Approximate bool   `yaml:"approximate,omitempty" json:"approximate,omitempty"`
	// End is the last day of an event of several days.
	End   string `yaml:"end,omitempty" json:"end,omitempty"`
	Title string `yaml:"title" json:"title"`
	Place string `yaml:"place,omitempty" json:"place,omitempty"`
	// Parties are the ids of the parties present; Participants names the
	// people or delegations present, as free text.
	Parties      []string `yaml:"parties,omitempty" json:"parties,omitempty"`
	Participants []string `yaml:"participants,omitempty" json:"participants,omitempty"`
	// Version is the id of the version of the text discussed, if any.
	Version string   `yaml:"version,omitempty" json:"version,omitempty"`
	Outcome string   `yaml:"outcome,omitempty" json:"outcome,omitempty"`
	Sources []Source `yaml:"sources,omitempty" json:"sources,omitempty"`
}

// LinkageKind is the kind of a constraint between options of two points.
type LinkageKind string

// Linkage kinds: with Requires, a package that takes If must take Then; with
// Excludes, a package that takes If must not take Then.
const (
	Requires LinkageKind = "requires"
	Excludes LinkageKind = "excludes"
)

// Linkage is a constraint across points, held by one party (packages that
// break it are unacceptable to that party) or by all (they are infeasible).
type Linkage struct {
	ID     string      `yaml:"id" json:"id"`
	Holder string      `yaml:"holder" json:"holder"` // a party id, or "all"
	If     OptionRef   `yaml:"if" json:"if"`
	Kind   LinkageKind `yaml:"kind" json:"kind"`
	Then   OptionRef   `yaml:"then" json:"then"`
	Reason string      `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// HolderAll is the Linkage.Holder that binds every party.
const HolderAll = "all"

// OptionRef names an option of a point.
type OptionRef struct {
	Point  string `yaml:"point" json:"point"`
	Option string `yaml:"option" json:"option"`
}

// BuiltinCategories are the point categories every scenario may use.
var BuiltinCategories = []string{
	"territory", "ceasefire", "guarantees", "armed_forces", "alliances",
	"sanctions", "reconstruction", "assets", "justice", "governance",
	"humanitarian", "energy", "implementation", "security", "economy", "other",
}

// Version returns the version with the given id; an empty id means the last
// version in the file.
func (s *Scenario) Version(id string) (*Version, bool) {
	if id == "" {
		if len(s.Versions) == 0 {
			return nil, false
		}
		return &s.Versions[len(s.Versions)-1], true
	}
	for i := range s.Versions {
		if s.Versions[i].ID == id {
			return &s.Versions[i], true
		}
	}
	return nil, false
}

// Party returns the party with the given id.
func (s *Scenario) Party(id string) (*Party, bool) {
	for i := range s.Parties {
		if s.Parties[i].ID == id {
			return &s.Parties[i], true
		}
	}
	return nil, false
}

// Points returns the points of the version in text order.
func (v *Version) Points() []*Point {
	var ps []*Point
	for i := range v.Blocks {
		for j := range v.Blocks[i].Points {
			ps = append(ps, &v.Blocks[i].Points[j])
		}
	}
	return ps
}

// Proposal returns the package the version's text proposes: the proposed
// option of every point that has one, by point id, and the ids of the
// points still open (several options, none proposed), in text order.
// Dropped points are left out of both.
func (v *Version) Proposal() (pkg map[string]string, open []string) {
	pkg = make(map[string]string)
	for _, p := range v.Points() {
		if p.Status == StatusDropped {
			continue
		}
		if id, ok := p.ProposedOption(); ok {
			pkg[p.ID] = id
		} else {
			open = append(open, p.ID)
		}
	}
	return pkg, open
}

// PositionsAt returns the position each party holds on the date asOf
// (YYYY-MM-DD): of its positions, the one with the latest AsOf not after
// asOf, an undated one counting as the earliest. An empty asOf means the
// latest position of each party. A party whose positions all start after
// asOf holds none then and is left out. The result follows the order of
// the parties.
func (s *Scenario) PositionsAt(asOf string) []*Position {
	best := make(map[string]*Position)
	for i := range s.Positions {
		q := &s.Positions[i]
		if asOf != "" && q.AsOf != "" && q.AsOf > asOf {
			continue
		}
		if b, ok := best[q.Party]; !ok || q.AsOf > b.AsOf {
			best[q.Party] = q
		}
	}
	var out []*Position
	for _, p := range s.Parties {
		if q, ok := best[p.ID]; ok {
			out = append(out, q)
		}
	}
	return out
}

// PositionHistory returns the positions of one party, oldest first (an
// undated one first).
func (s *Scenario) PositionHistory(party string) []*Position {
	var out []*Position
	for i := range s.Positions {
		if s.Positions[i].Party == party {
			out = append(out, &s.Positions[i])
		}
	}
	slices.SortStableFunc(out, func(a, b *Position) int { return strings.Compare(a.AsOf, b.AsOf) })
	return out
}
