package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"

	"parley/analysis"
)

func init() {
	register(&command{
		name:    "analyze",
		summary: "analyse a scenario: agreement, conflicts, frontier, fair packages",
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
  --json               print the analysis as JSON (the contract is in
                       docs/analysis.md)
  --version ID         analyse this version of the text (default: the last)
  --epsilon E          accept an ε-approximate frontier (default 0: exact
                       when feasible)
  --frontier N         frontier packages listed (default 10; --json lists all
                       unless N is given: "pareto_left_out" counts the rest)
  --max-relaxations N  relaxations reported at most, at least 1 (default 10)
  --no-sensitivity     skip the sensitivity analysis
  --all                show the settled points in full, not one line per block
  --width N            lay the report out for N columns (default: the
                       terminal's width, 80 when not a terminal)
  --precision N        decimals of utilities in the report (default 2)
  --disagreement D     the disagreement point of the solutions: reservation
                       (the reservation values, the default) or zero
  --real-steps N       values a GENIUS real issue is discretised into
                       (default 11)
  --party P            the report restricted to what party P may see (or
                       "mediator": everything); it is computed only from
                       the text, P's own positions and those shared with it
  --compare A,B        also compare versions A and B of the text (repeatable;
                       consecutive versions are always compared)
` + textFlagsUsage + `
Examples:
  parley analyze                          # the default scenario, latest version
  parley analyze --version v1             # the default scenario's 28 points
  parley analyze talks.yaml
  parley analyze --as-of 2025-12-01 --compare v1,v4
  parley analyze --count ua,ru,e3         # count these parties only
  parley analyze --lift ru:territory=line_of_contact --reservation ua=0.3
  parley analyze --party ua               # what Ukraine may see
  parley analyze --json talks.yaml | jq '.relaxations[0].solutions.nash'
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
	party := fs.String("party", "", "")
	tf := addTextFlags(fs)
	var compare listFlag
	fs.Var(&compare, "compare", "")
	all := fs.Bool("all", false, "")
	width := fs.Int("width", 0, "")
	precision := fs.Int("precision", 2, "")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkLayoutFlags(*width, *precision); err != nil {
		return err
	}
	copt, err := tf.options()
	if err != nil {
		return err
	}
	pairs, err := parsePairs(compare)
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
	limit := -1
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "frontier" {
			limit = *shown
		}
	})
	groups := domainGroups(paths)
	for i, g := range groups {
		in, err := loadInput(g, inputOptions{version: *version, stdin: e.stdin, realSteps: *realSteps, compile: copt, reader: *party})
		if err != nil {
			if len(groups) > 1 {
				return fmt.Errorf("%s: %w", strings.Join(g, ","), err)
			}
			return err
		}
		if in.Problem == nil {
			return badInput(errors.New(in.Unanalysable))
		}
		if in.Version == "" {
			in.Version = *version
		}
		if in.Compiled != nil {
			// A version --compare names must exist, said as for --version.
			for _, pair := range pairs {
				for _, id := range pair {
					if _, err := pickVersion(in.Scenario, id, len(g) == 0); err != nil {
						return usagef("--compare: %w", err)
					}
				}
			}
		}
		opt := analysis.Options{Epsilon: *eps, MaxRelaxations: *maxRelax, NoSensitivity: *noSens}
		var bar *progressBar
		if e.terminal {
			bar = startProgress(e.progressOut(), "checks")
			opt.Progress = func(stage string, done, total int) { bar.setStage(stageNames[stage], done, total) }
		}
		if *disagreement == "zero" {
			opt.Disagreement = make([]float64, len(in.Problem.Parties))
		}
		rep, err := buildReport(ctx, in, opt, analysis.TextOptions{Compile: copt, Compare: pairs})
		if bar != nil {
			bar.stop()
		}
		if err != nil {
			return err
		}
		sensNotes := sensitivityNotes(in.Problem, rep.Result, *noSens)
		if sensNotes == nil {
			sensNotes = []string{}
		}
		doc := analyzeDoc{Report: rep, SensitivityNotes: sensNotes, Notes: in.allNotes()}
		switch {
		case *asJSON && len(groups) == 1:
			err = writeAnalysisJSON(e.stdout, doc, limit, in.Problem)
		case *asJSON:
			// Several domains: one JSON object per line.
			var b bytes.Buffer
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
			err = writeReport(e.stdout, in, rep, reportOptions{
				layout:           e.layout(*width, *precision),
				all:              *all,
				frontier:         *shown,
				maxRelaxations:   *maxRelax,
				sensitivityNotes: sensNotes,
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// buildReport analyses in: the problem, and for a scenario version its
// text (the version as written, the comparisons of versions).
func buildReport(ctx context.Context, in *input, opt analysis.Options, topt analysis.TextOptions) (*analysis.Report, error) {
	res, err := analysis.Analyze(ctx, in.Problem, opt)
	if err != nil {
		return nil, err
	}
	switch {
	case in.Compiled != nil:
		t, err := analysis.AnalyzeText(ctx, in.Scenario, in.Compiled, res, topt)
		if err != nil {
			return nil, badInput(err)
		}
		return analysis.NewVersionReport(in.Scenario, in.Compiled, res, t), nil
	case len(topt.Compare) > 0:
		return nil, usagef("--compare needs a parley scenario")
	case in.Scenario != nil:
		return analysis.NewReport(in.Scenario, in.Version, res), nil
	}
	return &analysis.Report{Scenario: in.Name, Title: in.Name, Result: res}, nil
}

// checkLayoutFlags checks --width and --precision.
func checkLayoutFlags(width, precision int) error {
	if width != 0 && width < minWidth {
		return usagef("--width must be at least %d, got %d", minWidth, width)
	}
	if precision < 0 || precision > 12 {
		return usagef("--precision must be from 0 to 12, got %d", precision)
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
