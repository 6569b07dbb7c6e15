package analysis_test

import (
	"context"
	"fmt"

	"parley/analysis"
)

// A problem can be built by hand: two parties, two issues whose options'
// utilities add up.
func ExampleAnalyze() {
	p := &analysis.Problem{
		Parties:     []string{"buyer", "seller"},
		Reservation: []float64{0.2, 0.3},
		Issues: []analysis.Issue{
			{Points: []string{"price"}, Options: []analysis.Option{
				{Choices: []string{"low"}, Utility: []float64{0.5, 0.1}},
				{Choices: []string{"high"}, Utility: []float64{0.1, 0.5}},
			}},
			{Points: []string{"delivery"}, Options: []analysis.Option{
				{Choices: []string{"fast"}, Utility: []float64{0.5, 0.2}},
				{Choices: []string{"slow"}, Utility: []float64{0.2, 0.5}},
			}},
		},
	}
	res, err := analysis.Analyze(context.Background(), p, analysis.Options{NoSensitivity: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("frontier:", len(res.Pareto), "packages")
	nash := res.Solutions.Nash
	fmt.Println("Nash:", nash.Choices(), nash.Utilities)
	// Output:
	// frontier: 4 packages
	// Nash: map[delivery:fast price:high] [0.6 0.7]
}
