package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"parley/analysis"
	"parley/examples"
	"parley/round"
)

// roundedJSON is the oracle of the frontier writer's numbers: x rounded
// to 12 decimal places below 1 and 12 significant digits from 1 on,
// through its decimal text, then written by encoding/json.
func roundedJSON(x float64) string {
	var s string
	if math.Abs(x) < 1 {
		s = strconv.FormatFloat(x, 'f', 12, 64)
	} else {
		s = strconv.FormatFloat(x, 'g', 12, 64)
	}
	r, _ := strconv.ParseFloat(s, 64)
	b, _ := json.Marshal(r + 0)
	return string(b)
}

// TestJSONFloat checks the frontier writer's numbers: rounded to 12
// digits, then written as encoding/json writes them.
func TestJSONFloat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := rapid.OneOf(rapid.Float64(), rapid.Float64Range(-1, 1), rapid.Float64Range(0, 100)).Draw(t, "f")
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return
		}
		if got, want := string(appendJSONFloat(nil, f)), roundedJSON(f); got != want {
			t.Fatalf("%v: got %s, want %s", f, got, want)
		}
	})
	for _, tt := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {1e-7, "1e-7"}, {1e-6, "0.000001"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
		{0.1, "0.1"}, {2.5e-10, "2.5e-10"}, {-3e-7, "-3e-7"}, {0.6399999999999999, "0.64"}, {1.0 / 3, "0.333333333333"},
		{2.5e-13, "0"}, {-2.5e-13, "0"}, {123.45678901234567, "123.456789012"},
	} {
		if got := string(appendJSONFloat(nil, tt.f)); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.f, got, tt.want)
		}
	}
}

// TestJSONString checks the frontier writer's strings against
// encoding/json.
func TestJSONString(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringMatching(`[a-z<>&"\\ \x01é\x{2028}]{0,8}`)).Draw(t, "s")
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// TestAnalysisJSONWriter checks that the analysis JSON, frontier included,
// is exactly what encoding/json writes for the same document with its
// fractional numbers rounded by round.AppendJSON, and that
// --frontier N keeps the first N packages and counts the others.
func TestAnalysisJSONWriter(t *testing.T) {
	names := []string{"a", "b<c", "d&e", "é", "f\"g", "h"}
	rapid.Check(t, func(t *rapid.T) {
		parties := rapid.IntRange(2, 3).Draw(t, "parties")
		p := &analysis.Problem{Reservation: make([]float64, parties)}
		for k := range parties {
			p.Parties = append(p.Parties, fmt.Sprint("p", k))
		}
		issues := rapid.IntRange(1, 4).Draw(t, "issues")
		for i := range issues {
			is := analysis.Issue{Points: []string{names[i] + fmt.Sprint(i)}}
			for o := range rapid.IntRange(1, 4).Draw(t, "options") {
				u := make([]float64, parties)
				for k := range u {
					u[k] = rapid.Float64Range(0, 1.0/float64(issues)).Draw(t, "u")
				}
				is.Options = append(is.Options, analysis.Option{Choices: []string{names[(i+o)%len(names)] + fmt.Sprint(o)}, Utility: u})
			}
			p.Issues = append(p.Issues, is)
		}
		res, err := analysis.Analyze(context.Background(), p, analysis.Options{NoSensitivity: true})
		if err != nil {
			t.Fatal(err)
		}
		rep := &analysis.Report{Scenario: "s", Title: "t", Result: res}
		doc := analyzeDoc{Report: rep, SensitivityNotes: []string{}, Notes: []string{"n"}}
		raw, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		want := round.AppendJSON(nil, raw)
		var got bytes.Buffer
		for _, prob := range []*analysis.Problem{p, nil} {
			got.Reset()
			if err := writeAnalysisJSON(&got, doc, -1, prob); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want)+"\n" {
				t.Fatalf("problem given: %v: got\n%s\nwant\n%s", prob != nil, got.String(), want)
			}
		}
		limit := rapid.IntRange(0, 3).Draw(t, "limit")
		got.Reset()
		if err := writeAnalysisJSON(&got, doc, limit, p); err != nil {
			t.Fatal(err)
		}
		var back struct {
			Pareto        []json.RawMessage `json:"pareto"`
			ParetoLeftOut int               `json:"pareto_left_out"`
		}
		if err := json.Unmarshal(got.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		n := min(limit, len(res.Pareto))
		if len(back.Pareto) != n || back.ParetoLeftOut != len(res.Pareto)-n {
			t.Fatalf("--frontier %d of %d: %d listed, %d left out", limit, len(res.Pareto), len(back.Pareto), back.ParetoLeftOut)
		}
	})
}

