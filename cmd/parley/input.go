package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"parley/analysis"
	"parley/examples"
	"parley/internal/access"
	"parley/scenario"
)

// input is a negotiation read from the command line: a parley scenario
// (Scenario set) or a research domain (Scenario nil unless importable).
type input struct {
	Name     string
	Scenario *scenario.Scenario
	// Version is the id of the version analysed, for a scenario.
	Version string
	Problem *analysis.Problem
	// Compiled is the scenario version compiled (nil for research input).
	Compiled *analysis.Compiled
	// Discount is each party's discount factor (0: none).
	Discount []float64
	// Notes say what the reading changed or approximated.
	Notes []string
	// View, when set, is the reader's view the input was restricted to:
	// Scenario is then View.Scenario, and Problem is nil when nothing
	// the reader may see can be analysed (Unanalysable says why).
	View         *access.View
	Unanalysable string
	// ViewNote says whose view a restricted input is and what it is
	// computed from; empty for the whole scenario.
	ViewNote string
}

// allNotes are the notes of the input, its view first.
func (in *input) allNotes() []string {
	out := []string{}
	if in.ViewNote != "" {
		out = append(out, in.ViewNote)
	}
	return append(out, in.Notes...)
}

// inputOptions tune loadInput.
type inputOptions struct {
	version string    // the scenario version to analyse; "" for the last
	stdin   io.Reader // read for the path "-"
	// realSteps is the number of values a GENIUS real issue is
	// discretised into (0: the default).
	realSteps int
	// compile are the positions' date, who is counted and the what-if
	// changes, for a parley scenario.
	compile analysis.CompileOptions
	// reader, when set, restricts the input to what that reader may see
	// ("mediator" or a party id; see loadFor).
	reader string
}

// loadInput reads the negotiation named by paths: nothing for the embedded
// default scenario, "-" for a scenario on standard input, one parley
// scenario file (YAML or JSON); or a GENIUS or GeniusWeb domain (a folder,
// or the domain file and its profiles).
func loadInput(paths []string, opt inputOptions) (*input, error) {
	if isResearch(paths) {
		if opt.reader != "" {
			return nil, usagef("a reader's view (--party, --for) needs a parley scenario, not a research domain")
		}
		if opt.compile.AsOf != "" || opt.compile.Count != nil || len(opt.compile.Changes) > 0 {
			return nil, usagef("--as-of, --count, --lift, --reservation and --weight need a parley scenario, not a research domain")
		}
		return loadResearch(paths, opt)
	}
	name, data, s, err := readScenario(paths, opt.stdin)
	if err != nil {
		return nil, err
	}
	if opt.reader != "" {
		return loadFor(name, data, s, len(paths) == 0, opt)
	}
	v, err := pickVersion(s, opt.version, len(paths) == 0)
	if err != nil {
		return nil, err
	}
	if err := checkLiftOptions(v, opt.compile.Changes); err != nil {
		return nil, err
	}
	c, err := analysis.CompileVersion(s, opt.version, opt.compile)
	if err != nil {
		var pe *scenario.PathError
		if errors.As(err, &pe) {
			return nil, badInput(scenario.ErrorAt(name, data, pe.Msg, pe.Path...))
		}
		if len(paths) == 0 {
			return nil, badInput(fmt.Errorf("the default scenario: %w", err))
		}
		return nil, badInput(fmt.Errorf("%s: %w", name, err))
	}
	p := c.Problem
	in := &input{Name: name, Scenario: s, Version: c.Version.ID, Problem: p, Compiled: c, Discount: make([]float64, len(p.Parties))}
	in.Notes = append(in.Notes, leftOut(s, c.Version, c.All.Parties)...)
	for k, id := range p.Parties {
		if party, ok := s.Party(id); ok {
			in.Discount[k] = party.Discount
		}
	}
	return in, nil
}

