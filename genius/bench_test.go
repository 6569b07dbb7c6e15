package genius

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"parley/analysis"
)

// writeRandomDomain writes a GENIUS domain with the given issue sizes and
// one profile per party, with integer evaluations 1..10 and random weights
// adding up to 1, as in the ANAC domains.
func writeRandomDomain(t testing.TB, dir string, sizes []int, parties int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	var dom strings.Builder
	dom.WriteString("<negotiation_template><utility_space><objective index=\"0\" name=\"root\">\n")
	for i, n := range sizes {
		fmt.Fprintf(&dom, "<issue index=\"%d\" name=\"issue%d\" type=\"discrete\">", i+1, i+1)
		for j := 0; j < n; j++ {
			fmt.Fprintf(&dom, "<item index=\"%d\" value=\"v%d\"/>", j+1, j+1)
		}
		dom.WriteString("</issue>\n")
	}
	dom.WriteString("</objective></utility_space></negotiation_template>\n")
	paths := []string{filepath.Join(dir, "domain.xml")}
	writeFile(t, paths[0], dom.String())
	for k := 0; k < parties; k++ {
		var p strings.Builder
		p.WriteString("<utility_space><objective index=\"0\" name=\"root\">\n")
		ws := make([]float64, len(sizes))
		total := 0.0
		for i := range ws {
			ws[i] = r.Float64() + 0.1
			total += ws[i]
		}
		for i, n := range sizes {
			fmt.Fprintf(&p, "<issue index=\"%d\" name=\"issue%d\" type=\"discrete\">", i+1, i+1)
			for j := 0; j < n; j++ {
				fmt.Fprintf(&p, "<item value=\"v%d\" evaluation=\"%d\"/>", j+1, 1+r.IntN(10))
			}
			p.WriteString("</issue>\n")
		}
		for i := range ws {
			fmt.Fprintf(&p, "<weight index=\"%d\" value=\"%s\"/>\n", i+1, num(ws[i]/total*0.999999))
		}
		p.WriteString("</objective><reservation value=\"0.2\"/></utility_space>\n")
		path := filepath.Join(dir, fmt.Sprintf("party%d.xml", k+1))
		writeFile(t, path, p.String())
		paths = append(paths, path)
	}
	return paths
}

func repeat(n, k int) []int {
	s := make([]int, k)
	for i := range s {
		s[i] = n
	}
	return s
}

// benchmarkAnalysis measures the frontier and the solutions of a random
// GENIUS domain.
func benchmarkAnalysis(b *testing.B, sizes []int, parties int) {
	paths := writeRandomDomain(b, b.TempDir(), sizes, parties, 42)
	d, err := Load(paths, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := analysis.Frontier(ctx, d.Problem, analysis.FrontierOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := analysis.Solve(ctx, d.Problem, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(f.Outcomes)), "frontier")
	}
	b.ReportMetric(float64(d.Problem.Outcomes().Int64()), "packages")
}

// 8 issues × 5 values: 390,625 packages.
func BenchmarkTwoParties8x5(b *testing.B) { benchmarkAnalysis(b, repeat(5, 8), 2) }

// 10 issues, 5^7·4·3·2 = 1,875,000 packages.
func BenchmarkTwoParties10Issues(b *testing.B) {
	benchmarkAnalysis(b, []int{5, 5, 5, 5, 5, 5, 5, 4, 3, 2}, 2)
}

// 8 issues × 5 values, three parties.
func BenchmarkThreeParties8x5(b *testing.B) { benchmarkAnalysis(b, repeat(5, 8), 3) }

// BenchmarkLoad measures reading the largest shared GENIUS domain.
func BenchmarkLoad(b *testing.B) {
	dir := filepath.Join(sharedData, "genius", "group2-politics")
	if _, err := Load([]string{dir}, Options{}); err != nil {
		b.Skipf("shared domain: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load([]string{dir}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
