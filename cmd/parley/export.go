package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"parley/genius"
	"parley/scenario"
)

func init() {
	register(&command{
		name:    "export",
		summary: "write GENIUS or GeniusWeb files, or a negotiation as a scenario",
		usage: `Usage: parley export genius|geniusweb SCENARIO -o DIR [--version ID] [--lossy]
       parley export scenario --db DB --negotiation ID [--for READER] [-o FILE]

SCENARIO is a scenario file, or "-" for standard input.

export genius|geniusweb writes one version of a scenario in a research
format: a domain with one issue per point, and one profile per party that
holds a position and bargains (mediators and observers are left out unless
bargains: true). Reading the files back gives the same analysis. See
docs/genius.md.

  genius      DIR/<scenario>_domain.xml (DIR/<scenario>.xml when the id
              already ends in _domain) and DIR/<party>.xml
  geniusweb   DIR/<scenario>.json and DIR/<party>.json

What the formats cannot say makes the export fail, unless --lossy is given:
then red lines get utility 0, linkages are dropped, a GeniusWeb reservation
value becomes the utility of the nearest package (GeniusWeb states it only as
a reservation bid), a GeniusWeb party whose utility can exceed 1 has its
utilities divided by the largest, and GENIUS's cap of utilities at 1 is
accepted. Each loss is reported once on standard error. GeniusWeb weights are
made to add up to exactly 1 without changing any utility.

export scenario reads a negotiation from the database of "parley serve" (a
SQLite file or a postgres:// URL) and writes it as a scenario file, exactly
as GET /api/negotiations/ID/scenario.yaml gives it to that reader: by
default the mediator's view (everything); with --for PARTY only what that
party may see. YAML on standard output, or to FILE (written whole or not at
all; JSON when FILE ends in .json). See docs/commands.md.

Flags:
  -o DIR             the folder to write into (created if needed; required)
                     (export scenario: the file to write, "-" for standard
                     output)
  --version ID       the version of the text to export (default: the last)
  --lossy            export what cannot be represented exactly, saying what
                     changed
  --db DB            export scenario: the server's SQLite file or
                     postgres:// URL
  --negotiation ID   export scenario: the negotiation's id
  --for READER       export scenario: mediator (default) or a party's id

Examples:
  parley export genius holiday.yaml -o holiday-genius
  parley export geniusweb talks.yaml -o talks-gw --lossy
  parley example | parley export genius - -o example-genius --lossy
  parley analyze holiday-genius
  parley export scenario --db parley.db --negotiation ukraine-2025 -o all.yaml
  parley export scenario --db parley.db --negotiation ukraine-2025 --for ua
`,
		run: runExport,
	})
}

func runExport(ctx context.Context, e *env, args []string) error {
	c := commands["export"]
	fs := newFlags(c, e)
	dir := fs.String("o", "", "")
	version := fs.String("version", "", "")
	lossy := fs.Bool("lossy", false, "")
	db := fs.String("db", "", "")
	negotiationID := fs.String("negotiation", "", "")
	reader := fs.String("for", "mediator", "")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) > 0 && args[0] == "scenario" {
		if len(args) != 1 {
			return usagef("export scenario reads from --db, not from a file: unexpected %q", args[1])
		}
		if *version != "" || *lossy {
			return usagef("--version and --lossy go with export genius|geniusweb; export scenario writes every version")
		}
		return exportScenario(ctx, e, *db, *negotiationID, *reader, *dir)
	}
	if *db != "" || *negotiationID != "" || *reader != "mediator" {
		return usagef("--db, --negotiation and --for go with export scenario (see --help)")
	}
	if len(args) != 2 {
		return usagef("expected a format (genius or geniusweb) and one scenario file (see --help)")
	}
	if *dir == "" {
		return usagef("-o DIR is required")
	}
	write := genius.WriteGenius
	switch genius.Format(args[0]) {
	case genius.FormatGenius:
	case genius.FormatGeniusWeb:
		write = genius.WriteGeniusWeb
	default:
		return usagef("unknown format %q: want genius, geniusweb or scenario", args[0])
	}
	s, err := loadScenarioArg(e, args[1])
	if err != nil {
		return err
	}
	x, err := write(s, genius.ExportOptions{Version: *version, Lossy: *lossy})
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", args[1], err))
	}
	for _, w := range x.Warnings {
		exportNotice(e, "lossy: "+w)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	for _, f := range x.Files {
		p := filepath.Join(*dir, f.Name)
		if err := writeFileAtomic(p, f.Data); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, p)
	}
	return nil
}

// loadScenarioArg loads the scenario file named on the command line, "-"
// for standard input; every failure is bad input.
func loadScenarioArg(e *env, file string) (*scenario.Scenario, error) {
	if file != "-" {
		s, err := scenario.LoadFile(file)
		return s, badInput(err)
	}
	data, err := scenario.ReadAll("<stdin>", e.stdin)
	if err != nil {
		return nil, readError(err)
	}
	s, err := scenario.Load("<stdin>", data)
	return s, badInput(err)
}

// exportNotice writes msg on standard error after "parley export: ",
// wrapped at spaces to the width of the output (80 columns by default),
// the lines after the first indented. A word is never split: a path or an
// id longer than a line gets a line of its own.
func exportNotice(e *env, msg string) {
	const prefix, indent = "parley export: ", "    "
	width := max(e.layout(0, 0).width, minWidth)
	var b strings.Builder
	b.WriteString(prefix)
	col := len(prefix)
	for i, w := range strings.Fields(sanitize(msg)) {
		n := runeLen(w)
		if i > 0 && col+1+n > width {
			b.WriteString("\n" + indent)
			col = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	b.WriteByte('\n')
	io.WriteString(e.stderr, b.String())
}
