package main

import (
	"strings"
	"testing"
)

// flat joins the words of a laid-out output into one line, so that a test
// can look for a sentence wherever the layout broke it.
func flat(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, nbsp, " ")), " ")
}

// TestConcessionsMeasure: the concessions say what they are measured
// against, the options of the version, so that "nobody gives up anything"
// does not read as every party having its way in a version that crosses a
// red line.
func TestConcessionsMeasure(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "analyze", "--version", "v1", "--width", "80")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text := flat(out)
	for _, want := range []string{
		"crosses ua's red line",
		"against the best option this version offers it on each point (not its best over all versions)",
		"each party has the best of the options this version offers",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report of v1 does not say %q", want)
		}
	}
	if strings.Contains(text, "has its best option on every point") {
		t.Errorf("the report of v1 says every party has its best option on every point")
	}
}
