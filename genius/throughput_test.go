package genius

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/internal/testkit"
)

// writeGeniusWeb writes a GeniusWeb domain of the given issue sizes and
// two profiles, and returns their paths.
func writeGeniusWeb(t testing.TB, dir string, sizes []int) []string {
	var dom strings.Builder
	dom.WriteString(`{"name": "big", "issuesValues": {`)
	for i, n := range sizes {
		if i > 0 {
			dom.WriteString(", ")
		}
		fmt.Fprintf(&dom, `"issue%d": {"values": [`, i)
		for j := range n {
			if j > 0 {
				dom.WriteString(", ")
			}
			fmt.Fprintf(&dom, `"value %d of issue %d"`, j, i)
		}
		dom.WriteString("]}")
	}
	dom.WriteString("}}")
	paths := []string{filepath.Join(dir, "big.json")}
	writeFile(t, paths[0], dom.String())
	for k := range 2 {
		var p strings.Builder
		fmt.Fprintf(&p, `{"LinearAdditiveUtilitySpace": {"name": "p%d", "domain": %s, "issueUtilities": {`, k, dom.String())
		for i, n := range sizes {
			if i > 0 {
				p.WriteString(", ")
			}
			fmt.Fprintf(&p, `"issue%d": {"discreteutils": {"valueUtilities": {`, i)
			for j := range n {
				if j > 0 {
					p.WriteString(", ")
				}
				fmt.Fprintf(&p, `"value %d of issue %d": 0.%d`, j, i, (j*7+k*3)%10)
			}
			p.WriteString("}}}")
		}
		p.WriteString(`}, "issueWeights": {`)
		for i := range sizes {
			if i > 0 {
				p.WriteString(", ")
			}
			w := "0"
			if i == 0 {
				w = "1"
			}
			fmt.Fprintf(&p, `"issue%d": %s`, i, w)
		}
		p.WriteString("}}}")
		path := filepath.Join(dir, fmt.Sprintf("p%d.json", k))
		writeFile(t, path, p.String())
		paths = append(paths, path)
	}
	return paths
}

// BenchmarkLoadThroughput measures how fast Load reads large valid GENIUS
// and GeniusWeb domains with two profiles, at two sizes to show the time
// is linear in the size. The bytes are those of all the files.
func BenchmarkLoadThroughput(b *testing.B) {
	for _, format := range []string{"genius-xml", "geniusweb-json"} {
		for _, values := range []int{2_000, 8_000} {
			dir := b.TempDir()
			sizes := []int{values, values, 2} // few packages: the reading is measured
			var paths []string
			if format == "genius-xml" {
				paths = writeRandomDomain(b, dir, sizes, 2, 1)
			} else {
				paths = writeGeniusWeb(b, dir, sizes)
			}
			total := 0
			for _, p := range paths {
				fi, err := os.Stat(p)
				if err != nil {
					b.Fatal(err)
				}
				total += int(fi.Size())
			}
			b.Run(fmt.Sprintf("%s/%dKB", format, total>>10), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(total))
				start := testkit.CPUTime()
				for b.Loop() {
					if _, err := Load(paths, Options{}); err != nil {
						b.Fatal(err)
					}
				}
				testkit.ReportCPUThroughput(b, start, total)
			})
		}
	}
}
