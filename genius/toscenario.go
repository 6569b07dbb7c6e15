package genius

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"parley/round"
	"parley/scenario"
)

// scenario turns a space of linear profiles into a parley scenario: one
// point per issue with an option per value, one party per profile with
// weights as given, and positions with explicit utilities, rounded to
// round.Digits digits.
func (sp *space) scenario() *scenario.Scenario {
	s := &scenario.Scenario{
		Parley: scenario.FormatVersion,
		ID:     ident(sp.name, nil),
		Title:  sp.name,
	}
	var names []string
	for _, f := range sp.files {
		names = append(names, filepath.Base(f))
	}
	what := "GENIUS"
	if sp.format == FormatGeniusWeb {
		what = "GeniusWeb"
	}
	s.Description = fmt.Sprintf("Imported from the %s files %s.", what, strings.Join(names, ", "))
	var disclaim []string
	if real := sp.realNotes(); len(real) > 0 {
		disclaim = append(disclaim, "Real issues were discretised: "+strings.Join(real, "; ")+".")
	}
	for _, p := range sp.profiles {
		if p.capped {
			disclaim = append(disclaim, fmt.Sprintf("The weights of %s add up to more than 1: GENIUS caps its utility at 1, this scenario does not (its utility reaches %s).", p.name, fmtNum(p.maxUtility())))
		}
	}
	s.Disclaimer = strings.Join(disclaim, " ")

	pointIDs := idents{}
	block := scenario.Block{ID: "issues", Title: "Issues"}
	optIDs := make([][]string, len(sp.issues))
	for i, is := range sp.issues {
		pt := scenario.Point{ID: ident(is.name, pointIDs), Number: i + 1, Title: is.name}
		pt.Options = make([]scenario.Option, 0, len(is.values))
		optIDs[i] = make([]string, 0, len(is.values))
		seen := make(idents, len(is.values))
		for _, v := range is.values {
			id := ident(v, seen)
			optIDs[i] = append(optIDs[i], id)
			pt.Options = append(pt.Options, scenario.Option{ID: id, Text: v})
		}
		block.Points = append(block.Points, pt)
	}
	s.Versions = []scenario.Version{{ID: "v1", Title: sp.name, Blocks: []scenario.Block{block}}}

	partyIDs := idents{"all": 2}
	for _, p := range sp.profiles {
		id := ident(p.name, partyIDs)
		s.Parties = append(s.Parties, scenario.Party{
			ID: id, Name: p.name, Role: scenario.RoleParty,
			Reservation: p.reservation, Weights: scenario.WeightsAsGiven, Discount: p.discount,
		})
		pos := scenario.Position{Party: id}
		for i := range sp.issues {
			pp := scenario.PointPosition{Point: block.Points[i].ID, Weight: p.weights[i]}
			pp.Options = make([]scenario.OptionStance, len(p.evals[i]))
			utils := make([]float64, len(p.evals[i])) // one allocation for every option's utility
			for j, u := range p.evals[i] {
				// Written by the rule of every number parley writes: an
				// evaluation divided by the largest carries noise in its
				// last digits (0.3/0.75 is 0.39999999999999997), which a
				// file meant to be read and edited should not. The
				// analysis of the domain itself uses the exact values.
				utils[j] = round.Float(u)
				pp.Options[j] = scenario.OptionStance{Option: optIDs[i][j], Stance: stanceOf(u), Utility: &utils[j]}
			}
			pos.Points = append(pos.Points, pp)
		}
		s.Positions = append(s.Positions, pos)
	}
	return s
}

func (sp *space) realNotes() []string {
	var r []string
	for _, n := range sp.notes {
		if strings.Contains(n, "discretised") {
			r = append(r, n)
		}
	}
	return r
}

// stanceOf names the stance nearest to a utility; the explicit utility
// is what counts.
func stanceOf(u float64) scenario.Stance {
	switch {
	case u >= 0.875:
		return scenario.Support
	case u >= 0.625:
		return scenario.Accept
	case u >= 0.375:
		return scenario.Reluctant
	}
	return scenario.Object
}

// cleanIdent replaces each run of bytes other than letters, digits, '_',
// '.' and '-' in s by one '_'. A run holds whole UTF-8 sequences, as their
// bytes are all outside ASCII.
func cleanIdent(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = isIdentByte(s[i])
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch {
		case isIdentByte(s[i]):
			b = append(b, s[i])
		case i == 0 || isIdentByte(s[i-1]):
			b = append(b, '_')
		}
	}
	return string(b)
}

func isIdentByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
}

// idents is a set of identifiers in use. For each identifier it holds the
// next suffix to try when the same name is wanted again, so that many
// names that clean up to one identifier cost linear time, not quadratic.
type idents map[string]int

// ident makes a parley identifier of a name: letters, digits, '_', '-'
// and '.', starting with a letter or a digit, unique among taken (which
// may be nil).
func ident(name string, taken idents) string {
	id := cleanIdent(strings.TrimSpace(name))
	id = strings.TrimLeft(id, "_.-")
	id = strings.TrimRight(id, "_")
	if id == "" {
		id = "x"
	}
	if taken == nil {
		return id
	}
	if taken[id] == 0 {
		taken[id] = 2
		return id
	}
	base, n := id, taken[id]
	for {
		id = base + "_" + strconv.Itoa(n)
		n++
		if taken[id] == 0 {
			break
		}
	}
	taken[base] = n
	taken[id] = 2
	return id
}
