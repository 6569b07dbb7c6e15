package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"parley/analysis"
)

// svgElements counts the elements of an SVG document, failing on bad XML.
func svgElements(t *testing.T, svg []byte) map[string]int {
	t.Helper()
	count := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return count
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			count[el.Name.Local]++
		}
	}
}

func TestPlot(t *testing.T) {
	renderer, _ := exec.LookPath("rsvg-convert")
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		want string // an element the chart must have
		note string // on standard error
	}{
		{"frontier-4", []string{"--kind", "frontier"}, "polyline", "Versions not marked on the chart, since they leave points open"},
		{"versions-4", []string{"--kind", "versions"}, "polyline", ""},
		{"frontier-2", []string{"--kind", "frontier", "testdata/analyze/small.yaml"}, "polyline", ""},
		{"versions", []string{"--kind", "versions", "testdata/analyze/proposed.yaml"}, "polyline", ""},
		{"simulation", []string{"--kind", "simulation", "testdata/simulate/trade.yaml", "--rounds", "50"}, "polyline", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.name+".svg")
			code, _, stderr := runExampleCmd(t, append([]string{"plot", "-o", out}, c.args...)...)
			if code != 0 || !strings.Contains(stderr, c.note) {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			svg, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if n := svgElements(t, svg); n[c.want] == 0 || n["title"] == 0 {
				t.Errorf("no <%s> or <title>: %v", c.want, n)
			}
			if renderer == "" {
				t.Log("rsvg-convert not found (Debian: apt-get install librsvg2-bin); not rendered")
				return
			}
			png := filepath.Join(dir, c.name+".png")
			if msg, err := exec.Command(renderer, "-o", png, out).CombinedOutput(); err != nil || len(msg) > 0 {
				t.Errorf("rsvg-convert: %v %s", err, msg)
			}
		})
	}
}

// TestPlotVersionsAsWritten checks the utilities of a version as written
// against the hand-computed ones: proposed.yaml's v2 picks p1=o1 (a 1,
// b 0.25) and p2=o2 (a 0.75, b 1), so a has (1+0.75)/2 and b (0.25+1)/2.
// v1 leaves both points open: each party's range spans its worst and best
// packages.
// TestPlotFrontierRelaxations: on the default scenario, the Nash package
// of every relaxation is marked, the two that coincide once with both
// labels, and the chart says how many are shown; a run that writes a file
// prints only its notes.
func TestPlotFrontierRelaxations(t *testing.T) {
	out := filepath.Join(t.TempDir(), "frontier.svg")
	code, stdout, stderr := runExampleCmd(t, "plot", "--kind", "frontier", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" || strings.Contains(stderr, "wrote") {
		t.Errorf("stdout %q, stderr %q: want the notes only, as export and import", stdout, stderr)
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	code, js, stderr := runExampleCmd(t, "analyze", "--json", "--no-sensitivity")
	if code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	var rep struct {
		Relaxations []struct {
			Lift []struct{ Party, Option string } `json:"lift"`
		} `json:"relaxations"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Relaxations) < 4 {
		t.Fatalf("%d relaxations; the default scenario has 4", len(rep.Relaxations))
	}
	text := string(svg)
	for _, rel := range rep.Relaxations {
		label := "Nash if " + rel.Lift[0].Party + " lifts " + rel.Lift[0].Option
		if !strings.Contains(text, label) {
			t.Errorf("the chart does not mark %q", label)
		}
	}
	if !strings.Contains(text, "Nash if ua lifts recognition_withdrawal = Nash if ua lifts anchorage") {
		t.Errorf("the coinciding Nash packages are not marked once with both labels")
	}
	if want := "the Nash packages of all 4 relaxations are shown"; !strings.Contains(text, want) {
		t.Errorf("the chart does not say %q", want)
	}
}

func TestPlotVersionsAsWritten(t *testing.T) {
	in, err := loadInput([]string{"testdata/analyze/proposed.yaml"}, inputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	written, notes := versionsAsWritten(in.Scenario, analysis.CompileOptions{})
	if len(written) != 2 || written[0].version.ID != "v1" || written[1].version.ID != "v2" || len(notes) != 0 {
		t.Fatalf("written %v, notes %q", written, notes)
	}
	if a, b := written[1].utilityOf("a"), written[1].utilityOf("b"); a != 0.875 || b != 0.625 {
		t.Errorf("v2 as written: a %v b %v, want 0.875 and 0.625", a, b)
	}
	if !written[0].open() || !math.IsNaN(written[0].utilityOf("a")) {
		t.Errorf("v1 leaves points open, but has a utility %v", written[0].utilityOf("a"))
	}
	if lo, hi, ok := written[0].rangeOf("a"); !ok || lo > hi || lo < 0 || hi > 1 || lo == hi {
		t.Errorf("v1: a's range [%v, %v] (%v)", lo, hi, ok)
	}
	out := filepath.Join(t.TempDir(), "versions.svg")
	code, _, stderr := runExampleCmd(t, "plot", "--kind", "versions", "testdata/analyze/proposed.yaml", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), "a: ") || !strings.Contains(string(svg), " to ") {
		t.Errorf("the versions chart has no range for v1:\n%s", svg)
	}
}

func TestPlotBadUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"plot"}, "no output file"},
		{[]string{"plot", "-o", "x.svg", "--kind", "pie"}, "--kind must be frontier, versions or simulation"},
		{[]string{"plot", "-o", "x.svg", "--kind", "simulation", "--strategies", "nope"}, "unknown strategy"},
	} {
		code, _, stderr := runExampleCmd(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr)
		}
	}
}

func TestPlotParties(t *testing.T) {
	out := filepath.Join(t.TempDir(), "two.svg")
	code, _, stderr := runExampleCmd(t, "plot", "--kind", "frontier", "--parties", "ua,ru", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ua&#39;s utility", "ru&#39;s utility", "the utilities of ua and ru only", "Nash if ru lifts"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the plane of ua and ru lacks %q", want)
		}
	}
	code, _, stderr = runExampleCmd(t, "plot", "--kind", "frontier", "--parties", "ua", "-o", out)
	if code != 2 || !strings.Contains(stderr, "at least two") {
		t.Errorf("one party: exit %d, %q", code, stderr)
	}
}
