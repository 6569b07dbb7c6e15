package genius

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"parley/scenario"
)

// TestSizeFloor checks the floor of a scenario's size against what
// scenario.Marshal writes, in YAML and in JSON, for random domains with
// names of every kind: the floor, with or without the profiles, never
// exceeds the file.
func TestSizeFloor(t *testing.T) {
	name := rapid.OneOf(
		rapid.StringMatching(`[a-z][a-z0-9]{0,12}`),
		rapid.StringMatching(`[0-9]{1,4}(\.[0-9]{1,3})?`),
		rapid.SampledFrom([]string{"", " ", "yes", "no", "null", "~", "a: b", "- x", "#", "'q'", `"q"`, "a\nb", "tab\there", "é", "日本", "x_2", "x", "\u0085", "\u2028", "\x1b[2J"}),
		rapid.String(),
		rapid.StringMatching(`[a-z ]{41,90}`),
	)
	rapid.Check(t, func(t *rapid.T) {
		nIssues := rapid.IntRange(1, 4).Draw(t, "issues")
		nParties := rapid.IntRange(1, 4).Draw(t, "parties")
		sp := &space{format: FormatGeniusWeb, name: name.Draw(t, "domain"), files: []string{"d.json"}}
		for i := range nIssues {
			is := &issue{name: name.Draw(t, "issue"), index: i + 1, kind: kindDiscrete}
			seen := map[string]bool{}
			for range rapid.IntRange(1, 150).Draw(t, "values") {
				v := name.Draw(t, "value")
				if !seen[v] {
					seen[v] = true
					is.values = append(is.values, v)
				}
			}
			sp.issues = append(sp.issues, is)
		}
		utility := rapid.OneOf(rapid.Float64Range(0, 1), rapid.SampledFrom([]float64{0, 1, 0.5, 0.25, 1.0 / 3}))
		for k := range nParties {
			p := &profile{name: name.Draw(t, "party"), file: fmt.Sprintf("p%d.json", k), reservation: utility.Draw(t, "reservation")}
			for _, is := range sp.issues {
				p.weights = append(p.weights, utility.Draw(t, "weight"))
				var ev []float64
				for range is.values {
					ev = append(ev, utility.Draw(t, "utility"))
				}
				p.evals = append(p.evals, ev)
			}
			sp.profiles = append(sp.profiles, p)
		}
		sc := sp.scenario()
		var without, with int64
		for i, is := range sp.issues {
			without += issueFloor(is, i, nParties, nil)
			with += issueFloor(is, i, nParties, sp.profiles)
		}
		if without > with {
			t.Fatalf("the floor without profiles, %d, is above the floor with them, %d", without, with)
		}
		for _, format := range []string{"yaml", "json"} {
			b, err := scenario.Marshal(sc, format)
			if err != nil {
				t.Fatal(err)
			}
			if with > int64(len(b)) {
				t.Fatalf("%s: the floor is %d bytes, the file %d:\n%s", format, with, len(b), b)
			}
		}
	})
}

// hugeDomain writes a GeniusWeb domain of one issue of n values and two
// profiles into dir, and returns their paths.
func hugeDomain(t testing.TB, dir string, n int) []string {
	var values, utils strings.Builder
	for i := range n {
		if i > 0 {
			values.WriteString(", ")
			utils.WriteString(", ")
		}
		fmt.Fprintf(&values, `"v%d"`, i+1)
		fmt.Fprintf(&utils, `"v%d": %.6f`, i+1, float64(i)/float64(n-1))
	}
	domain := `{"name": "d", "issuesValues": {"price": {"values": [` + values.String() + `]}}}`
	paths := []string{filepath.Join(dir, "d.json")}
	writeFile(t, paths[0], domain)
	for _, who := range []string{"a", "b"} {
		p := filepath.Join(dir, who+".json")
		writeFile(t, p, `{"LinearAdditiveUtilitySpace": {"name": "`+who+`", "domain": `+domain+`, "issueWeights": {"price": 1}, "issueUtilities": {"price": {"discreteutils": {"valueUtilities": {`+utils.String()+`}}}}}}`)
		paths = append(paths, p)
	}
	return paths
}

// hugeGenius writes a GENIUS domain of one issue of n values and two
// profiles into dir, and returns their paths.
func hugeGenius(t testing.TB, dir string, n int) []string {
	var values, evals strings.Builder
	for i := range n {
		fmt.Fprintf(&values, `<item index="%d" value="v%d"/>`, i+1, i+1)
		fmt.Fprintf(&evals, `<item index="%d" value="v%d" evaluation="%d"/>`, i+1, i+1, i+1)
	}
	paths := []string{filepath.Join(dir, "d.xml")}
	writeFile(t, paths[0], `<negotiation_template><utility_space><objective index="0" name="o" type="objective"><issue index="1" name="price" type="discrete">`+values.String()+`</issue></objective></utility_space></negotiation_template>`)
	for _, who := range []string{"a", "b"} {
		p := filepath.Join(dir, who+".xml")
		writeFile(t, p, `<utility_space><objective index="0" name="o" type="objective"><issue index="1" name="price" type="discrete">`+evals.String()+`</issue><weight index="1" value="1"/></objective><reservation value="0.3"/></utility_space>`)
		paths = append(paths, p)
	}
	return paths
}