// readScenario reads the parley scenario named by paths: nothing for the
// embedded default scenario, "-" for standard input, or one file.
func readScenario(paths []string, stdin io.Reader) (name string, data []byte, s *scenario.Scenario, err error) {
	switch {
	case len(paths) == 0:
		name, data = examples.DefaultName, examples.Default
	case len(paths) == 1 && paths[0] == "-":
		if stdin == nil {
			return "", nil, nil, usagef("no standard input to read")
		}
		b, err := scenario.ReadAll("<stdin>", stdin)
		if err != nil {
			return "", nil, nil, readError(err)
		}
		name, data = "<stdin>", b
	case len(paths) == 1:
		b, err := scenario.ReadFile(paths[0])
		if err != nil {
			return "", nil, nil, badInput(err)
		}
		name, data = paths[0], b
	default:
		return "", nil, nil, usagef("expected one scenario file, got %d paths", len(paths))
	}
	s, err = scenario.Load(name, data)
	if err != nil {
		return "", nil, nil, badInput(err)
	}
	return name, data, s, nil
}

// pickVersion returns the version id of s (the last when id is empty), or
// a usage error that lists the versions there are and the closest id.
func pickVersion(s *scenario.Scenario, id string, builtin bool) (*scenario.Version, error) {
	if v, ok := s.Version(id); ok {
		return v, nil
	}
	where := "the scenario"
	if builtin {
		where = "the default scenario"
	}
	if id == "" {
		return nil, usagef("%s has no versions", where)
	}
	var ids []string
	for _, v := range s.Versions {
		ids = append(ids, v.ID)
	}
	return nil, usagef("%s has no version %q%s\n%s",
		where, id, scenario.DidYouMean(id, ids), wrapWords("its versions: "+strings.Join(ids, ", ")+" (parley versions lists them)", 60))
}

// checkLiftOptions says when a --lift names an option that the point does
// not have in version v, before the engine looks for a red line on it; a
// point the version lacks is left to the engine, which says so.
func checkLiftOptions(v *scenario.Version, changes []analysis.Change) error {
	for _, c := range changes {
		if c.Kind != analysis.LiftChange {
			continue
		}
		for _, pt := range v.Points() {
			if pt.ID != c.Point {
				continue
			}
			var ids []string
			for _, o := range pt.Options {
				if o.ID == c.Option {
					ids = nil
					break
				}
				ids = append(ids, o.ID)
			}
			if ids != nil {
				head := fmt.Sprintf("--lift: point %s has no option %q", c.Point, c.Option)
				if dym := scenario.DidYouMean(c.Option, ids); dym != "" {
					// The hint moves to the next line whole.
					head += " " + strings.ReplaceAll(strings.TrimSpace(dym), " ", "\x00")
				}
				head = strings.ReplaceAll(wrapWords(head, 60), "\x00", " ")
				return usagef("%s\n%s", head, wrapWords("its options in version "+v.ID+": "+strings.Join(ids, ", "), 60))
			}
		}
	}
	return nil
}

// wrapWords breaks s at spaces into lines of at most n runes (a longer
// word gets a line of its own), for messages of several lines.
func wrapWords(s string, n int) string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		if cur != "" && runeLen(cur)+1+runeLen(w) > n {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	return strings.Join(append(lines, cur), "\n")
}

// leftOut notes each party of s that the analysis of v does not count,
// and why.
func leftOut(s *scenario.Scenario, v *scenario.Version, counted []string) []string {
	in := make(map[string]bool)
	for _, id := range counted {
		in[id] = true
	}
	held := make(map[string]bool)
	for _, pos := range s.PositionsAt(v.Date) {
		held[pos.Party] = true
	}
	var out []string
	for _, p := range s.Parties {
		if in[p.ID] {
			continue
		}
		name := nameWithID(p.Name, p.ID)
		switch {
		case !held[p.ID] && len(s.PositionHistory(p.ID)) > 0:
			out = append(out, name+" held no position yet on "+v.Date+", so the analysis leaves it out.")
		default:
			out = append(out, name+" holds no position on any point of this version, so the analysis leaves it out.")
		}
	}
	return out
}

// readError classifies an error of reading standard input: too large is
// bad input, anything else a failure to read.
func readError(err error) error {
	var tl *scenario.TooLargeError
	if errors.As(err, &tl) {
		return badInput(err)
	}
	return err
}
