package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"parley/genius"
	"parley/scenario"
)

func init() {
	register(&command{
		name:    "import",
		summary: "turn a GENIUS or GeniusWeb domain into a parley scenario",
		usage: `Usage: parley import genius|geniusweb PATH... [-o FILE|DIR] [--real-steps N]

Reads a domain of the automated-negotiation research formats and writes it as
a parley scenario: one point per issue with an option per value, one party per
profile (weights as given, reservation value, discount factor), and for each
party a position with the exact utility of every option. See docs/genius.md.

PATH is a folder holding one domain and its profiles (taken in file-name
order), or the domain file followed by the profile files in party order:
  genius      GENIUS XML: a negotiation_template domain, utility_space profiles
  geniusweb   GeniusWeb JSON: a domain, LinearAdditiveUtilitySpace profiles
              (the profiles embed their domain, so the domain file may be
              left out)

Several domains are imported in one run when every PATH is a folder, or when
the files of each domain are joined by commas (domain.xml,a.xml,b.xml): -o
then names a folder, which gets one DIR/<domain>.yaml per domain, and the
paths written are printed.

The scenario written is one "parley validate" accepts: a domain parley cannot
represent (a reservation value outside 0..1, a weight of 0, control characters
in names, more than 16 MiB of scenario) is refused with the reason, exit
status 2.

Nonlinear (hyperRectangle) profiles cannot be imported: a parley scenario is
linear additive. "parley analyze" reads them directly.

Flags:
  -o FILE          write the scenario to FILE (.yaml, .yml or .json) instead
                   of standard output (YAML); with several domains, a
                   folder; "-" is standard output
  --real-steps N   values a real issue is discretised into (default 11)

Examples:
  parley import genius examples/research/holiday -o holiday.yaml
  parley import genius examples/research/holiday/{holiday_domain,ben,ana}.xml
  parley import geniusweb examples/research/flights -o flights.json
  parley import genius examples/research/holiday | parley analyze -
  parley import genius examples/research/{holiday,energy} -o out/
`,
		run: runImport,
	})
}

func runImport(ctx context.Context, e *env, args []string) error {
	c := commands["import"]
	fs := newFlags(c, e)
	out := fs.String("o", "", "")
	realSteps := fs.Int("real-steps", 0, "")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) < 2 {
		return usagef("expected a format (genius or geniusweb) and a path (see --help)")
	}
	format := genius.Format(args[0])
	if format != genius.FormatGenius && format != genius.FormatGeniusWeb {
		return usagef("unknown format %q: want genius or geniusweb", args[0])
	}
	groups := domainGroups(args[1:])
	if len(groups) > 1 {
		if *out == "" {
			return usagef("several domains: give -o DIR, the folder to write one scenario per domain into")
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
	}
	written := map[string]bool{}
	for _, g := range groups {
		d, err := loadDomain(g, *realSteps, scenario.MaxFileSize)
		if err != nil {
			if len(groups) > 1 {
				return fmt.Errorf("%s: %w", strings.Join(g, ","), err)
			}
			return err
		}
		if d.Format != format {
			return usagef("%s holds %s files, not %s", strings.Join(g, " "), d.Format, format)
		}
		if d.Scenario == nil {
			return badInput(fmt.Errorf("profile %s is nonlinear: a parley scenario is linear additive, so the domain cannot be imported (parley analyze reads it directly)", strings.Join(d.Nonlinear, ", ")))
		}
		for _, n := range d.Notes {
			if !strings.Contains(n, "evaluated") { // analysis notes
				fmt.Fprintf(e.stderr, "parley import: note: %s\n", n)
			}
		}
		if strings.Contains(d.Scenario.Disclaimer, "caps") {
			fmt.Fprintf(e.stderr, "parley import: warning: %s\n", d.Scenario.Disclaimer)
		}
		path := *out
		if len(groups) > 1 {
			path = filepath.Join(*out, d.Scenario.ID+".yaml")
			if written[path] {
				return badInput(fmt.Errorf("%s: another domain is also named %s", strings.Join(g, ","), d.Scenario.ID))
			}
			written[path] = true
		}
		enc := "yaml"
		if strings.EqualFold(filepath.Ext(path), ".json") {
			enc = "json"
		}
		data, err := scenario.Marshal(d.Scenario, enc)
		if err != nil {
			return err
		}
		if len(data) > scenario.MaxFileSize {
			return badInput(fmt.Errorf("%s: the scenario would take %d MiB, more than the %d MiB parley reads: import a smaller domain (fewer values or --real-steps)", strings.Join(g, " "), len(data)>>20, scenario.MaxFileSize>>20))
		}
		// Write only what parley itself accepts: what the research formats
		// allow and parley does not (a reservation value outside [0,1], a
		// weight of 0, text with control characters) is refused here, with
		// the reason, rather than written into a file validate refuses.
		if _, err := scenario.Load("imported."+enc, data); err != nil {
			// The lines of a file not written would mean nothing: say
			// where by element path only.
			var why []string
			var errs scenario.Errors
			if errors.As(err, &errs) {
				for _, e := range errs {
					why = append(why, (&scenario.Error{Path: e.Path, Msg: e.Msg}).Error())
				}
			} else {
				why = append(why, err.Error())
			}
			return badInput(fmt.Errorf("%s cannot be written as a parley scenario:\n  %s", strings.Join(g, " "), strings.Join(why, "\n  ")))
		}
		if path == "" || path == "-" {
			if _, err := e.stdout.Write(data); err != nil {
				return err
			}
			continue
		}
		if err := writeFileAtomic(path, data); err != nil {
			return err
		}
		if len(groups) > 1 {
			fmt.Fprintln(e.stdout, path)
		}
	}
	return nil
}
