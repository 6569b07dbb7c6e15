package main

import (
	"context"
	"fmt"

	"parley/examples"
	"parley/scenario"
)

func init() {
	register(&command{
		name:    "example",
		summary: "write the default scenario (the 2025 US peace plan for Ukraine)",
		usage: `Usage: parley example [--json]

Writes parley's default scenario to standard output: the 2025 US peace plan
for the Russia–Ukraine war, from the 28-point plan to the 20-point framework,
with the positions of the United States, Ukraine, Russia and the European E3
as reported in the press. Its weights, utilities and reservation values are
illustrative, as its disclaimer says.

The scenario is written in parley's YAML format, exactly as shipped, comments
included; with --json it is converted to the equivalent JSON.

Flags:
  --json   write JSON instead of YAML

Examples:
  parley example > ukraine-2025.yaml
  parley example --json > ukraine-2025.json
`,
		run: runExample,
	})
}

func runExample(ctx context.Context, e *env, args []string) error {
	c := commands["example"]
	fs := newFlags(c, e)
	asJSON := fs.Bool("json", false, "write JSON instead of YAML")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (see --help)", rest[0])
	}
	out := examples.Default
	if *asJSON {
		s, err := scenario.Load(examples.DefaultName, examples.Default)
		if err != nil {
			return fmt.Errorf("load the default scenario: %w", err)
		}
		if out, err = scenario.Marshal(s, "json"); err != nil {
			return fmt.Errorf("convert the default scenario to JSON: %w", err)
		}
	}
	if _, err := e.stdout.Write(out); err != nil {
		return fmt.Errorf("write the default scenario: %w", err)
	}
	return nil
}
