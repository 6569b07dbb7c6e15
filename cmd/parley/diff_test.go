package main

import (
	"encoding/json"
	"math"
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
