package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"parley/analysis"
)

func init() {
	register(&command{
		name:    "improve",
		summary: "find packages every counted party prefers to a baseline",
		usage: `Usage: parley improve [flags] [FILE] --from VERSION
       parley improve [flags] [FILE] --package POINT=OPTION,…
       parley improve [flags] [FILE] --package-file F

Given a baseline package — a version of the text as written, a package
named on the command line, or one read from a file — finds the packages
acceptable to all that every counted party likes at least as much and some
like better: the Pareto-improving part of the frontier, the improvement that
maximises the smallest gain over the baseline, and the Nash improvement (the
baseline as disagreement point). Then, for the baseline and each of those
packages, what each party gives up against the best option the version
offers it on every point. The computation is exact, never a listing of the
packages (see docs/analysis.md).

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
  --width N            lay the output out for N columns (default: the
                       terminal's width, 80 when not a terminal)
  --precision N        decimals of utilities (default 2)
` + textFlagsUsage + `
Examples:
  # What if Russia accepted the line of contact, and v2's points on NATO
  # and amnesty read "ban" and "full amnesty": what is better for everyone?
  parley improve --from v2 --lift ru:territory=line_of_contact \
    --package nato=ban,amnesty=full_amnesty
  parley improve --version v2 --from v1 --package territory=line_of_contact \
    --lift ru:territory=line_of_contact
  echo '{"package": {"nato": "ban", "frozen_assets": "us_scheme"}}' |
    parley improve --json --from v2 --lift ru:territory=line_of_contact \
    --package-file - | jq '.improvements.nash'
  parley improve --from v2 --count ua,ru,e3 --reservation ua=0.3 \
    --lift ru:territory=line_of_contact \
    --package nato=ban,frozen_assets=us_scheme
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
	width := fs.Int("width", 0, "")
	precision := fs.Int("precision", 2, "")
	tf := addTextFlags(fs)
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkLayoutFlags(*width, *precision); err != nil {
		return err
	}
	if *from == "" && *pkgFlag == "" && *pkgFile == "" {
		return usagef("no baseline given: use --from, --package or --package-file")
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
	named := make(map[string]string) // the options named on the command line or in the file
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
			named[pt] = o
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
			named[pt] = o
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
	return writeImprovements(e.stdout, e.layout(*width, *precision), in, rep, named, *shown)
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

// writeImprovements prints the improvements for people, in the layout of
// the report of "parley analyze"; named are the options of the baseline
// given on the command line or in a file, listed under it.
func writeImprovements(w io.Writer, l layout, in *input, r *analysis.ImprovementReport, named map[string]string, shown int) error {
	rw := &reportWriter{w: bufio.NewWriter(w), opt: reportOptions{layout: l}, in: in, s: in.Scenario,
		r: &analysis.Report{
			Scenario: r.Scenario, Title: r.Title, Version: r.Version,
			Result: &analysis.Result{Parties: r.Parties, Reservation: r.Reservation, Disagreement: r.Reservation},
			TextAnalysis: &analysis.TextAnalysis{
				AsOf: r.AsOf, NotCounted: r.NotCounted, NotCountedReservation: r.NotCountedReservation,
				Changes: r.Changes, Warnings: r.Warnings,
			},
		}}
	rw.v, _ = rw.s.Version(r.Version)
	rw.index()
	imp := r.Improvements
	rw.header()
	rw.whatIfBanner() // hypothetical changes, before any answer
	rw.blank()
	if len(named) == 0 {
		rw.para("", "", sty("Baseline:", bold), s(r.BaselineSource+"."))
	} else {
		rw.para("", "", sty("Baseline:", bold), s(r.BaselineSource+", with these options:"))
		rw.anyChoices(named)
	}
	rw.para("  ", "  ", append([]seg{s("It gives:")}, append(rw.scoredRow(imp.Baseline, nil), s("."))...)...)
	if !imp.BaselineAcceptable {
		rw.para("  ", "  ", s("It crosses "+rw.constraintsProse(imp.BaselineCrosses)+", so it is not acceptable to all."))
	}
	rw.whatIf()
	if !imp.Possible {
		rw.blank()
		what := "No improvement: no package acceptable to all is at least as good for every counted party and better for one."
		if imp.BaselineAcceptable {
			what += " The baseline is Pareto-efficient."
		} else {
			what += " The baseline itself crosses a red line; parley analyze --version " + r.Version + " says which lifted red lines would open a zone of agreement."
		}
		rw.para("", "", sty(what, bold))
	} else {
		title := "Pareto-improving packages: " + plural(len(imp.Pareto), "package", "packages")
		rw.opt.heading(rw.w, title)
		intro := "Efficient packages acceptable to all that every counted party likes at least as much as the baseline; the change for each party in brackets."
		if imp.Epsilon > 0 {
			intro += fmt.Sprintf(" ε-approximate (ε = %g): every Pareto-improving package that gives each counted party at least ε more than the baseline is within ε of a listed one, for every party; one closer to the baseline may have none listed.", imp.Epsilon)
		}
		rw.para("", "", sty(intro, dim))
		for i, o := range imp.Pareto {
			if i == shown {
				rw.para("  ", "  ", s(fmt.Sprintf("… and %d more (--pareto N lists more, --json all).", len(imp.Pareto)-shown)))
				break
			}
			rw.para("  ", "      ", rw.scoredRow(o, imp.Baseline.Utilities)...)
		}
		for _, x := range []struct {
			name, why string
			o         *analysis.Scored
		}{
			{"The maximin improvement", "The improvement with the largest smallest gain over the baseline", imp.Maximin},
			{"The Nash improvement", nashWhy(imp.NashParties), imp.Nash},
		} {
			rw.opt.heading(rw.w, x.name)
			if x.o == nil {
				why := "None."
				if x.name == "The Nash improvement" && len(imp.NashParties) > 1 {
					why = "None: no package acceptable to all gives each of the parties that can gain (" + strings.Join(imp.NashParties, ", ") + ") a gain at once, so every Nash product is zero."
				}
				rw.para("", "", s(why))
				continue
			}
			rw.para("", "", sty(x.why+"; it changes the baseline on the points below.", dim))
			rw.para("  ", "      ", rw.scoredRow(*x.o, imp.Baseline.Utilities)...)
			rw.choices(x.o.Package, imp.Baseline.Package)
		}
	}
	rw.opt.heading(rw.w, "Concessions")
	rw.para("", "", sty("What each party gives up against the best option this version offers it on each point (not its best over all versions), largest first, rounded so that the parts add up to the total.", dim))
	writeConcessionList(rw.w, &rw.opt.layout, r.Concessions, func(of string) (string, bool) { return concessionName(r.Version, of) }, rw.anyPointLabel, 3)
	return rw.w.Flush()
}

// nashWhy says what the Nash improvement maximises: the product of the
// gains of the parties that can gain, or plainly the gain of the only one.
func nashWhy(parties []string) string {
	if len(parties) == 1 {
		return "The improvement with the largest gain for " + parties[0] + ", the only counted party that can gain"
	}
	return "The improvement with the largest product of the gains of " + list(parties, "and")
}

// anyChoices lists the options of ch point by point in text order, those
// of settled points too, as "label: option — text".
func (rw *reportWriter) anyChoices(ch map[string]string) {
	var ids []string
	if rw.v != nil {
		for _, pt := range rw.v.Points() {
			if _, ok := ch[pt.ID]; ok {
				ids = append(ids, pt.ID)
			}
		}
	}
	for _, id := range ids {
		rw.choice(id, ch[id])
	}
}

// scoredRow is "alt 0.79 (+0.04) · ben 0.56 (0.00); not counted: med
// 1.00", with the gains over base when base is not nil.
func (rw *reportWriter) scoredRow(o analysis.Scored, base []float64) []seg {
	var cells []seg
	for k, id := range rw.r.Parties {
		st := plain
		if o.Utilities[k] < rw.r.Reservation[k]-1e-9 {
			st = amber
		}
		cell := id + nbsp + rw.opt.num(o.Utilities[k])
		if base != nil {
			cell += nbsp + "(" + rw.opt.signed(rw.opt.change(base[k], o.Utilities[k])) + ")"
		}
		cells = append(cells, sty(cell, st))
	}
	var others []seg
	if t := rw.r.TextAnalysis; t != nil {
		for k, id := range t.NotCounted {
			if k < len(o.NotCountedUtilities) {
				others = append(others, s(id+nbsp+rw.opt.num(o.NotCountedUtilities[k])))
			}
		}
	}
	segs := dotted(cells)
	if len(others) > 0 {
		segs = append(segs, s("; not counted:"))
		segs = append(segs, dotted(others)...)
	}
	return segs
}
