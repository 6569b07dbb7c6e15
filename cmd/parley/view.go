package main

import (
	"errors"
	"fmt"
	"slices"

	"parley/analysis"
	"parley/internal/access"
	"parley/scenario"
)

// loadFor reads the part of scenario s that opt.reader may see and
// compiles its version for that reader. The file is compiled whole first,
// so that a mistake in it is reported where it is; then the reader's view
// (access.ForAnalysis) is compiled, and everything shown to the reader is
// computed from that view alone.
func loadFor(name string, data []byte, s *scenario.Scenario, builtin bool, opt inputOptions) (*input, error) {
	r, err := access.ReaderOf(s, opt.reader)
	if err != nil {
		return nil, usagef("%s", err)
	}
	if _, err := pickVersion(s, opt.version, builtin); err != nil {
		return nil, err
	}
	whole := opt.compile
	whole.Changes = nil // what-if changes apply to the reader's view only
	if _, err := analysis.CompileVersion(s, opt.version, whole); err != nil {
		var pe *scenario.PathError
		if errors.As(err, &pe) {
			return nil, badInput(scenario.ErrorAt(name, data, pe.Msg, pe.Path...))
		}
		return nil, badInput(fmt.Errorf("%s: %w", name, err))
	}
	view := access.ForAnalysis(s, r, nil)
	vs := view.Scenario
	v, err := pickVersion(vs, opt.version, builtin)
	if err != nil {
		return nil, err
	}
	for _, ch := range opt.compile.Changes {
		if slices.Contains(view.Withheld, ch.Party) {
			return nil, usagef("--%s %s: %s may not see the positions of %s, so it cannot change them", ch.Kind, ch.Party, readerName(vs, r), ch.Party)
		}
	}
	for _, id := range opt.compile.Count {
		if slices.Contains(view.Withheld, id) {
			return nil, usagef("--count %s: %s may not see the positions of %s, so it cannot count it", id, readerName(vs, r), id)
		}
	}
	in := &input{Name: name, Scenario: vs, Version: v.ID, View: view}
	if !view.Whole() {
		in.ViewNote = viewSentence(vs, view, nil)
	}
	c, err := analysis.CompileVersion(vs, v.ID, opt.compile)
	if err != nil {
		if len(opt.compile.Changes) > 0 {
			if _, err2 := analysis.CompileVersion(vs, v.ID, whole); err2 == nil {
				return nil, badInput(fmt.Errorf("as %s sees the table: %w", readerName(vs, r), err))
			}
		}
		in.Unanalysable = "nothing " + readerName(vs, r) + " may see can be analysed: " + err.Error()
		if len(view.Seen) == 0 {
			in.Unanalysable = "no position that " + readerName(vs, r) + " may see bears on version " + v.ID
		}
		return in, nil
	}
	in.Compiled, in.Problem = c, c.Problem
	in.Discount = make([]float64, len(c.Problem.Parties))
	for k, id := range c.Problem.Parties {
		if p, ok := vs.Party(id); ok {
			in.Discount[k] = p.Discount
		}
	}
	if !view.Whole() {
		in.ViewNote = viewSentence(vs, view, c.Problem.Parties)
	}
	// Parties withheld from the reader are accounted for by the view
	// note; leftOut speaks of those the reader sees that the analysis
	// does not take.
	in.Notes = leftOut(vs, c.Version, append(slices.Clone(c.All.Parties), view.Withheld...))
	return in, nil
}

// viewSentence says what an analysis for a reader who does not see
// everything is computed from.
func viewSentence(vs *scenario.Scenario, view *access.View, counted []string) string {
	r := view.Reader
	who := readerName(vs, r)
	var others []string
	for _, id := range view.Seen {
		if id != r.Party {
			others = append(others, id)
		}
	}
	from := "the text"
	own := slices.Contains(view.Seen, r.Party)
	switch {
	case r.Role == access.Party && !own && len(others) > 0:
		from += " and the positions shared with " + r.Party + " (" + list(others, "and") + "); " + r.Party + " holds none of its own"
	case r.Role == access.Party && !own:
		from += ": " + r.Party + " holds no position, and no other party has shared its position"
	case r.Role == access.Party && len(others) > 0:
		from += ", " + r.Party + "'s own positions and the positions shared with it (" + list(others, "and") + ")"
	case r.Role == access.Party:
		from += " and " + r.Party + "'s own positions (no other party has shared its position)"
	case len(others) > 0:
		from += " and the positions shared by " + list(others, "and")
	default:
		from += " alone (no party has shared its position)"
	}
	out := "Prepared for " + who + ": computed only from " + from + "."
	if len(view.Withheld) > 0 {
		out += " What " + list(view.Withheld, "and") + " may hold is confidential to them and the mediator and is left out"
		if len(counted) > 0 {
			out += ", so “acceptable to all” below means acceptable to " + list(counted, "and")
		}
		out += "."
	}
	return out
}

// readerName is "Ukraine (ua)", or "the mediator".
func readerName(vs *scenario.Scenario, r access.Reader) string {
	if r.Party == "" {
		if r.Role == access.Mediator {
			return "the mediator"
		}
		return string(r.Role)
	}
	if p, ok := vs.Party(r.Party); ok && p.Name != "" && p.Name != p.ID {
		return nameWithID(p.Name, p.ID)
	}
	return r.Party
}
