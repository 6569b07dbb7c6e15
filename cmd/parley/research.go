package main

import (
	"os"
	"path/filepath"
	"strings"

	"parley/genius"
	"parley/scenario"
)

// isResearch reports whether paths name GENIUS or GeniusWeb input rather
// than a parley scenario: a folder, an XML file, or JSON whose top-level
// keys are a GeniusWeb domain's or profile's (genius.IsResearchFile).
func isResearch(paths []string) bool {
	if len(paths) == 0 || len(paths) == 1 && paths[0] == "-" {
		return false
	}
	if len(paths) > 1 {
		ext := strings.ToLower(filepath.Ext(paths[0]))
		return ext != ".yaml" && ext != ".yml"
	}
	p := paths[0]
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		return true
	}
	switch strings.ToLower(filepath.Ext(p)) {
	case ".xml":
		return true
	case ".json":
		data, err := scenario.ReadFile(p)
		return err == nil && genius.IsResearchFile(p, data)
	}
	return false
}

// loadResearch reads a GENIUS or GeniusWeb domain with its profiles.
func loadResearch(paths []string, opt inputOptions) (*input, error) {
	d, err := loadDomain(paths, opt.realSteps, 0)
	if err != nil {
		return nil, err
	}
	return &input{Name: d.Name, Problem: d.Problem, Discount: d.Discount, Notes: d.Notes}, nil
}

// maxRealSteps caps --real-steps as integer issues are capped: a real
// issue of more values would be the input's whole size many times over.
const maxRealSteps = 1_000_000

// loadDomain runs genius.Load; every failure is bad input. A
// scenarioLimit other than 0 refuses, while the files are read, a domain
// whose scenario would take more bytes (for import).
func loadDomain(paths []string, realSteps, scenarioLimit int) (*genius.Domain, error) {
	if realSteps != 0 && realSteps < 2 {
		return nil, usagef("--real-steps must be at least 2, got %d", realSteps)
	}
	if realSteps > maxRealSteps {
		return nil, usagef("--real-steps must be at most %d, got %d", maxRealSteps, realSteps)
	}
	d, err := genius.Load(paths, genius.Options{RealSteps: realSteps, ScenarioLimit: scenarioLimit})
	if err != nil {
		return nil, badInput(err)
	}
	return d, nil
}
