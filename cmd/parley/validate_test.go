package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"parley/scenario"
)

// runValidateCmd runs parley with args and the given standard input.
func runValidateCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

const (
	okFile           = "testdata/validate/ok.yaml"
	badFile          = "testdata/validate/bad.yaml"
	inconsistentFile = "testdata/validate/inconsistent.yaml"
	okLine           = okFile + ": ok (2 parties, 1 version, 1 point in latest)\n"
	badLine          = badFile + `:6:28: parties[1].role: "boss" is not one of mediator, party, observer` + "\n"
	inconsistentLine = inconsistentFile + `:6:10: parties[1].id: duplicate party id "a" (first at line 5)` + "\n"
)

func TestValidateCommand(t *testing.T) {
	okData, err := os.ReadFile(okFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		stdin          string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"valid", "", []string{"validate", okFile}, 0, okLine, ""},
		{"schema error", "", []string{"validate", badFile}, 2, "",
			badLine + "parley validate: the file is invalid\n"},
		{"consistency error", "", []string{"validate", inconsistentFile}, 2, "",
			inconsistentLine + "parley validate: the file is invalid\n"},
		{"several files", "", []string{"validate", okFile, badFile, inconsistentFile}, 2, okLine,
			badLine + inconsistentLine + "parley validate: 2 of 3 files are invalid\n"},
		{"standard input", string(okData), []string{"validate", "-"}, 0,
			"<stdin>: ok (2 parties, 1 version, 1 point in latest)\n", ""},
		{"empty standard input", "", []string{"validate", "-"}, 2, "",
			"<stdin>: the file is empty: want a scenario in YAML or JSON\nparley validate: the file is invalid\n"},
		{"missing file", "", []string{"validate", okFile, "testdata/validate/missing.yaml"}, 2, okLine,
			"load scenario: open testdata/validate/missing.yaml: no such file or directory\n" +
				"parley validate: 1 of 2 files could not be read\n"},
		{"no file", "", []string{"validate"}, 2, "", "parley validate: no scenario file given (see --help)\n"},
		{"missing stance", "", []string{"validate", "testdata/analyze/nostance.yaml"}, 2, "",
			"testdata/analyze/nostance.yaml:22:9: positions[0].points[0]: the position of a on point p1 gives no stance on option o2, which the point has in version v1 (needed to analyse version v1)\n" +
				"parley validate: the file is invalid\n"},
		{"no position yet", "", []string{"validate", "testdata/validate/unanalysable.yaml"}, 0,
			"testdata/validate/unanalysable.yaml: ok (1 party, 1 version, 1 point in latest)\n",
			"testdata/validate/unanalysable.yaml: warning: version v1: no party holds a position on any of its points, so it cannot be analysed\n"},
		{"unknown flag", "", []string{"validate", "--yaml", okFile}, 2, "",
			"parley validate: unknown flag --yaml (see --help)\n"},
		{"schema", "", []string{"schema"}, 0, string(scenario.Schema), ""},
		{"schema with argument", "", []string{"schema", "x"}, 2, "", "parley schema: unexpected argument \"x\" (see --help)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runValidateCmd(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("parley %v: exit status %d, want %d", tt.args, code, tt.code)
			}
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("parley %v: stdout (-want +got):\n%s", tt.args, diff)
			}
			if diff := cmp.Diff(tt.stderr, stderr); diff != "" {
				t.Errorf("parley %v: stderr (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

// The --json report, as a reader of it would declare it.
type (
	reportError struct {
		Line, Column  int
		Path, Message string
	}
	reportFile struct {
		File   string
		Valid  bool
		Errors []reportError
	}
	report struct{ Files []reportFile }
)

func TestValidateJSON(t *testing.T) {
	// Flags may follow the files.
	code, stdout, stderr := runValidateCmd(t, "", "validate", okFile, badFile, "testdata/validate/missing.yaml", "--json")
	if code != 2 {
		t.Errorf("exit status %d, want 2; stderr %q", code, stderr)
	}
	var got report
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("report is not the expected JSON: %v\n%s", err, stdout)
	}
	want := report{Files: []reportFile{
		{okFile, true, []reportError{}},
		{badFile, false, []reportError{{6, 28, "parties[1].role", `"boss" is not one of mediator, party, observer`}}},
		{"testdata/validate/missing.yaml", false, []reportError{{0, 0, "", "load scenario: open testdata/validate/missing.yaml: no such file or directory"}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if !strings.Contains(stdout, `"errors": []`) {
		t.Errorf("a valid file's errors must be an empty list, not null:\n%s", stdout)
	}
}

func TestValidateManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("parley: 1\nid: many\ntitle: T\nparties:\n")
	for range scenario.MaxShown + 5 {
		b.WriteString("  - {id: a, name: A, role: party, reservation: 0}\n")
	}
	b.WriteString("versions:\n  - {id: v1, title: V, blocks: []}\n")
	code, _, stderr := runValidateCmd(t, b.String(), "validate", "-")
	if code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) != scenario.MaxShown+2 {
		t.Fatalf("%d lines on stderr, want %d:\n%s", len(lines), scenario.MaxShown+2, stderr)
	}
	if want := "<stdin>: too many errors: stopped looking after the first 50"; lines[scenario.MaxShown] != want {
		t.Errorf("line %d = %q, want %q", scenario.MaxShown+1, lines[scenario.MaxShown], want)
	}
}

func TestValidateHelp(t *testing.T) {
	for _, args := range [][]string{{"validate", "-h"}, {"validate", "--help"}, {"help", "validate"}, {"schema", "-h"}} {
		code, stdout, stderr := runValidateCmd(t, "", args...)
		if code != 0 || stderr != "" {
			t.Errorf("parley %v: exit status %d, stderr %q", args, code, stderr)
		}
		name := args[0]
		if name == "help" {
			name = args[1]
		}
		want := commands[name].help()
		if stdout != want {
			t.Errorf("parley %v printed %q, want the usage", args, stdout)
		}
		if !strings.Contains(stdout, "Examples:") {
			t.Errorf("parley %v: usage has no examples", args)
		}
	}
}
