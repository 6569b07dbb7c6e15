package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"parley/examples"
	"parley/scenario"
)

// runExampleCmd runs parley with args and returns its exit status and output.
func runExampleCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func TestExampleYAML(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "example")
	if code != 0 {
		t.Fatalf("parley example: exit %d, stderr %q", code, stderr)
	}
	if out != string(examples.Default) {
		t.Errorf("parley example: output differs from examples.Default (%d bytes, want %d)", len(out), len(examples.Default))
	}
}

func TestExampleJSON(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "example", "--json")
	if code != 0 {
		t.Fatalf("parley example --json: exit %d, stderr %q", code, stderr)
	}
	var got scenario.Scenario
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("parley example --json: output is not JSON: %v", err)
	}
	var want scenario.Scenario
	if err := yaml.Unmarshal(examples.Default, &want); err != nil {
		t.Fatalf("%s: %v", examples.DefaultName, err)
	}
	if diff := cmp.Diff(want.Parties, got.Parties); diff != "" {
		t.Errorf("parties (-yaml +json):\n%s", diff)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scenario (-yaml +json):\n%s", diff)
	}
}

func TestExampleUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"example", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"example", "--yaml"}, 2, "", "unknown flag --yaml"},
		{[]string{"example", "--help"}, 0, "parley example [--json]", ""},
		{[]string{"help", "example"}, 0, "parley example --json >", ""},
		{[]string{"help"}, 0, "example", ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := runExampleCmd(t, tt.args...)
		if code != tt.code {
			t.Errorf("%q: exit %d, want %d (stderr %q)", tt.args, code, tt.code, stderr)
		}
		if !strings.Contains(stdout, tt.inStdout) {
			t.Errorf("%q: stdout %q does not contain %q", tt.args, stdout, tt.inStdout)
		}
		if !strings.Contains(stderr, tt.inStderr) {
			t.Errorf("%q: stderr %q does not contain %q", tt.args, stderr, tt.inStderr)
		}
	}
}
