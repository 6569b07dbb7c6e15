package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"

	"parley/analysis"
)

func init() {
	register(&command{
		name:    "analyze",
		summary: "analyse a scenario: agreement, conflicts, frontier, fair packages, relaxations",
		usage: `Usage: parley analyze [flags] [FILE | GENIUS-OR-GENIUSWEB-PATH...]...

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
parties are then the profiles. Several folders or scenario files, or the
files of several domains each joined by commas (domain.xml,a.xml,b.xml), are
analysed one after the other; with --json each gives one JSON object per
line. Sample domains are in examples/research.

Flags:
  --json               print the analysis as JSON (the contract is in docs/analysis.md)
  --version ID         analyse this version of the text (default: the last)
  --epsilon E          accept an ε-approximate frontier (default 0: exact when feasible)
  --frontier N         frontier packages listed (default 10; --json lists all
                       unless N is given: "pareto_left_out" counts the rest)
  --max-relaxations N  relaxations reported at most (default 10)
  --no-sensitivity     skip the sensitivity analysis
  --disagreement D     the disagreement point of the solutions: reservation
                       (the reservation values, the default) or zero
  --real-steps N       values a GENIUS real issue is discretised into (default 11)

Examples:
  parley analyze                          # the default scenario, latest version
  parley analyze --version v1             # the 28-point plan of the default scenario
  parley analyze talks.yaml
  parley analyze --json talks.yaml | jq '.solutions.nash'
  parley analyze examples/research/holiday       # a GENIUS folder
  parley analyze --disagreement zero examples/research/holiday
  parley analyze examples/research/holiday/{holiday_domain,ben,ana}.xml
  parley analyze examples/research/flights/{flights,traveller,agency}.json
  parley analyze --json examples/research/*/     # one JSON object per line
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
	if *shown < 0 || *maxRelax < 0 {
		return usagef("--frontier and --max-relaxations must not be negative")
	}
	if *disagreement != "reservation" && *disagreement != "zero" {
		return usagef("--disagreement must be reservation or zero, got %q", *disagreement)
	}
	limit := -1
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "frontier" {
			limit = *shown
		}
	})
	groups := domainGroups(paths)
	for i, g := range groups {
		in, err := loadInput(g, inputOptions{version: *version, stdin: e.stdin, realSteps: *realSteps})
		if err != nil {
			if len(groups) > 1 {
				return fmt.Errorf("%s: %w", strings.Join(g, ","), err)
			}
			return err
		}
		opt := analysis.Options{Epsilon: *eps, MaxRelaxations: *maxRelax, NoSensitivity: *noSens}
		var bar *progressBar
		if e.terminal {
			bar = startProgress(e.stderr, "checks")
			opt.Progress = func(stage string, done, total int) { bar.setStage(stageNames[stage], done, total) }
		}
		if *disagreement == "zero" {
			opt.Disagreement = make([]float64, len(in.Problem.Parties))
		}
		res, err := analysis.Analyze(ctx, in.Problem, opt)
		if bar != nil {
			bar.stop()
		}
		if err != nil {
			return err
		}
		rep := &analysis.Report{Scenario: in.Name, Title: in.Name, Result: res}
		if in.Scenario != nil {
			rep = analysis.NewReport(in.Scenario, *version, res)
		}
		sensNotes := sensitivityNotes(in.Problem, res, *noSens)
		if sensNotes == nil {
			sensNotes = []string{}
		}
		switch {
		case *asJSON && len(groups) == 1:
			doc := analyzeDoc{Report: rep, SensitivityNotes: sensNotes, Notes: append([]string{}, in.Notes...)}
			err = writeAnalysisJSON(e.stdout, doc, limit, in.Problem)
		case *asJSON:
			// Several domains: one JSON object per line.
			var b bytes.Buffer
			doc := analyzeDoc{Report: rep, SensitivityNotes: sensNotes, Notes: append([]string{}, in.Notes...)}
			if err = writeAnalysisJSON(&b, doc, limit, in.Problem); err == nil {
				var line bytes.Buffer
				if err = json.Compact(&line, b.Bytes()); err == nil {
					line.WriteByte('\n')
					_, err = e.stdout.Write(line.Bytes())
				}
			}
		default:
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			err = writeReport(e.stdout, in, rep, *shown, sensNotes)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// stageNames are the progress bar's words for the analysis stages.
var stageNames = map[string]string{
	"frontier":    "computing the Pareto frontier",
	"solutions":   "finding the Nash, Kalai-Smorodinsky, maximin and utilitarian packages",
	"relaxations": "looking for red lines whose lifting opens a zone of agreement",
	"sensitivity": "sensitivity of the Nash package",
}
