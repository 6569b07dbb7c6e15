package web

import (
	"fmt"
	"strings"
	"testing"

	"parley/analysis"
)

// TestOutcomeChartSaysWhatItLeavesOut draws more distinct outcomes than
// a chart of three parties shows: its note must say how many it drew.
func TestOutcomeChartSaysWhatItLeavesOut(t *testing.T) {
	p := &analysis.Problem{Parties: []string{"a", "b", "c"}, Reservation: []float64{0, 0, 0},
		Issues: []analysis.Issue{{Points: []string{"x"}, Options: []analysis.Option{
			{Choices: []string{"o"}, Utility: []float64{0.5, 0.5, 0.5}}}}}}
	var rs []run
	for i := range 20 {
		rs = append(rs, run{Agreement: true, Utilities: []float64{float64(i) / 20, 0.5, 0.5}})
	}
	svg := string(outcomeChart(rs, p, "test"))
	if want := fmt.Sprintf("the first %d of 20 distinct outcomes drawn", maxOutcomeLines); !strings.Contains(svg, want) {
		t.Errorf("the chart's note does not say %q", want)
	}
	svg = string(outcomeChart(rs[:3], p, "test"))
	if strings.Contains(svg, "distinct outcomes drawn") {
		t.Error("the chart says it left outcomes out, with only 3")
	}
}
