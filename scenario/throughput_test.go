package scenario

import (
	"fmt"
	"testing"

	"go.yaml.in/yaml/v3"

	"parley/internal/testkit"
)

// bigScenario builds a valid scenario with the given number of points, each
// with four options, and positions of three parties with reasons: about
// 1.3 KB of YAML per point.
func bigScenario(points int) *Scenario {
	s := &Scenario{Parley: FormatVersion, ID: "big", Title: "A large negotiation"}
	for k := range 3 {
		s.Parties = append(s.Parties, Party{ID: fmt.Sprintf("p%d", k), Name: fmt.Sprintf("Party %d", k), Role: RoleParty, Reservation: 0.2})
	}
	b := Block{ID: "main", Title: "Main"}
	for i := range points {
		pt := Point{ID: fmt.Sprintf("pt%d", i), Number: i + 1, Title: fmt.Sprintf("Point %d", i+1), Text: "The parties agree on the terms of this point."}
		for j := range 4 {
			pt.Options = append(pt.Options, Option{ID: fmt.Sprintf("o%d", j), Text: fmt.Sprintf("Option %d of point %d", j, i+1)})
		}
		b.Points = append(b.Points, pt)
	}
	s.Versions = []Version{{ID: "v1", Title: "First draft", Blocks: []Block{b}}}
	stances := []Stance{Support, Accept, Reluctant, Object}
	for k := range 3 {
		pos := Position{Party: s.Parties[k].ID}
		for i := range points {
			pp := PointPosition{Point: b.Points[i].ID, Weight: float64(1 + (i+k)%5)}
			for j := range 4 {
				pp.Options = append(pp.Options, OptionStance{Option: fmt.Sprintf("o%d", j), Stance: stances[(i+j+k)%4], Reason: "Because."})
			}
			pos.Points = append(pos.Points, pp)
		}
		s.Positions = append(s.Positions, pos)
	}
	return s
}

// BenchmarkLoadLarge measures the throughput of Load on large valid
// scenarios, YAML and JSON, at two sizes to show it is linear.
func BenchmarkLoadLarge(b *testing.B) {
	for _, enc := range []string{"yaml", "json"} {
		for _, points := range []int{500, 2000} {
			data, err := Marshal(bigScenario(points), enc)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/%dKB", enc, len(data)>>10), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				start := testkit.CPUTime()
				for b.Loop() {
					if _, err := Load("big."+enc, data); err != nil {
						b.Fatal(err)
					}
				}
				testkit.ReportCPUThroughput(b, start, len(data))
			})
		}
	}
}

// BenchmarkYAMLParser measures the YAML parser alone on the YAML of
// BenchmarkLoadLarge: the node tree it builds is where Load starts, so its
// speed bounds Load's on YAML.
func BenchmarkYAMLParser(b *testing.B) {
	for _, points := range []int{500, 2000} {
		data, err := Marshal(bigScenario(points), "yaml")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dKB", len(data)>>10), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			start := testkit.CPUTime()
			for b.Loop() {
				var doc yaml.Node
				if err := yaml.Unmarshal(data, &doc); err != nil {
					b.Fatal(err)
				}
			}
			testkit.ReportCPUThroughput(b, start, len(data))
		})
	}
}
