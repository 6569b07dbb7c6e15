package main

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"parley/analysis"

	"pgregory.net/rapid"
)

var (
	// givesUp is "ua gives up 0.33: …." up to the end of its paragraph.
	givesUp = regexp.MustCompile(`(?m)^  (\S+) gives up (\d+(?:\.\d+)?): (.*)\.$`)
	// partCost is a part's cost in brackets: "(−0.20, its red line)".
	partCost = regexp.MustCompile(`\((−?\d+(?:\.\d+)?)(?:, its red line)?\)`)
)

// TestConcessionPartsAddUp checks, on random concessions, that the parts
// each party's line lists (three points by name, then the others in one
// sum) add up to the total it prints, at every precision.
func TestConcessionPartsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		precision := rapid.IntRange(1, 3).Draw(t, "precision")
		nParties := rapid.IntRange(1, 4).Draw(t, "parties")
		c := analysis.Concessions{Of: "solutions.nash"}
		for k := range nParties {
			pc := analysis.PartyConcessions{Party: fmt.Sprintf("p%d", k), Counted: true}
			costs := rapid.SliceOfN(rapid.Float64Range(0, 0.3), 0, 8).Draw(t, "costs")
			// Largest first, as the engine lists them.
			for i := range costs {
				for j := i + 1; j < len(costs); j++ {
					if costs[j] > costs[i] {
						costs[i], costs[j] = costs[j], costs[i]
					}
				}
			}
			for i, cost := range costs {
				pc.Points = append(pc.Points, analysis.PointConcession{Point: fmt.Sprintf("point%d", i), Cost: cost, RedLine: i == 1})
				pc.Cost += cost
			}
			c.Parties = append(c.Parties, pc)
		}
		l := layout{width: 80, precision: precision}
		var out bytes.Buffer
		name := func(string) (string, bool) { return "The Nash package", true }
		writeConcessionList(&out, &l, []analysis.Concessions{c}, name, func(id string) string { return id }, 3)
		// Each party's paragraph on one line.
		text := strings.ReplaceAll(out.String(), "\n      ", " ")
		lines := givesUp.FindAllStringSubmatch(text, -1)
		want := 0
		for _, pc := range c.Parties {
			if len(pc.Points) > 0 {
				want++
			}
		}
		if len(lines) != want {
			t.Fatalf("%d lines say what a party gives up, want %d:\n%s", len(lines), want, out.String())
		}
		unit := math.Pow10(precision)
		for _, m := range lines {
			total := parseUnits(t, m[2], unit)
			sum := 0
			parts := partCost.FindAllStringSubmatch(m[3], -1)
			for _, p := range parts {
				sum -= parseUnits(t, p[1], unit)
			}
			if len(parts) == 0 || sum != total {
				t.Fatalf("%s gives up %s, but its parts (%s) add up to %.*f:\n%s", m[1], m[2], m[3], precision, float64(sum)/unit, out.String())
			}
		}
	})
}

// TestReportPartsAddUp checks every "gives up" line of the reports on the
// default scenario, those of analyze, of a relaxation, of improve and of a
// briefing, at two precisions.
func TestReportPartsAddUp(t *testing.T) {
	cmds := [][]string{
		{"analyze", "--version", "v1"},
		{"analyze", "--version", "v2"},
		{"analyze", "--version", "v3"},
		{"analyze"},
		{"brief", "--for", "mediator"},
		{"brief", "--for", "ua"},
		{"improve", "--from", "v2", "--lift", "ru:territory=line_of_contact", "--package", "nato=ban,amnesty=full_amnesty"},
		{"improve", "--version", "v2", "--from", "v2"},
	}
	seen := 0
	for _, args := range cmds {
		for _, precision := range []int{2, 3} {
			args := append(slices.Clone(args), "--width", "80", "--precision", strconv.Itoa(precision))
			code, out, stderr := runExampleCmd(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
			}
			unit := math.Pow10(precision)
			for _, m := range givesUp.FindAllStringSubmatch(strings.ReplaceAll(out, "\n      ", " "), -1) {
				seen++
				total := parseUnits(t, m[2], unit)
				sum := 0
				for _, p := range partCost.FindAllStringSubmatch(m[3], -1) {
					sum -= parseUnits(t, p[1], unit)
				}
				if sum != total {
					t.Errorf("%v: %s gives up %s, but its parts add up to %.*f: %s", args, m[1], m[2], precision, float64(sum)/unit, m[0])
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no report says what a party gives up: the test checks nothing")
	}
}

// parseUnits reads a printed number as a whole count of its last decimal.
func parseUnits(t interface{ Fatalf(string, ...any) }, s string, unit float64) int {
	v, err := strconv.ParseFloat(strings.Replace(s, "−", "-", 1), 64)
	if err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return int(math.Round(v * unit))
}
