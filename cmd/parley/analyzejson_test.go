package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"testing"

	"pgregory.net/rapid"

	"parley/analysis"
)

// TestJSONFloat checks the frontier writer's numbers against encoding/json.
func TestJSONFloat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := rapid.Float64().Draw(t, "f")
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return
		}
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); string(got) != string(want) {
			t.Fatalf("%v: got %s, want %s", f, got, want)
		}
	})
	for _, f := range []float64{0, 1, 1e-7, 1e-6, 1e21, 1e20, 0.1, 2.5e-10, -3e-7} {
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); string(got) != string(want) {
			t.Errorf("%v: got %s, want %s", f, got, want)
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
// is exactly what encoding/json writes for the same document, and that
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
		want, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
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
