package access

import (
	"fmt"
	"slices"
	"strings"

	"parley/scenario"
)

// The analysis a reader may see.
//
// An analysis is computed on positions, and whatever is computed on a
// position carries something of it: another party's utility of a package
// reveals its weights and stances, the Nash package bends towards its
// preferences, a conflict names its red line, and even the bare fact "no
// zone of agreement" tells a party that the others' red lines or
// reservation values exclude everything it could accept (and a party that
// asks the question again with one of its own stances changed learns
// more). So the rule is that of the positions themselves: an analysis for
// a reader is computed from Scenario(s, r, aud) alone — the text it may
// read, its own positions and those shared with it — and from nothing
// else. For the mediator that is the whole analysis. For a party it is
// the analysis of the table as it may see it: its own utilities, the
// shared positions' utilities, and the conflicts, packages and zone of
// agreement among those. A party that wants a joint analysis shares its
// position; the mediator decides which results to publish.

// View is what an analysis for one reader is computed from.
type View struct {
	Reader Reader
	// Scenario is the part of the scenario the reader may see
	// (Scenario(s, r, aud)); an analysis shown to the reader is computed
	// from it alone.
	Scenario *scenario.Scenario
	// Seen lists the parties some of whose positions the reader sees
	// (its own, and those shared with it), in the order of the
	// scenario's parties.
	Seen []string
	// Withheld lists every other party but the reader's own: the reader
	// sees none of its
	// positions, so an analysis for the reader leaves it out. It is
	// decided from what the reader may see, so it does not tell whether
	// such a party holds a position at all.
	Withheld []string
}

// Whole reports whether the view is the whole scenario: nothing is
// withheld from the reader.
func (v *View) Whole() bool { return v.Reader.Role == Mediator }

// ForAnalysis returns what an analysis for r is computed from.
func ForAnalysis(s *scenario.Scenario, r Reader, aud Audience) *View {
	vis := Scenario(s, r, aud)
	v := &View{Reader: r, Scenario: vis}
	seen := make(map[string]bool)
	for _, q := range vis.Positions {
		seen[q.Party] = true
	}
	for _, p := range vis.Parties {
		switch {
		case seen[p.ID]:
			v.Seen = append(v.Seen, p.ID)
		case r.Role != Mediator && p.ID != r.Party:
			v.Withheld = append(v.Withheld, p.ID)
		}
	}
	return v
}

// ReaderOf returns the reader a name on the command line stands for:
// "mediator", or the id of one of the scenario's parties, who reads as
// its role allows (a party whose role is mediator is the mediator).
func ReaderOf(s *scenario.Scenario, name string) (Reader, error) {
	if name == string(Mediator) {
		return Reader{Role: Mediator}, nil
	}
	p, ok := s.Party(name)
	if !ok {
		var ids []string
		for _, p := range s.Parties {
			ids = append(ids, p.ID)
		}
		return Reader{}, fmt.Errorf("no party %q%s; the readers are mediator, %s",
			name, scenario.DidYouMean(name, append(slices.Clone(ids), string(Mediator))), strings.Join(ids, ", "))
	}
	switch p.Role {
	case scenario.RoleMediator:
		return Reader{Role: Mediator, Party: p.ID}, nil
	case scenario.RoleObserver:
		return Reader{Role: Observer, Party: p.ID}, nil
	}
	return Reader{Role: Party, Party: p.ID}, nil
}
