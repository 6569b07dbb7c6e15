package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"parley/analysis"
	"parley/scenario"
)

func init() {
	register(&command{
		name:    "validate",
		summary: "check scenario files against the format and for consistency",
		usage: `Usage: parley validate [--json] FILE...

Checks parley scenario files, YAML or JSON: first against the format (required
fields, types, allowed values and ranges, no unknown fields), then for
consistency (unique ids; parties, versions, points and options that exist;
no cycles of parent versions). "-" reads standard input.

Prints "FILE: ok (N parties, M versions, K points in latest)" on standard
output for each valid file, and each problem of an invalid file on standard
error, one per line, as FILE:LINE:COLUMN: PATH: MESSAGE.

It also compiles every version as "parley analyze" would: a position that
names a point of a version but gives no stance on one of its options there
is an error; a version on which no party holds a position yet is a warning.

Exit status: 0 when every file is valid (warnings aside), 2 when a file is
invalid or cannot be read.

Flags:
  --json   print one JSON report on standard output instead:
           {"files": [{"file": F, "valid": B,
                       "errors": [{"line", "column", "path", "message"}]}]}

Examples:
  parley validate talks.yaml
  parley validate talks.yaml examples/*.yaml
  parley example | parley validate -
  parley validate --json talks.yaml

The format is described in docs/format.md; "parley schema" prints its JSON
Schema.
`,
		run: runValidate,
	})
	register(&command{
		name:    "schema",
		summary: "print the JSON Schema of the scenario file format",
		usage: `Usage: parley schema

Prints the JSON Schema (draft 2020-12) of parley's scenario file format, for
editors and tools that check YAML or JSON against a schema. The schema says
what each field holds; "parley validate" also checks what a schema cannot:
unique ids and references between parties, versions, points and options.

Examples:
  parley schema > scenario.schema.json
  # then, on the first line of a scenario, for editors that read it:
  # yaml-language-server: $schema=scenario.schema.json
`,
		run: runSchema,
	})
}

// validation is the outcome of validating one file, as --json prints it.
type validation struct {
	File   string            `json:"file"`
	Valid  bool              `json:"valid"`
	Errors []validationError `json:"errors"`
	// Warnings are what keeps a valid file from being analysed in full,
	// such as a version on which no party holds a position yet.
	Warnings []string `json:"warnings,omitempty"`

	scenario *scenario.Scenario
	problems scenario.Errors // when invalid
	readErr  error           // when the file cannot be read
}

type validationError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(commands["validate"], e)
	asJSON := fs.Bool("json", false, "print a JSON report")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no scenario file given (see --help)")
	}
	var (
		results             []*validation
		invalid, unreadable int
	)
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		v := validateFile(e, file)
		results = append(results, v)
		switch {
		case v.readErr != nil:
			unreadable++
		case !v.Valid:
			invalid++
		}
		if !*asJSON {
			printValidation(e, v)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Files []*validation `json:"files"`
		}{results}); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	switch {
	case unreadable > 0:
		if len(files) == 1 {
			return badInput(errors.New("the file could not be read"))
		}
		return badInput(fmt.Errorf("%d of %d files could not be read", unreadable, len(files)))
	case invalid > 0:
		if len(files) == 1 {
			return badInput(errors.New("the file is invalid"))
		}
		return badInput(fmt.Errorf("%d of %d files are invalid", invalid, len(files)))
	}
	return nil
}

// validateFile loads one file; "-" is standard input.
func validateFile(e *env, file string) *validation {
	v := &validation{File: file, Errors: []validationError{}}
	var (
		err  error
		data []byte
	)
	if file == "-" {
		v.File = "<stdin>"
		data, err = scenario.ReadAll(v.File, e.stdin)
	} else {
		data, err = scenario.ReadFile(file)
	}
	var tl *scenario.TooLargeError
	if errors.As(err, &tl) {
		err = scenario.Errors{{File: v.File, Msg: fmt.Sprintf("file is larger than %d MiB", scenario.MaxFileSize>>20)}}
	} else if err != nil && file != "-" {
		err = fmt.Errorf("load scenario: %w", err)
	}
	if err == nil {
		v.scenario, err = scenario.Load(v.File, data)
	}
	if err == nil {
		v.problems, v.Warnings = analysable(v.File, data, v.scenario)
	}
	if err == nil && len(v.problems) > 0 {
		err = v.problems
	}
	if err == nil {
		v.Valid = true
		return v
	}
	if !errors.As(err, &v.problems) {
		v.readErr = err
		v.Errors = append(v.Errors, validationError{Message: err.Error()})
		return v
	}
	for _, p := range v.problems {
		v.Errors = append(v.Errors, validationError{Line: p.Line, Column: p.Column, Path: p.Path, Message: p.Msg})
	}
	return v
}

// printValidation writes the outcome of one file in text.
func printValidation(e *env, v *validation) {
	switch {
	case v.readErr != nil:
		fmt.Fprintln(e.stderr, v.readErr)
	case !v.Valid:
		// Load collects at most scenario.MaxErrors problems, and says
		// so when it stopped.
		for _, p := range v.problems {
			fmt.Fprintln(e.stderr, p)
		}
	default:
		for _, w := range v.Warnings {
			fmt.Fprintf(e.stderr, "%s: warning: %s\n", v.File, w)
		}
		s := v.scenario
		points := 0
		if latest, ok := s.Version(""); ok {
			points = len(latest.Points())
		}
		fmt.Fprintf(e.stdout, "%s: ok (%s, %s, %s in latest)\n", v.File,
			count(len(s.Parties), "party", "parties"), count(len(s.Versions), "version", "versions"),
			count(points, "point", "points"))
	}
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func runSchema(ctx context.Context, e *env, args []string) error {
	fs := newFlags(commands["schema"], e)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (see --help)", rest[0])
	}
	if _, err := e.stdout.Write(scenario.Schema); err != nil {
		return fmt.Errorf("write schema: %w", err)
	}
	return nil
}

// analysable compiles every version of s as the analysis does: problems
// at a place of the file are errors, the others warnings.
func analysable(file string, data []byte, s *scenario.Scenario) (scenario.Errors, []string) {
	var (
		errs     scenario.Errors
		warnings []string
	)
	for _, v := range s.Versions {
		_, err := analysis.Compile(s, v.ID)
		if err == nil {
			continue
		}
		var pe *scenario.PathError
		if errors.As(err, &pe) {
			errs = append(errs, scenario.ErrorAt(file, data, pe.Msg+" (needed to analyse version "+v.ID+")", pe.Path...))
			continue
		}
		warnings = append(warnings, err.Error()+", so it cannot be analysed")
	}
	return errs, warnings
}
