package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const versionsFile = "testdata/analyze/versions.yaml"

// TestTextFlagErrors: bad what-if, date and count flags, bad baselines and
// bad package files are bad input: exit status 2 and a message that says
// what is wrong.
func TestTextFlagErrors(t *testing.T) {
	dir := t.TempDir()
	notString := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(notString, []byte(`{"package": {"water": 3}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--lift", "alt-water", versionsFile}, "--lift must be PARTY:POINT=OPTION"},
		{[]string{"analyze", "--lift", "alt:water=f50", versionsFile}, "alt has no red line on water=f50"},
		{[]string{"analyze", "--lift", "zed:water=f50", versionsFile}, `unknown party "zed"`},
		{[]string{"analyze", "--reservation", "alt=1.5", versionsFile}, "--reservation must be PARTY=VALUE"},
		{[]string{"analyze", "--weight", "alt:nowhere=2", versionsFile}, `has no point "nowhere"`},
		{[]string{"analyze", "--weight", "med:fish=2", versionsFile}, "med holds no position on point fish"},
		{[]string{"analyze", "--as-of", "May 2024", versionsFile}, "--as-of must be a date"},
		{[]string{"analyze", "--count", "alt,zed", versionsFile}, `count: unknown party "zed"`},
		{[]string{"analyze", "--count", "alt,ben", "--as-of", "2023-01-01", versionsFile}, "ben holds no position"},
		{[]string{"analyze", "--compare", "v1", versionsFile}, "--compare must be two version ids"},
		{[]string{"analyze", "--compare", "v1,v9", versionsFile}, `no version "v9"`},
		{[]string{"analyze", "--count", "a", "testdata/simulate/fruit"}, "need a parley scenario"},
		{[]string{"improve", versionsFile}, "no baseline given: use --from, --package or --package-file"},
		{[]string{"improve", "--from", "v3", versionsFile}, "leaves points of version v3 open: water"},
		{[]string{"improve", "--from", "v9", versionsFile}, `no version "v9"`},
		{[]string{"improve", "--from", "v2", "--package", "water=f99", versionsFile}, `point water has no option "f99"`},
		{[]string{"improve", "--from", "v2", "--package", "water", versionsFile}, "--package must be POINT=OPTION"},
		{[]string{"improve", "--package-file", notString, "--from", "v2", versionsFile}, "the option must be an option id"},
		{[]string{"improve", "--package-file", filepath.Join(dir, "missing.json"), versionsFile}, "missing.json"},
	} {
		code, _, stderr := runExampleCmd(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// TestWhatIfStated: every change applied is stated, in the text and in the
// JSON, with the value it replaced.
func TestWhatIfStated(t *testing.T) {
	args := []string{"--version", "v1", "--lift", "alt:water=f70", "--reservation", "alt=0.5", "--weight", "ben:fish=1", "--count", "alt,ben,med", versionsFile}
	code, out, stderr := runExampleCmd(t, append([]string{"analyze", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Parties    []string `json:"parties"`
		NotCounted []string `json:"not_counted"`
		Changes    []struct {
			Kind, Party, Point, Option string
			From, To                   *float64
			Parties                    []string
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"med", "alt", "ben"}, got.Parties); diff != "" {
		t.Errorf("parties (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ngo"}, got.NotCounted); diff != "" {
		t.Errorf("not counted (-want +got):\n%s", diff)
	}
	var kinds []string
	for _, c := range got.Changes {
		kinds = append(kinds, c.Kind)
		switch c.Kind {
		case "reservation":
			if *c.From != 0.4 || *c.To != 0.5 {
				t.Errorf("reservation change %v → %v, want 0.4 → 0.5", *c.From, *c.To)
			}
		case "weight":
			if *c.From != 2 || *c.To != 1 {
				t.Errorf("weight change %v → %v, want 2 → 1", *c.From, *c.To)
			}
		}
	}
	if diff := cmp.Diff([]string{"lift", "reservation", "weight", "count"}, kinds); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	_, text, _ := runExampleCmd(t, append([]string{"analyze"}, args...)...)
	text = strings.Join(strings.Fields(strings.ReplaceAll(text, "\u00a0", " ")), " ")
	for _, want := range []string{
		"alt's red line on 1. Dry-season flow: f70 is lifted",
		"alt's reservation value is 0.5 instead of 0.4",
		"ben's weight on 3. Fishing is 1 instead of 2",
		"counted in the fair packages: med, alt and ben",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
}

// TestImproveFromPackageFile: a package printed by parley can be read back
// as a baseline, and a Pareto-efficient one has no improvement.
func TestImproveFromPackageFile(t *testing.T) {
	code, out, _ := runExampleCmd(t, "analyze", "--json", "--version", "v2", versionsFile)
	if code != 0 {
		t.Fatal("analyze failed")
	}
	var rep struct {
		Solutions struct {
			Nash json.RawMessage `json:"nash"`
		} `json:"solutions"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nash.json")
	if err := os.WriteFile(path, rep.Solutions.Nash, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runExampleCmd(t, "improve", "--json", "--version", "v2", "--package-file", path, versionsFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var imp struct {
		Improvements struct {
			Possible bool              `json:"possible"`
			Pareto   []json.RawMessage `json:"pareto"`
		} `json:"improvements"`
		BaselineSource string `json:"baseline_source"`
	}
	if err := json.Unmarshal([]byte(out), &imp); err != nil {
		t.Fatal(err)
	}
	if imp.Improvements.Possible || len(imp.Improvements.Pareto) != 0 {
		t.Errorf("the Nash package is Pareto-efficient, yet improvements %+v", imp.Improvements)
	}
	if !strings.HasPrefix(imp.BaselineSource, "file ") {
		t.Errorf("baseline source %q", imp.BaselineSource)
	}
}

func FuzzParsePackage(f *testing.F) {
	f.Add([]byte(`{"package": {"water": "f50"}, "utilities": [1]}`))
	f.Add([]byte("water: f50\ndam: joint\n"))
	f.Add([]byte(`{"package": {"water": 3}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parsePackage("fuzz", data)
		if err == nil && len(m) == 0 {
			t.Fatalf("no error and no package")
		}
	})
}

// TestNoPositionWarning: a party whose positions all start after the date
// is left out, with a typed warning.
func TestNoPositionWarning(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "analyze", "--json", "--as-of", "2023-06-01", versionsFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Parties  []string `json:"parties"`
		AsOf     string   `json:"as_of"`
		Warnings []struct {
			Kind, Party, Date string
		} `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"alt"}, got.Parties); diff != "" {
		t.Errorf("parties (-want +got):\n%s", diff)
	}
	found := false
	for _, w := range got.Warnings {
		if w.Kind == "no_position" && w.Party == "ben" && w.Date == "2023-06-01" {
			found = true
		}
	}
	if !found || got.AsOf != "2023-06-01" {
		t.Errorf("as_of %q, warnings %+v; want ben's no_position as of 2023-06-01", got.AsOf, got.Warnings)
	}
}

// TestNotCountedRedLines: an observer's red line is shown in the agreement
// map but blocks nothing, and its stance is there.
func TestNotCountedRedLines(t *testing.T) {
	code, out, stderr := runExampleCmd(t, "analyze", "--json", "--version", "v2", versionsFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Agreement []struct {
			Point   string `json:"point"`
			Options []struct {
				Option          string            `json:"option"`
				Stances         map[string]string `json:"stances"`
				AcceptableToAll bool              `json:"acceptable_to_all"`
				BlockedBy       []string          `json:"blocked_by"`
			} `json:"options"`
		} `json:"agreement"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, pa := range got.Agreement {
		for _, o := range pa.Options {
			if pa.Point == "fish" && o.Option == "none" {
				if o.Stances["ngo"] != "red_line" || !o.AcceptableToAll || len(o.BlockedBy) != 0 {
					t.Errorf("fish=none: stances %v, acceptable %v, blocked by %v; want ngo's red line shown, not blocking", o.Stances, o.AcceptableToAll, o.BlockedBy)
				}
				return
			}
		}
	}
	t.Errorf("no fish=none in the agreement map")
}

// TestImproveGainsAsPrinted checks that each improvement's change in
// brackets is its utility as printed less the baseline's as printed.
func TestImproveGainsAsPrinted(t *testing.T) {
	cell := regexp.MustCompile(`(\S+) (\d\.\d+)(?: \(([+−]?\d\.\d+)\))?`)
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.Replace(s, "−", "-", 1), 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	checked := 0
	for _, args := range [][]string{
		{"improve", "--from", "v2", versionsFile},
		{"improve", "--from", "v2", "--lift", "ru:territory=line_of_contact", "--package", "nato=ban,amnesty=full_amnesty"},
		{"improve", "--from", "v2", "--lift", "ru:territory=line_of_contact", "--package", "nato=ban,amnesty=full_amnesty", "--precision", "3"},
	} {
		code, out, stderr := runExampleCmd(t, append(args, "--width", "200")...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		_, rest, ok := strings.Cut(out, "It gives: ")
		if !ok {
			t.Fatalf("%v: no baseline utilities in:\n%s", args, out)
		}
		baseLine, _, _ := strings.Cut(rest, "\n")
		base := make(map[string]float64)
		for _, m := range cell.FindAllStringSubmatch(baseLine, -1) {
			base[m[1]] = num(m[2])
		}
		for _, line := range strings.Split(out, "\n") {
			for _, m := range cell.FindAllStringSubmatch(line, -1) {
				if m[3] == "" {
					continue
				}
				b, ok := base[m[1]]
				if !ok {
					t.Fatalf("%v: %s has no baseline utility in %q", args, m[1], baseLine)
				}
				if want := num(m[2]) - b; math.Abs(num(m[3])-want) > 1e-9 {
					t.Errorf("%v: %q against a baseline of %v, want a change of %+.3f", args, m[0], b, want)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Error("no change in brackets: the test checks nothing")
	}
}
