package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// orsaScenario writes docs/format.md's Orsa River example to a file.
func orsaScenario(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/format.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		if strings.HasPrefix(m[1], "# The Orsa River") {
			path := filepath.Join(t.TempDir(), "orsa.yaml")
			if err := os.WriteFile(path, []byte(m[1]), 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}
	}
	t.Fatal("docs/format.md has no complete Orsa River example")
	return ""
}

// TestOrsaAgreement checks that on docs/format.md's Orsa River example,
// whose zone of agreement is open, every pairing of time-based strategies
// agrees.
func TestOrsaAgreement(t *testing.T) {
	path := orsaScenario(t)
	for _, version := range []string{"v1", "v2"} {
		code, out, stderr := runSimulateCmd(t, false, path, "--version", version, "--json", "--reps", "3",
			"--strategies", "boulware,linear,conceder,time:0.5,time:5,time:50")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		var rep struct {
			Negotiations []struct {
				Strategies []string `json:"strategies"`
				Agreement  bool     `json:"agreement"`
				Rep        int      `json:"rep"`
			} `json:"negotiations"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Negotiations) != 6*6*3 {
			t.Fatalf("%s: %d negotiations, want %d", version, len(rep.Negotiations), 6*6*3)
		}
		for _, n := range rep.Negotiations {
			if !n.Agreement {
				t.Errorf("%s: %s, repetition %d: no agreement", version, strings.Join(n.Strategies, " vs "), n.Rep)
			}
		}
	}
}

// TestSimulateClosedZone checks that simulate says before it starts when
// no package is acceptable to all, or none gives every party its
// reservation value.
func TestSimulateClosedZone(t *testing.T) {
	path := orsaScenario(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, want string }{
		{"no package acceptable to all", "{option: f60, stance: accept}", "{option: f60, stance: red_line}",
			"no package is acceptable to all parties"},
		{"reservation values too high", "reservation: 0.35", "reservation: 0.95",
			"no package acceptable to all gives every party its reservation value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "closed.yaml")
			if err := os.WriteFile(p, []byte(strings.Replace(string(data), tt.old, tt.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, terminal := range []bool{true, false} {
				code, out, stderr := runSimulateCmd(t, terminal, p, "--strategies", "conceder", "--rounds", "20")
				if code != 0 {
					t.Fatalf("exit %d, stderr %q", code, stderr)
				}
				want := fmt.Sprintf("orsa-river: %s", tt.want)
				if !strings.Contains(flat(stderr), want) {
					t.Errorf("terminal %v: stderr %q does not contain %q", terminal, stderr, want)
				}
				for _, line := range strings.Split(stderr, "\n") {
					if utf8.RuneCountInString(line) > 80 || strings.Contains(line, " will ") {
						t.Errorf("stderr line %q: wider than 80 columns or in the future tense", line)
					}
				}
				if strings.Contains(flat(out), want) {
					t.Errorf("the summary repeats the note said up front:\n%s", out)
				}
			}
			code, out, stderr := runSimulateCmd(t, false, p, "--json", "--strategies", "conceder", "--rounds", "20")
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("--json: exit %d, stderr %q; the notes lack %q", code, stderr, tt.want)
			}
		})
	}
}
