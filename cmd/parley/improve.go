package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"parley/analysis"
	"parley/scenario"
)

func init() {
	register(&command{
		name:    "improve",
		summary: "find packages every counted party prefers to a baseline (post-settlement)",
		usage: `Usage: parley improve [flags] [FILE] --from VERSION
       parley improve [flags] [FILE] --package POINT=OPTION,… | --package-file F

Given a baseline package — a version of the text as written, a package
named on the command line, or one read from a file — finds the packages
acceptable to all that every counted party likes at least as much and some
like better: the Pareto-improving part of the frontier, the improvement that
maximises the smallest gain over the baseline, and the Nash improvement (the
baseline as disagreement point). Then, for the baseline and each of those
packages, what each party gives up against its best option on every point.
The computation is exact, never a listing of the packages (see
docs/analysis.md).

FILE is a parley scenario (YAML or JSON; "-" reads standard input); without
FILE, the embedded default scenario.

Flags:
  --json               print the improvements as JSON (docs/analysis.md)
  --version ID         the version whose points and options are searched
                       (default: the --from version, else the last)
  --from VERSION       the baseline: that version of the text as written
  --package P=O,…      the baseline: these options (with --from, they replace
                       or complete the version's proposal)
  --package-file F     the baseline from a file: {"package": {point: option}}
                       as parley prints it, or a plain map, in YAML or JSON
  --pareto N           improving packages listed (default 10; --json has all)
` + textFlagsUsage + `
Examples:
  parley improve --version v2 --from v2
  parley improve --from v4 --package zaporizhzhia_npp=split_50_50,foreign_troops=no_permanent_nato,reassurance_force=deployed,guarantee_term=years_15,frozen_assets=reconstruction
  parley improve --version v2 --from v2 --lift ru:territory=line_of_contact --count ua,ru,e3
  parley analyze --json --version v2 --lift ru:territory=line_of_contact | jq .solutions.nash > nash.json
  parley improve --json --version v2 --package-file nash.json
`,
		run: runImprove,
	})
}

func runImprove(ctx context.Context, e *env, args []string) error {
	c := commands["improve"]
	fs := newFlags(c, e)
	asJSON := fs.Bool("json", false, "")
	version := fs.String("version", "", "")
	from := fs.String("from", "", "")
	pkgFlag := fs.String("package", "", "")
	pkgFile := fs.String("package-file", "", "")
	shown := fs.Int("pareto", 10, "")
	tf := addTextFlags(fs)
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *from == "" && *pkgFlag == "" && *pkgFile == "" {
		return usagef("a baseline is needed: --from VERSION, --package POINT=OPTION,… or --package-file FILE")
	}
	if *shown < 0 {
		return usagef("--pareto must not be negative")
	}
	copt, err := tf.options()
	if err != nil {
		return err
	}
	if isResearch(paths) {
		return usagef("improve needs a parley scenario, not a research domain")
	}
	if *pkgFile == "-" && len(paths) == 1 && paths[0] == "-" {
		return usagef("the scenario and --package-file cannot both be read from standard input")
	}
	if *version == "" {
		*version = *from
	}
	in, err := loadInput(paths, inputOptions{version: *version, stdin: e.stdin, compile: copt})
	if err != nil {
		return err
	}
	choices := make(map[string]string)
	var source []string
	if *from != "" {
		v, ok := in.Scenario.Version(*from)
		if !ok {
			return usagef("--from: scenario %s has no version %q", in.Scenario.ID, *from)
		}
		prop, _ := v.Proposal()
		for pt, o := range prop {
			if _, ok := in.Compiled.PointOptions(pt); ok {
				choices[pt] = o
			}
		}
		source = append(source, "version "+*from)
	}
	if *pkgFile != "" {
		m, err := readPackageFile(*pkgFile, e.stdin)
		if err != nil {
			return err
		}
		for pt, o := range m {
			choices[pt] = o
		}
		source = append(source, "file "+*pkgFile)
	}
	if *pkgFlag != "" {
		for _, item := range strings.Split(*pkgFlag, ",") {
			pt, o, ok := strings.Cut(strings.TrimSpace(item), "=")
			if !ok || pt == "" || o == "" {
				return usagef("--package must be POINT=OPTION,…, got %q", item)
			}
			choices[pt] = o
		}
		source = append(source, "package")
	}
	baseline, open, err := in.Compiled.Package(choices, false)
	if err != nil {
		if len(open) > 0 {
			return usagef("the baseline leaves points of version %s open: %s (complete it with --package POINT=OPTION,…)", in.Compiled.Version.ID, strings.Join(open, ", "))
		}
		return usagef("the baseline: %v", err)
	}
	rep, err := analysis.NewImprovementReport(ctx, in.Scenario, in.Compiled, baseline, strings.Join(source, " + "))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeImprovements(e.stdout, in.Scenario, rep, *shown)
}

// readPackageFile reads a baseline package: {"package": {…}} or a plain
// map from point id to option id, in YAML or JSON ("-" for standard input).
func readPackageFile(path string, stdin io.Reader) (map[string]string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, badInput(err)
	}
	m, err := parsePackage(path, data)
	return m, badInput(err)
}