// BenchmarkAnalysisJSON measures writing the analysis JSON of a large
// four-party frontier; MB/s is the speed of writing.
func BenchmarkAnalysisJSON(b *testing.B) {
	const parties, points, options = 4, 28, 4
	p := &analysis.Problem{Reservation: make([]float64, parties)}
	for k := range parties {
		p.Parties = append(p.Parties, fmt.Sprint("party", k))
	}
	state := uint64(1)
	next := func() float64 {
		state = state*6364136223846793005 + 1442695040888963407
		return float64(state>>11) / (1 << 53)
	}
	for i := range points {
		is := analysis.Issue{Points: []string{fmt.Sprintf("point_%d", i)}}
		for o := range options {
			u := make([]float64, parties)
			for k := range u {
				u[k] = next() / points
			}
			is.Options = append(is.Options, analysis.Option{Choices: []string{fmt.Sprintf("option_%d", o)}, Utility: u})
		}
		p.Issues = append(p.Issues, is)
	}
	res, err := analysis.Analyze(context.Background(), p, analysis.Options{NoSensitivity: true, MaxRelaxations: 1})
	if err != nil {
		b.Fatal(err)
	}
	doc := analyzeDoc{Report: &analysis.Report{Scenario: "bench", Result: res}, SensitivityNotes: []string{}, Notes: []string{}}
	var size countingWriter
	if err := writeAnalysisJSON(&size, doc, -1, p); err != nil {
		b.Fatal(err)
	}
	b.Run("direct", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			if err := writeAnalysisJSON(io.Discard, doc, -1, p); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(res.Pareto)), "packages")
	})
	// The same document through encoding/json, for comparison.
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			enc := json.NewEncoder(io.Discard)
			enc.SetIndent("", "  ")
			if err := enc.Encode(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// TestAnalyzeJSONRoundsNumbers checks "parley analyze --json" on the
// default scenario: no number carries floating-point noise
// (0.6399999999999999 is written 0.64), every fractional number keeps at
// most 12 decimals below 1 and 12 significant digits from 1 on, counts are
// integers as before, and the JSON decodes to the packages of the
// analysis, with utilities within the rounding of the engine's.
func TestAnalyzeJSONRoundsNumbers(t *testing.T) {
	file := filepath.Join(t.TempDir(), "default.yaml")
	if err := os.WriteFile(file, examples.Default, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runParley(t, "analyze", "--json", file)
	if code != 0 {
		t.Fatalf("analyze --json: exit %d, stderr %q", code, stderr)
	}
	// Numbers outside strings: strip the strings first.
	bare := regexp.MustCompile(`"(?:[^"\\]|\\.)*"`).ReplaceAllString(out, `""`)
	fractional := 0
	for _, num := range regexp.MustCompile(`-?[0-9][0-9.eE+-]*`).FindAllString(bare, -1) {
		mant, _, exp := strings.Cut(strings.ToLower(strings.TrimPrefix(num, "-")), "e")
		whole, frac, dot := strings.Cut(mant, ".")
		if !dot && !exp {
			continue
		}
		fractional++
		digits := len(frac)
		if whole != "0" {
			digits += len(whole) // significant digits from 1 on
		}
		if digits > 12 && !exp {
			t.Errorf("%s: more than 12 digits", num)
		}
	}
	if fractional == 0 {
		t.Fatal("no fractional number in the analysis JSON")
	}
	if strings.Contains(out, "0.6399999999999999") {
		t.Error("0.6399999999999999 written, not 0.64")
	}

	in, err := loadInput([]string{file}, inputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Analyze(context.Background(), in.Problem, analysis.Options{NoSensitivity: true})
	if err != nil {
		t.Fatal(err)
	}
	type pkg struct {
		Package   map[string]string `json:"package"`
		Utilities []float64         `json:"utilities"`
	}
	var got struct {
		Outcomes    json.Number     `json:"outcomes"`
		Acceptable  json.Number     `json:"acceptable"`
		Reservation []float64       `json:"reservation"`
		Pareto      []pkg           `json:"pareto"`
		Solutions   map[string]*pkg `json:"solutions"`
	}
	d := json.NewDecoder(strings.NewReader(out))
	d.UseNumber()
	if err := d.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Outcomes.String() != res.Outcomes.String() || got.Acceptable.String() != res.Acceptable.String() {
		t.Errorf("counts %s, %s; want %s, %s", got.Outcomes, got.Acceptable, res.Outcomes, res.Acceptable)
	}
	same := func(what string, g pkg, w *analysis.Outcome) {
		t.Helper()
		if fmt.Sprint(g.Package) != fmt.Sprint(w.Choices()) {
			t.Errorf("%s: package %v, want %v", what, g.Package, w.Choices())
		}
		if len(g.Utilities) != len(w.Utilities) {
			t.Fatalf("%s: utilities %v, want %v", what, g.Utilities, w.Utilities)
		}
		for k, u := range w.Utilities {
			if math.Abs(g.Utilities[k]-u) > 5e-13 {
				t.Errorf("%s: utility %v, want %v", what, g.Utilities[k], u)
			}
		}
	}
	if len(got.Pareto) != len(res.Pareto) {
		t.Fatalf("%d packages on the frontier, want %d", len(got.Pareto), len(res.Pareto))
	}
	for i := range res.Pareto {
		same(fmt.Sprint("pareto ", i), got.Pareto[i], &res.Pareto[i])
	}
	for name, w := range map[string]*analysis.Outcome{"nash": res.Solutions.Nash, "maximin": res.Solutions.Maximin, "utilitarian": res.Solutions.Utilitarian, "kalai_smorodinsky": res.Solutions.KalaiSmorodinsky} {
		switch g := got.Solutions[name]; {
		case (g == nil) != (w == nil):
			t.Errorf("solution %s: %v, want %v", name, g, w)
		case g != nil:
			same(name, *g, w)
		}
	}
}
