package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// TestGolden pins the human report and the JSON contract on the default
// scenario and on the small fixture: any change to what parley prints shows
// up here, and "go test ./cmd/parley -run Golden -update" records it once
// reviewed.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runExampleCmd(t, c.args...)
			if code != 0 {
				t.Fatalf("%v: exit %d, stderr %q", c.args, code, stderr)
			}
			path := filepath.Join("testdata", "golden", c.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), out); diff != "" {
				t.Errorf("%v (-want +got):\n%s", c.args, diff)
			}
		})
	}
}

type goldenCase struct {
	name  string
	args  []string
	width int // 0 for JSON and HTML, which are not laid out in columns
}

// goldenCases are the outputs pinned by golden files: the report, the
// text and the comparison of each version of the default scenario, at 80
// and 120 columns, and the JSON contracts.
func goldenCases() []goldenCase {
	cases := []goldenCase{
		{"default-v1.json", []string{"analyze", "--json", "--version", "v1"}, 0},
		{"small.txt", []string{"analyze", "testdata/analyze/small.yaml"}, 80},
		{"small.json", []string{"analyze", "--json", "testdata/analyze/small.yaml"}, 0},
		{"proposed-v2.txt", []string{"analyze", "testdata/analyze/proposed.yaml"}, 80},
		{"proposed-diff.txt", []string{"diff", "testdata/analyze/proposed.yaml", "v1", "v2"}, 80},
		{"proposed-diff.json", []string{"diff", "--json", "testdata/analyze/proposed.yaml", "v1", "v2"}, 0},
		{"proposed-text.txt", []string{"text", "testdata/analyze/proposed.yaml"}, 80},
		{"proposed-text.md", []string{"text", "--format", "markdown", "testdata/analyze/proposed.yaml"}, 0},
		{"proposed-text.html", []string{"text", "--format", "html", "testdata/analyze/proposed.yaml"}, 0},
		{"default-diff-v1-v4.json", []string{"diff", "--json", "v1", "v4"}, 0},
		// Versions that propose packages, dated positions, a mediator and an
		// observer shown but not counted: scorecards, the text over time,
		// concessions, improvements and what-if changes.
		{"versions-v2.txt", []string{"analyze", "--version", "v2", "--compare", "v1,v3", "testdata/analyze/versions.yaml"}, 80},
		{"versions-v2.json", []string{"analyze", "--json", "--version", "v2", "--compare", "v1,v3", "testdata/analyze/versions.yaml"}, 0},
		{"versions-whatif.txt", []string{"analyze", "--version", "v1", "--as-of", "2024-05-15", "--count", "alt,ben,med", "--lift", "alt:water=f70", "--reservation", "alt=0.5", "--weight", "ben:fish=1", "testdata/analyze/versions.yaml"}, 80},
		{"versions-whatif.json", []string{"analyze", "--json", "--version", "v1", "--as-of", "2024-05-15", "--count", "alt,ben,med", "--lift", "alt:water=f70", "--reservation", "alt=0.5", "--weight", "ben:fish=1", "testdata/analyze/versions.yaml"}, 0},
		{"improve-v2.txt", []string{"improve", "--from", "v2", "testdata/analyze/versions.yaml"}, 80},
		{"improve-v2.json", []string{"improve", "--json", "--from", "v2", "testdata/analyze/versions.yaml"}, 0},
		{"improve-default-v2.txt", []string{"improve", "--version", "v2", "--from", "v2"}, 80},
		// A what-if and named options: the banner first, the options under
		// the baseline, and improvements on the default scenario.
		{"improve-default-whatif.txt", []string{"improve", "--from", "v2", "--lift", "ru:territory=line_of_contact", "--package", "nato=ban,amnesty=full_amnesty"}, 80},
		{"default-brief-ua-80.txt", []string{"brief", "--for", "ua", "--width", "80"}, 80},
		{"default-brief-mediator-80.txt", []string{"brief", "--for", "mediator", "--width", "80"}, 80},
		{"default-brief-ua-120.txt", []string{"brief", "--for", "ua", "--width", "120"}, 120},
		{"default-brief-mediator-120.txt", []string{"brief", "--for", "mediator", "--width", "120"}, 120},
		{"default-brief-ru-v1-80.txt", []string{"brief", "--for", "ru", "--version", "v1", "--width", "80"}, 80},
	}
	versions := []string{"v1", "v2", "v3", "v4"}
	for _, w := range []int{80, 120} {
		ws := fmt.Sprint(w)
		for i, v := range versions {
			cases = append(cases,
				goldenCase{fmt.Sprintf("default-%s-%d.txt", v, w), []string{"analyze", "--version", v, "--width", ws}, w},
				goldenCase{fmt.Sprintf("default-text-%s-%d.txt", v, w), []string{"text", "--version", v, "--width", ws}, w})
			if i > 0 {
				prev := versions[i-1]
				if v == "v3" {
					prev = "v1" // v3 follows v1, not v2
				}
				cases = append(cases, goldenCase{fmt.Sprintf("default-diff-%s-%s-%d.txt", prev, v, w), []string{"diff", prev, v, "--width", ws}, w})
			}
		}
	}
	return cases
}

// TestLayout checks every laid-out golden output: no line wider than its
// width, none ending in a space, no escape sequence when not a terminal.
func TestLayout(t *testing.T) {
	for _, c := range goldenCases() {
		if c.width == 0 {
			continue
		}
		code, out, stderr := runExampleCmd(t, c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", c.args, code, stderr)
		}
		for i, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > c.width {
				t.Errorf("%v: line %d has %d columns, more than %d: %q", c.args, i+1, n, c.width, line)
			}
			if strings.TrimRight(line, " \t") != line {
				t.Errorf("%v: line %d ends in white space: %q", c.args, i+1, line)
			}
			if strings.ContainsRune(line, 0x1b) {
				t.Errorf("%v: line %d has an escape sequence: %q", c.args, i+1, line)
			}
		}
	}
}
