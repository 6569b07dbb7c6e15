package main

import (
	"errors"
	"fmt"
	"io"

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
}

// loadInput reads the negotiation named by paths: nothing for the embedded
// default scenario, "-" for a scenario on standard input, one parley
// scenario file (YAML or JSON); or a GENIUS or GeniusWeb domain (a folder,
// or the domain file and its profiles).
func loadInput(paths []string, opt inputOptions) (*input, error) {
	if isResearch(paths) {
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
		b, err := scenario.ReadAll("<stdin>", opt.stdin)
		if err != nil {
			return nil, readError(err)
		}
		name, data = "<stdin>", b
	case len(paths) == 1:
		b, err := scenario.ReadFile(paths[0])
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
	p, err := analysis.Compile(s, opt.version)
	if err != nil {
		var pe *scenario.PathError
		if errors.As(err, &pe) {
			return nil, badInput(scenario.ErrorAt(name, data, pe.Msg, pe.Path...))
		}
		return nil, badInput(fmt.Errorf("%s: %w", name, err))
	}
	in := &input{Name: name, Scenario: s, Problem: p, Discount: make([]float64, len(p.Parties))}
	for k, id := range p.Parties {
		if party, ok := s.Party(id); ok {
			in.Discount[k] = party.Discount
		}
	}
	return in, nil
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
