// Package access decides who may see and do what in a negotiation: the
// one place for it. Scenario redacts a scenario for a reader (the server,
// its API and "parley brief" all use it), and Can decides every action for
// every role.
//
// The rules, in short: the mediator sees and does everything except read
// a sealed ballot. A party's delegate sees the versions shared with its
// party, its own positions and amendments and comments, and what others
// have shared or the mediator has published. An observer sees what is
// shared with every party and what is published. The public sees what an
// observer sees of a file, and nothing of a server.
package access

import (
	"slices"

	"parley/scenario"
)

// Role is a reader's place at the table.
type Role string

// The roles. Public is anyone outside the negotiation.
const (
	Mediator Role = "mediator"
	Party    Role = "party"
	Observer Role = "observer"
	Public   Role = "public"
)

// Roles lists the roles, mediator first.
var Roles = []Role{Mediator, Party, Observer, Public}

// Someone is the role as the subject of a sentence: "a party", "an
// observer", "someone outside the negotiation".
func (r Role) Someone() string {
	switch r {
	case Observer:
		return "an observer"
	case Public:
		return "someone outside the negotiation"
	}
	return "a " + string(r)
}

// Reader is who reads or acts: a role, and for a party's delegate the
// party it speaks for.
type Reader struct {
	Role  Role
	Party string
}

// Audience maps a version id to the parties it has been shared with.
// A nil Audience means every version is visible to every reader (a file
// has no notion of sharing); in a non-nil one, a version that is absent
// (a draft, or not shared yet) is seen by the mediator alone.
type Audience map[string][]string

// SeesVersion reports whether r may read version id. parties are the
// scenario's parties, for the rule that observers see what is shared with
// every party.
func SeesVersion(r Reader, id string, aud Audience, parties []scenario.Party) bool {
	if r.Role == Mediator || aud == nil {
		return true
	}
	got, ok := aud[id]
	if !ok {
		return false
	}
	if r.Role == Party {
		return slices.Contains(got, r.Party)
	}
	for _, p := range parties {
		if p.Role == scenario.RoleParty && !slices.Contains(got, p.ID) {
			return false
		}
	}
	return true
}

// SeesPosition reports whether r may read a position of party owner.
func SeesPosition(r Reader, owner string, shared bool) bool {
	return shared || r.Role == Mediator || (r.Role == Party && r.Party == owner)
}

// SeesPrivate reports whether r sees the reservation value and discount
// that s gives party: Scenario leaves them out (zero) for everyone else.
func SeesPrivate(s *scenario.Scenario, r Reader, party string) bool {
	sees := false
	for _, q := range s.Positions {
		if q.Party == party && SeesPosition(r, q.Party, q.Shared) {
			sees = true
			break
		}
	}
	return seesPrivate(r, party, sees)
}

// seesPrivate is the rule of SeesPrivate: the mediator and the party
// itself see them, and others once they see one of the party's positions.
func seesPrivate(r Reader, party string, seesAPosition bool) bool {
	return seesAPosition || r.Role == Mediator || (r.Role == Party && r.Party == party)
}

// Scenario returns the part of s that r may see, as a new scenario that
// shares no memory with s: versions shared with r, r's own positions and
// those shared, the linkages of the parties whose positions r sees and
// those binding all. Another party's reservation value and discount are
// private: they are zero unless r sees that party's positions.
func Scenario(s *scenario.Scenario, r Reader, aud Audience) *scenario.Scenario {
	out := *s
	out.Categories = slices.Clone(s.Categories)
	seen := map[string]bool{} // parties whose positions r sees (any of them)
	out.Positions = nil
	for _, q := range s.Positions {
		if SeesPosition(r, q.Party, q.Shared) {
			out.Positions = append(out.Positions, clonePosition(q))
			seen[q.Party] = true
		}
	}
	out.Parties = nil
	for _, p := range s.Parties {
		p.Aliases = slices.Clone(p.Aliases)
		if !seesPrivate(r, p.ID, seen[p.ID]) {
			p.Reservation, p.Discount = 0, 0
		}
		out.Parties = append(out.Parties, p)
	}
	out.Versions = nil
	for _, v := range s.Versions {
		if SeesVersion(r, v.ID, aud, s.Parties) {
			out.Versions = append(out.Versions, cloneVersion(v))
		}
	}
	// A parent the reader may not see is not named.
	visible := map[string]bool{}
	for _, v := range out.Versions {
		visible[v.ID] = true
	}
	for i := range out.Versions {
		if !visible[out.Versions[i].Parent] {
			out.Versions[i].Parent = ""
		}
	}
	// Nor is the version a meeting discussed, when hidden: the meeting is
	// known to all, the draft is not.
	out.Timeline = slices.Clone(s.Timeline)
	for i := range out.Timeline {
		e := &out.Timeline[i]
		e.Parties, e.Participants = slices.Clone(e.Parties), slices.Clone(e.Participants)
		if e.Version != "" && !visible[e.Version] {
			e.Version = ""
		}
	}
	out.Linkages = nil
	for _, l := range s.Linkages {
		if l.Holder == scenario.HolderAll || r.Role == Mediator || seen[l.Holder] {
			out.Linkages = append(out.Linkages, l)
		}
	}
	return &out
}

func clonePosition(q scenario.Position) scenario.Position {
	q.Points = slices.Clone(q.Points)
	for i := range q.Points {
		q.Points[i].Options = slices.Clone(q.Points[i].Options)
		for j := range q.Points[i].Options {
			o := &q.Points[i].Options[j]
			if o.Utility != nil {
				u := *o.Utility
				o.Utility = &u
			}
			o.Sources = slices.Clone(o.Sources)
		}
	}
	return q
}

func cloneVersion(v scenario.Version) scenario.Version {
	v.Blocks = slices.Clone(v.Blocks)
	for i := range v.Blocks {
		v.Blocks[i].Points = slices.Clone(v.Blocks[i].Points)
		for j := range v.Blocks[i].Points {
			v.Blocks[i].Points[j].Options = slices.Clone(v.Blocks[i].Points[j].Options)
		}
	}
	return v
}
