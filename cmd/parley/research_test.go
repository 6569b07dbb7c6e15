package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const fixtures = "../../genius/testdata"

func runParley(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

// analysisJSON is the part of "parley analyze --json" these tests compare.
type analysisJSON struct {
	Parties      []string  `json:"parties"`
	Reservation  []float64 `json:"reservation"`
	Disagreement []float64 `json:"disagreement"`
	Outcomes     any       `json:"outcomes"`
	Pareto       []struct {
		Utilities []float64 `json:"utilities"`
	} `json:"pareto"`
	Solutions map[string]*struct {
		Utilities []float64 `json:"utilities"`
	} `json:"solutions"`
	Notes []string `json:"notes"`
}

func analyzeJSON(t *testing.T, args ...string) *analysisJSON {
	t.Helper()
	code, out, stderr := runParley(t, append([]string{"analyze", "--json", "--no-sensitivity"}, args...)...)
	if code != 0 {
		t.Fatalf("parley analyze %v: exit %d, stderr %q", args, code, stderr)
	}
	var a analysisJSON
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("parley analyze %v: %v", args, err)
	}
	return &a
}

// sameResults compares frontiers (as sets of utility vectors) and
// solutions.
func sameResults(t *testing.T, a, b *analysisJSON) {
	t.Helper()
	key := func(a *analysisJSON) []string {
		var ks []string
		for _, o := range a.Pareto {
			ks = append(ks, vecKey(o.Utilities))
		}
		sort.Strings(ks)
		return ks
	}
	if ka, kb := key(a), key(b); strings.Join(ka, " ") != strings.Join(kb, " ") {
		t.Errorf("frontiers differ:\n%v\n%v", ka, kb)
	}
	for name, sa := range a.Solutions {
		sb := b.Solutions[name]
		if (sa == nil) != (sb == nil) || sa != nil && vecKey(sa.Utilities) != vecKey(sb.Utilities) {
			t.Errorf("solution %s differs: %v and %v", name, sa, sb)
		}
	}
}

// vecKey rounds a utility vector to 9 decimals.
func vecKey(u []float64) string {
	var b strings.Builder
	for _, x := range u {
		fmt.Fprintf(&b, "%.9f,", math.Round(x*1e9)/1e9+0) // +0 turns -0 into 0
	}
	return b.String()
}

func TestAnalyzeGenius(t *testing.T) {
	a := analyzeJSON(t, filepath.Join(fixtures, "small"))
	if strings.Join(a.Parties, ",") != "a,b" {
		t.Errorf("parties = %v, want the profiles a, b", a.Parties)
	}
	if vecKey(a.Disagreement) != vecKey([]float64{0.2, 0.1}) {
		t.Errorf("disagreement = %v, want the reservation values", a.Disagreement)
	}
	z := analyzeJSON(t, "--disagreement", "zero", filepath.Join(fixtures, "small"))
	if vecKey(z.Disagreement) != vecKey([]float64{0, 0}) {
		t.Errorf("--disagreement zero: disagreement = %v", z.Disagreement)
	}
	files := analyzeJSON(t, filepath.Join(fixtures, "small", "small_domain.xml"), filepath.Join(fixtures, "small", "a.xml"), filepath.Join(fixtures, "small", "b.xml"))
	sameResults(t, a, files)

	r := analyzeJSON(t, "--real-steps", "6", filepath.Join(fixtures, "numeric"))
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "discretised into 6 steps") {
		t.Errorf("notes = %q, want the discretisation", r.Notes)
	}
	gw := analyzeJSON(t, filepath.Join(fixtures, "trip", "trip.json"), filepath.Join(fixtures, "trip", "alice.json"), filepath.Join(fixtures, "trip", "bob.json"))
	if strings.Join(gw.Parties, ",") != "alice,bob" {
		t.Errorf("GeniusWeb parties = %v", gw.Parties)
	}
	analyzeJSON(t, filepath.Join(fixtures, "nonlinear"))
}

func TestResearchBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"small_domain.xml", "a.xml", "b.xml"} {
		data, err := os.ReadFile(filepath.Join(fixtures, "small", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "b.xml" {
			data = bytes.Replace(data, []byte(`<weight index="2"`), []byte(`<weight index="9"`), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"analyze", dir}, []string{"b.xml:", "/utility_space/objective[1]/weight[2]", "weight for issue index 9"}},
		{[]string{"analyze", "--real-steps", "1", filepath.Join(fixtures, "numeric")}, []string{"--real-steps must be at least 2"}},
		{[]string{"analyze", "--disagreement", "nash", filepath.Join(fixtures, "small")}, []string{"--disagreement must be reservation or zero"}},
		{[]string{"import", "genius", filepath.Join(fixtures, "nonlinear")}, []string{"nl is nonlinear"}},
		{[]string{"import", "geniusweb", filepath.Join(fixtures, "small")}, []string{"holds genius files, not geniusweb"}},
		{[]string{"import", "gnu", filepath.Join(fixtures, "small")}, []string{`unknown format "gnu"`}},
		{[]string{"import", "genius"}, []string{"expected a format"}},
		{[]string{"export", "genius", "x.yaml"}, []string{"-o DIR is required"}},
	}
	for _, tt := range tests {
		code, _, stderr := runParley(t, tt.args...)
		if code != 2 {
			t.Errorf("parley %v: exit %d, want 2 (stderr %q)", tt.args, code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("parley %v: stderr %q does not contain %q", tt.args, stderr, w)
			}
		}
	}
}

// TestImportExport runs import, export and analyze on the fixtures and the
// shared domains: the analysis never changes.
func TestImportExport(t *testing.T) {
	type domain struct {
		format string
		path   string
	}
	domains := []domain{{"genius", filepath.Join(fixtures, "small")}, {"genius", filepath.Join(fixtures, "numeric")}, {"geniusweb", filepath.Join(fixtures, "trip")}}
	for _, f := range []string{"genius", "geniusweb"} {
		ds, _ := filepath.Glob(filepath.Join("../../../shared/data", f, "*"))
		for _, d := range ds {
			if filepath.Base(d) != "Laptop" { // GENIUS caps its utilities at 1; see docs/genius.md
				domains = append(domains, domain{f, d})
			}
		}
	}
	for _, d := range domains {
		t.Run(filepath.Base(d.path), func(t *testing.T) {
			tmp := t.TempDir()
			yamlFile := filepath.Join(tmp, "s.yaml")
			if code, _, stderr := runParley(t, "import", d.format, d.path, "-o", yamlFile); code != 0 {
				t.Fatalf("import: exit %d, stderr %q", code, stderr)
			}
			orig := analyzeJSON(t, d.path)
			sameResults(t, orig, analyzeJSON(t, yamlFile))
			out := filepath.Join(tmp, "out")
			code, stdout, stderr := runParley(t, "export", d.format, yamlFile, "-o", out)
			if code != 0 {
				t.Fatalf("export: exit %d, stderr %q", code, stderr)
			}
			files := strings.Fields(stdout)
			if len(files) != len(orig.Parties)+1 {
				t.Fatalf("export wrote %v", files)
			}
			back := analyzeJSON(t, files...)
			sameResults(t, orig, back)
			if vecKey(orig.Reservation) != vecKey(back.Reservation) {
				t.Errorf("reservation %v, back %v", orig.Reservation, back.Reservation)
			}
		})
	}
}

func TestExportLossy(t *testing.T) {
	tmp := t.TempDir()
	code, stdout, _ := runParley(t, "example")
	if code != 0 {
		t.Fatal("parley example failed")
	}
	sc := filepath.Join(tmp, "default.yaml")
	if err := os.WriteFile(sc, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runParley(t, "export", "genius", sc, "-o", filepath.Join(tmp, "strict"))
	if code != 2 || !strings.Contains(stderr, "cannot represent red lines") || !strings.Contains(stderr, "--lossy") {
		t.Errorf("strict export: exit %d, stderr %q; want 2 and a pointer to --lossy", code, stderr)
	}
	code, stdout, stderr = runParley(t, "export", "genius", sc, "-o", filepath.Join(tmp, "lossy"), "--lossy")
	if code != 0 {
		t.Fatalf("lossy export: exit %d, stderr %q", code, stderr)
	}
	if n := strings.Count(stderr, "parley export: lossy: party ua: red lines given utility 0:"); n != 1 {
		t.Errorf("lossy export: stderr %q reports ua's red lines %d times, want once", stderr, n)
	}
	analyzeJSON(t, strings.Fields(stdout)...)
	code, _, stderr = runParley(t, "export", "geniusweb", sc, "-o", filepath.Join(tmp, "lossy-gw"), "--lossy")
	if code != 0 {
		t.Fatalf("lossy export: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "becomes about 0.6184") || strings.Contains(stderr, "0.61842105") {
		t.Errorf("lossy export: stderr %q does not round the reservation bid's utility", stderr)
	}
	for _, line := range strings.Split(stderr, "\n") {
		if runeLen(line) > 80 {
			t.Errorf("lossy export: line wider than 80 columns: %q", line)
		}
	}
}

func TestResearchHelp(t *testing.T) {
	for _, c := range []string{"import", "export"} {
		code, out, _ := runParley(t, "help", c)
		if code != 0 || !strings.Contains(out, "Examples:") {
			t.Errorf("parley help %s: exit %d, output %q", c, code, out)
		}
	}
}
