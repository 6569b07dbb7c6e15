package main

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDiffGains checks the "who gained" part of diff: in JSON, each
// party's change is its utility of B less that of A, and the points'
// contributions add up to the part due to the text; in text, every party
// is named with its verdict.
func TestDiffGains(t *testing.T) {
	for _, pair := range [][2]string{{"v1", "v2"}, {"v1", "v4"}, {"v3", "v4"}} {
		code, out, stderr := runExampleCmd(t, "diff", "--json", pair[0], pair[1])
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", pair, code, stderr)
		}
		var got diffJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v", pair, err)
		}
		g := got.Gains
		if g == nil || g.From != pair[0] || g.To != pair[1] {
			t.Fatalf("%v: gains %+v (note %q), want the change from %s to %s", pair, g, got.GainsNote, pair[0], pair[1])
		}
		for k, pc := range g.Parties {
			if pc.Change != nil && math.Abs(*pc.To-*pc.From-*pc.Change) > 1e-9 {
				t.Errorf("%v: %s: change %v, want %v − %v", pair, pc.Party, *pc.Change, *pc.To, *pc.From)
			}
			if pc.Text == nil {
				continue
			}
			sum := 0.0
			for _, p := range g.Points {
				if c := p.Contributions[k]; c != nil {
					sum += *c
				}
			}
			if math.Abs(sum-*pc.Text) > 1e-9 {
				t.Errorf("%v: %s: contributions add up to %v, want %v", pair, pc.Party, sum, *pc.Text)
			}
		}
		code, out, _ = runExampleCmd(t, "diff", pair[0], pair[1])
		if code != 0 || !strings.Contains(out, "Who gained") {
			t.Fatalf("%v: exit %d, no “Who gained”:\n%s", pair, code, out)
		}
		for _, pc := range g.Parties {
			if !strings.Contains(out, "  "+pc.Party+" ") {
				t.Errorf("%v: party %s missing from “Who gained”:\n%s", pair, pc.Party, out)
			}
		}
	}
	code, out, _ := runExampleCmd(t, "diff", "--json", "v2", "v2")
	if code != 0 || !strings.Contains(out, `"gains": null`) || !strings.Contains(out, `"gains_note"`) {
		t.Errorf("diff of a version with itself: exit %d, want gains null with a note:\n%s", code, out)
	}
}

// TestDiffChangesAsPrinted checks each "Who gained" line of parley diff on
// every pair of versions of the default scenario: the change printed is
// the difference of the utilities printed, and a range's bounds those of
// the range less the single utility when only one side is a range.
func TestDiffChangesAsPrinted(t *testing.T) {
	line := regexp.MustCompile(`(?m)^  (\S+) +(\d\.\d+)(?:–(\d\.\d+))?!? +→ (\d\.\d+)(?:–(\d\.\d+))?!? +(gained|lost|unchanged|a change of)(?: (\S+)(?: to (\S+))?)?`)
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.Replace(s, "−", "-", 1), 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	checked := 0
	for _, a := range []string{"v1", "v2", "v3", "v4"} {
		for _, b := range []string{"v1", "v2", "v3", "v4"} {
			if a == b {
				continue
			}
			code, out, stderr := runExampleCmd(t, "diff", "--width", "80", a, b)
			if code != 0 {
				t.Fatalf("diff %s %s: exit %d, stderr %q", a, b, code, stderr)
			}
			for _, m := range line.FindAllStringSubmatch(out, -1) {
				from, to := num(m[2]), num(m[4])
				if m[6] == "a change of" && m[8] == "" {
					m[8] = m[7] // one number when both bounds print the same
				}
				fromRange, toRange := m[3] != "", m[5] != ""
				switch {
				case m[6] == "unchanged":
					if !near(from, to) {
						t.Errorf("diff %s %s: %s unchanged from %s to %s", a, b, m[1], m[2], m[4])
					}
				case m[6] == "gained" || m[6] == "lost":
					want := math.Abs(to - from)
					if !near(num(m[7]), want) {
						t.Errorf("diff %s %s: %q, want %.2f", a, b, m[0], want)
					}
				case fromRange && toRange:
					// The engine's bounds: open points may be open in both.
				case fromRange:
					lo, hi := to-num(m[3]), to-from
					if !near(num(m[7]), lo) || !near(num(m[8]), hi) {
						t.Errorf("diff %s %s: %q, want %+.2f to %+.2f", a, b, m[0], lo, hi)
					}
				case toRange:
					lo, hi := to-from, num(m[5])-from
					if !near(num(m[7]), lo) || !near(num(m[8]), hi) {
						t.Errorf("diff %s %s: %q, want %+.2f to %+.2f", a, b, m[0], lo, hi)
					}
				}
				checked++
			}
		}
	}
	if checked < 12*4 {
		t.Errorf("%d lines checked, want every party of every pair", checked)
	}
}