// parsePackage reads a package, {"package": {point: option}} or a plain
// map from point id to option id, in YAML or JSON.
func parsePackage(name string, data []byte) (map[string]string, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if inner, ok := doc["package"].(map[string]any); ok {
		doc = inner
	}
	out := make(map[string]string, len(doc))
	for pt, v := range doc {
		o, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s: point %q: the option must be an option id (a string), got %v", name, pt, v)
		}
		out[pt] = o
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no package: expected {\"package\": {point: option}} or a map from point to option", name)
	}
	return out, nil
}

// writeImprovements prints the improvements for people.
func writeImprovements(w io.Writer, s *scenario.Scenario, r *analysis.ImprovementReport, shown int) error {
	bw := bufio.NewWriter(w)
	imp := r.Improvements
	title := "Improvements over the baseline: " + r.BaselineSource
	fmt.Fprintf(bw, "%s\n%s\n", title, strings.Repeat("=", min(runeLen(title), 78)))
	para(bw, "  ", fmt.Sprintf("%s — version %s", r.Title, r.Version))
	para(bw, "  ", "Counted: "+strings.Join(r.Parties, ", ")+notCountedPhrase(r.NotCounted))
	if r.AsOf != "" {
		fmt.Fprintf(bw, "Judged with the positions held on %s\n", r.AsOf)
	}
	for _, c := range r.Changes {
		para(bw, "    ", "What if: "+c.String())
	}
	for _, wa := range r.Warnings {
		para(bw, "    ", "Warning: "+wa.Message)
	}
	fmt.Fprintf(bw, "\nBaseline\n  %s\n", scoredLine(r.Parties, r.NotCounted, imp.Baseline, nil))
	if !imp.BaselineAcceptable {
		var by []string
		for _, c := range imp.BaselineCrosses {
			by = append(by, c.String())
		}
		para(bw, "    ", "  Not acceptable to all: it crosses "+strings.Join(by, "; "))
	}
	if !imp.Possible {
		fmt.Fprintln(bw)
		para(bw, "    ", "  No improvement: no package acceptable to all is at least as good for every counted party and better for one.")
		if imp.BaselineAcceptable {
			para(bw, "    ", "  The baseline is Pareto-efficient.")
		}
	} else {
		approx := ""
		if imp.Epsilon > 0 {
			approx = fmt.Sprintf(", ε-approximate (ε = %g)", imp.Epsilon)
		}
		fmt.Fprintf(bw, "\nPareto-improving packages: %d%s\n", len(imp.Pareto), approx)
		for i, o := range imp.Pareto {
			if i == shown {
				fmt.Fprintf(bw, "  … %d more (--pareto N shows more, --json all)\n", len(imp.Pareto)-shown)
				break
			}
			fmt.Fprintf(bw, "  %s\n", scoredLine(r.Parties, r.NotCounted, o, imp.Baseline.Utilities))
		}
		for _, x := range []struct {
			name string
			o    *analysis.Scored
		}{{"Maximin improvement (the largest smallest gain)", imp.Maximin}, {"Nash improvement (gains over the baseline of " + strings.Join(imp.NashParties, ", ") + ")", imp.Nash}} {
			fmt.Fprintf(bw, "\n%s\n", x.name)
			if x.o == nil {
				fmt.Fprintf(bw, "  none\n")
				continue
			}
			fmt.Fprintf(bw, "  %s\n", scoredLine(r.Parties, r.NotCounted, *x.o, imp.Baseline.Utilities))
			para(bw, "    ", "  Changes to the baseline: "+changedPoints(imp.Baseline.Package, x.o.Package))
		}
	}
	fmt.Fprintf(bw, "\nConcessions (what each party gives up against its best option on every point)\n")
	for _, c := range r.Concessions {
		name := "Baseline"
		if c.Of != "baseline" {
			name, _ = concessionName(nil, c.Of)
		}
		fmt.Fprintf(bw, "  %s\n", name)
		writePartyConcessions(bw, c.Parties)
	}
	return bw.Flush()
}

func notCountedPhrase(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return "; shown, not counted (†): " + strings.Join(ids, ", ")
}

// scoredLine prints a package's utilities, with the gains over base when
// base is not nil.
func scoredLine(parties, others []string, o analysis.Scored, base []float64) string {
	var parts []string
	for k, id := range parties {
		s := fmt.Sprintf("%s %.3f", id, o.Utilities[k])
		if base != nil {
			s += fmt.Sprintf(" (%+.3f)", o.Utilities[k]-base[k])
		}
		parts = append(parts, s)
	}
	for k, id := range others {
		if k < len(o.NotCountedUtilities) {
			parts = append(parts, fmt.Sprintf("%s† %.3f", id, o.NotCountedUtilities[k]))
		}
	}
	return strings.Join(parts, "  ")
}

// changedPoints lists the points on which b departs from a.
func changedPoints(a, b map[string]string) string {
	var out []string
	for pt, o := range b {
		if a[pt] != o {
			out = append(out, pt+"="+o)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
