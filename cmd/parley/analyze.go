package main

import (
	"context"
	"encoding/json"
	"math"

	"parley/analysis"
)

func init() {
	register(&command{
		name:    "analyze",
		summary: "analyse a scenario: agreement, conflicts, frontier, fair packages, relaxations",
		usage: `Usage: parley analyze [flags] [FILE | GENIUS-OR-GENIUSWEB-PATH...]

Analyses one version of a negotiation: where the parties agree, which red
lines collide, the Pareto frontier of the packages acceptable to all, the
Nash, Kalai-Smorodinsky, maximin and utilitarian packages, the smallest sets
of red lines whose lifting would open a zone of agreement, and how far the
reservation values and weights can move before the Nash package changes.

FILE is a parley scenario (YAML or JSON; "-" reads standard input). Without
FILE, parley analyses its embedded default scenario (see "parley example").
parley also reads the research formats (see docs/genius.md): a GENIUS folder
(one negotiation_template domain and its utility_space profiles, taken in
file-name order), the GENIUS domain file followed by its profiles, or
GeniusWeb JSON (a domain and LinearAdditiveUtilitySpace profiles). The
parties are then the profiles.

Flags:
  --json               print the analysis as JSON (the contract is in docs/analysis.md)
  --version ID         analyse this version of the text (default: the last)
  --epsilon E          accept an ε-approximate frontier (default 0: exact when feasible)
  --frontier N         packages of the frontier listed in the report (default 10; --json has all)
  --max-relaxations N  relaxations reported at most, at least 1 (default 10)
  --no-sensitivity     skip the sensitivity analysis
  --disagreement D     the disagreement point of the solutions: reservation
                       (the reservation values, the default) or zero
  --real-steps N       values a GENIUS real issue is discretised into (default 11)

Examples:
  parley analyze                          # the default scenario, latest version
  parley analyze --version v1             # the 28-point plan of the default scenario
  parley analyze talks.yaml
  parley analyze --json talks.yaml | jq '.solutions.nash'
  parley analyze genius/Laptop                  # a GENIUS folder
  parley analyze --json --disagreement zero domain.xml buyer.xml seller.xml
  parley analyze flightbooking.json flightbooking1.json flightbooking2.json
`,
		run: runAnalyze,
	})
}

func runAnalyze(ctx context.Context, e *env, args []string) error {
	c := commands["analyze"]
	fs := newFlags(c, e)
	asJSON := fs.Bool("json", false, "")
	version := fs.String("version", "", "")
	eps := fs.Float64("epsilon", 0, "")
	shown := fs.Int("frontier", 10, "")
	maxRelax := fs.Int("max-relaxations", 10, "")
	noSens := fs.Bool("no-sensitivity", false, "")
	disagreement := fs.String("disagreement", "reservation", "")
	realSteps := fs.Int("real-steps", 0, "")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *eps < 0 || *eps >= 1 || math.IsNaN(*eps) {
		return usagef("--epsilon must be in [0,1), got %v", *eps)
	}
	if *shown < 0 {
		return usagef("--frontier must not be negative")
	}
	if *maxRelax < 1 {
		return usagef("--max-relaxations must be at least 1, got %d", *maxRelax)
	}
	if *disagreement != "reservation" && *disagreement != "zero" {
		return usagef("--disagreement must be reservation or zero, got %q", *disagreement)
	}
	in, err := loadInput(paths, inputOptions{version: *version, stdin: e.stdin, realSteps: *realSteps})
	if err != nil {
		return err
	}
	opt := analysis.Options{Epsilon: *eps, MaxRelaxations: *maxRelax, NoSensitivity: *noSens}
	if e.terminal {
		bar := startProgress(e.stderr, "checks")
		defer bar.stop()
		opt.Progress = func(stage string, done, total int) { bar.setStage(stageNames[stage], done, total) }
	}
	if *disagreement == "zero" {
		opt.Disagreement = make([]float64, len(in.Problem.Parties))
	}
	res, err := analysis.Analyze(ctx, in.Problem, opt)
	if err != nil {
		return err
	}
	rep := &analysis.Report{Scenario: in.Name, Title: in.Name, Result: res}
	if in.Scenario != nil {
		rep = analysis.NewReport(in.Scenario, *version, res)
	}
	if *asJSON {
		out := struct {
			*analysis.Report
			Notes []string `json:"notes"`
		}{rep, append([]string{}, in.Notes...)}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return writeReport(e.stdout, in, rep, *shown)
}

// stageNames are the progress bar's words for the analysis stages.
var stageNames = map[string]string{
	"frontier":    "computing the Pareto frontier",
	"solutions":   "finding the Nash, Kalai-Smorodinsky, maximin and utilitarian packages",
	"relaxations": "looking for red lines whose lifting opens a zone of agreement",
	"sensitivity": "sensitivity of the Nash package",
}