// TestHugeImportRefusedWhileRead loads domains of 100,000 values in one
// issue for an import: each is refused, naming the file, the issue and
// the limit, while the domain is read, before anything is built: the
// bytes allocated stay a small fraction of the gigabytes that building
// and writing the scenario takes.
func TestHugeImportRefusedWhileRead(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name  string
		paths []string
		file  string
		path  string
	}{
		{"GeniusWeb", nil, "d.json", "$.issuesValues.price"},
		{"GeniusWeb, domain last", nil, "d.json", "$.issuesValues.price"},
		{"GeniusWeb, no domain file", nil, "a.json", "$.LinearAdditiveUtilitySpace.domain.issuesValues.price"},
		{"GENIUS", nil, "d.xml", "/negotiation_template/utility_space[1]/objective[1]/issue[1]"},
	}
	gw := hugeDomain(t, filepath.Join(dir), 100_000)
	cases[0].paths = gw
	cases[1].paths = []string{gw[1], gw[2], gw[0]}
	cases[2].paths = gw[1:]
	gdir := filepath.Join(dir, "genius")
	if err := os.Mkdir(gdir, 0o755); err != nil {
		t.Fatal(err)
	}
	cases[3].paths = hugeGenius(t, gdir, 100_000)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Load(c.paths, Options{ScenarioLimit: scenario.MaxFileSize})
			runtime.ReadMemStats(&after)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("expected a refusal, got %v", err)
			}
			if filepath.Base(e.File) != c.file || !strings.HasPrefix(e.Path, c.path) || !strings.Contains(e.Msg, "100000 values") || !strings.Contains(e.Msg, "16 MiB a scenario file may take") {
				t.Errorf("the refusal says %v", err)
			}
			// Building and writing the scenario allocates about 3 GB.
			if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 150 {
				t.Errorf("refused after allocating %d MB", mb)
			}
			// Without the limit (as analyze reads it), the domain loads.
			if testing.Short() || c.name != "GeniusWeb" {
				return
			}
			if _, err := Load(c.paths, Options{}); err != nil {
				t.Errorf("without the limit: %v", err)
			}
		})
	}
}

// TestImportLimitKeepsWhatFits loads a domain whose scenario fits with the
// limit: nothing is refused, and the scenario is within it. Limits below
// the two floors are refused by each: the domain's while it is read, the
// profiles' once they are.
func TestImportLimitKeepsWhatFits(t *testing.T) {
	paths := hugeDomain(t, t.TempDir(), 20_000)
	d, err := Load(paths, Options{ScenarioLimit: scenario.MaxFileSize})
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenario.Marshal(d.Scenario, "yaml")
	if err != nil || len(b) > scenario.MaxFileSize {
		t.Fatalf("%d bytes, %v", len(b), err)
	}
	sp, err := read(paths, false, Options{RealSteps: DefaultRealSteps})
	if err != nil {
		t.Fatal(err)
	}
	var domain, profiles int64
	for i, is := range sp.issues {
		domain += issueFloor(is, i, len(sp.profiles), nil)
		profiles += issueFloor(is, i, len(sp.profiles), sp.profiles)
	}
	if !(domain < profiles && profiles <= int64(len(b))) {
		t.Fatalf("floors %d and %d for a file of %d bytes", domain, profiles, len(b))
	}
	for _, c := range []struct {
		limit int64
		path  string // where the refusal is, "" for after the profiles
	}{
		{domain - 1, "$.issuesValues.price"},
		{(domain + profiles) / 2, ""},
	} {
		_, err := Load(paths, Options{ScenarioLimit: int(c.limit)})
		var e *Error
		if !errors.As(err, &e) || e.Path != c.path || !strings.Contains(e.Error(), `"price"`) && c.path == "" {
			t.Errorf("a limit of %d bytes: %v", c.limit, err)
		}
	}
}

// BenchmarkHugeImport reads a GeniusWeb domain of 100,000 values in one
// issue, whose scenario would take 17.7 MiB, for an import: refused while
// read, and as before, built and written first, then measured.
func BenchmarkHugeImport(b *testing.B) {
	paths := hugeDomain(b, b.TempDir(), 100_000)
	b.Run("refused-while-read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Load(paths, Options{ScenarioLimit: scenario.MaxFileSize}); err == nil {
				b.Fatal("not refused")
			}
		}
	})
	b.Run("built-then-measured", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d, err := Load(paths, Options{})
			if err != nil {
				b.Fatal(err)
			}
			out, err := scenario.Marshal(d.Scenario, "yaml")
			if err != nil || len(out) <= scenario.MaxFileSize {
				b.Fatalf("%d bytes, %v", len(out), err)
			}
		}
	})
}
