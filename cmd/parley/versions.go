package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

func init() {
	register(&command{
		name:    "versions",
		summary: "list the versions of a scenario's text",
		usage: `Usage: parley versions [--json] [FILE]

Lists the versions of the text, oldest first: id, date, title, author, the
version it follows, and how many points it has (dropped points aside) and
how many of them are still open. The ids are those that analyze, diff, text
and plot take.

FILE is a parley scenario (YAML or JSON; "-" reads standard input); without
FILE, parley lists the versions of its embedded default scenario.

Flags:
  --json    print [{"id", "title", "date", "author", "parent", "points",
            "open"}]

Examples:
  parley versions
  parley versions talks.yaml
`,
		run: runVersions,
	})
}

// versionJSON is one version as "parley versions --json" prints it.
type versionJSON struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Date   string `json:"date,omitempty"`
	Author string `json:"author,omitempty"`
	Parent string `json:"parent,omitempty"`
	Points int    `json:"points"`
	Open   int    `json:"open"`
}

func runVersions(ctx context.Context, e *env, args []string) error {
	fs := newFlags(commands["versions"], e)
	asJSON := fs.Bool("json", false, "")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	_, _, sc, err := readScenario(paths, e.stdin)
	if err != nil {
		return err
	}
	out := []versionJSON{}
	for i := range sc.Versions {
		v := &sc.Versions[i]
		pkg, open := v.Proposal()
		out = append(out, versionJSON{ID: v.ID, Title: oneLine(v.Title), Date: v.Date, Author: v.Author, Parent: v.Parent, Points: len(pkg) + len(open), Open: len(open)})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	l := e.layout(0, 2)
	bw := bufio.NewWriter(e.stdout)
	idw := 0
	for _, v := range out {
		idw = max(idw, runeLen(v.ID))
	}
	for _, v := range out {
		var facts []string
		if v.Date != "" {
			facts = append(facts, v.Date)
		}
		if v.Author != "" {
			facts = append(facts, "by "+authorName(sc, v.Author))
		}
		if v.Parent != "" {
			facts = append(facts, "follows "+v.Parent)
		}
		facts = append(facts, strings.Replace(plural(v.Points, "point", "points"), " ", nbsp, 1))
		if v.Open > 0 {
			facts = append(facts, fmt.Sprintf("%d"+nbsp+"open", v.Open))
		}
		first := l.paint(v.ID, bold) + strings.Repeat(" ", idw-runeLen(v.ID)+2)
		l.para(bw, first, strings.Repeat(" ", idw+2), s(v.Title+" — "+strings.Join(facts, ", ")))
	}
	return bw.Flush()
}
