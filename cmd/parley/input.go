package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"parley/analysis"
	"parley/examples"
	"parley/scenario"
)

// input is a negotiation read from the command line: a parley scenario
// (Scenario set) or a research domain (Scenario nil unless importable).
type input struct {
	Name     string
	Scenario *scenario.Scenario
	Problem  *analysis.Problem
	// Compiled is the scenario version compiled (nil for research input).
	Compiled *analysis.Compiled
	// Discount is each party's discount factor (0: none).
	Discount []float64
	// Notes say what the reading changed or approximated.
	Notes []string
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
}

// loadInput reads the negotiation named by paths: nothing for the embedded
// default scenario, "-" for a scenario on standard input, one parley
// scenario file (YAML or JSON); or a GENIUS or GeniusWeb domain (a folder,
// or the domain file and its profiles).
func loadInput(paths []string, opt inputOptions) (*input, error) {
	if isResearch(paths) {
		if opt.compile.AsOf != "" || opt.compile.Count != nil || len(opt.compile.Changes) > 0 {
			return nil, usagef("--as-of, --count, --lift, --reservation and --weight need a parley scenario, not a research domain")
		}
		return loadResearch(paths, opt)
	}
	var (
		name string
		data []byte
	)
	switch {
	case len(paths) == 0:
		name, data = examples.DefaultName, examples.Default
	case len(paths) == 1 && paths[0] == "-":
		if opt.stdin == nil {
			return nil, usagef("no standard input to read")
		}
		b, err := io.ReadAll(opt.stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		name, data = "<stdin>", b
	case len(paths) == 1:
		b, err := os.ReadFile(paths[0])
		if err != nil {
			return nil, badInput(err)
		}
		name, data = paths[0], b
	default:
		return nil, usagef("expected one scenario file, got %d paths", len(paths))
	}
	s, err := scenario.Load(name, data)
	if err != nil {
		return nil, badInput(err)
	}
	c, err := analysis.CompileVersion(s, opt.version, opt.compile)
	if err != nil {
		var pe *scenario.PathError
		if errors.As(err, &pe) {
			return nil, badInput(scenario.ErrorAt(name, data, pe.Msg, pe.Path...))
		}
		return nil, badInput(fmt.Errorf("%s: %w", name, err))
	}
	p := c.Problem
	in := &input{Name: name, Scenario: s, Problem: p, Compiled: c, Discount: make([]float64, len(p.Parties))}
	for k, id := range p.Parties {
		if party, ok := s.Party(id); ok {
			in.Discount[k] = party.Discount
		}
	}
	return in, nil
}
