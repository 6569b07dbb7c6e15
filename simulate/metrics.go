package simulate

import (
	"context"
	"fmt"
	"math"

	"parley/analysis"
)

// Reference is what the metrics of a domain compare outcomes with,
// computed once per domain.
type Reference struct {
	// Frontier holds the utility vectors of the Pareto-efficient packages
	// acceptable to all; empty when no package is.
	Frontier [][]float64
	// Nash is the utility vector of the Nash bargaining solution, with the
	// reservation values as disagreement point; nil when there is none.
	Nash []float64
	// Epsilon is 0 when Frontier is exact. Otherwise, as the analysis
	// engine does for large frontiers of three or more parties, Frontier
	// is ε-approximate (every efficient package has one in Frontier at
	// most Epsilon worse for every party), and so are distances to it.
	Epsilon float64
}

// Metrics describe one negotiation's outcome. Distances are Euclidean, in
// the space of the parties' utilities without discount, from the outcome
// (the agreement, or the reservation values without one); a distance is
// NaN when the domain has no reference for it.
type Metrics struct {
	// Welfare is the sum of the parties' utilities, without discount.
	Welfare float64
	// ParetoDistance is the distance to the nearest point of the Pareto
	// frontier.
	ParetoDistance float64
	// NashDistance is the distance to the Nash point.
	NashDistance float64
}

// Measure returns the metrics of result r of a negotiation on d.
func (d *Domain) Measure(r *Result) Metrics {
	m := Metrics{ParetoDistance: math.NaN(), NashDistance: math.NaN()}
	for _, u := range r.Utilities {
		m.Welfare += u
	}
	if d.Reference == nil {
		return m
	}
	for _, f := range d.Reference.Frontier {
		if dist := distance(r.Utilities, f); !(dist >= m.ParetoDistance) {
			m.ParetoDistance = dist
		}
	}
	if d.Reference.Nash != nil {
		m.NashDistance = distance(r.Utilities, d.Reference.Nash)
	}
	return m
}

func distance(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		x := a[k] - b[k]
		s += x * x
	}
	return math.Sqrt(s)
}

// ComputeReference computes the Pareto frontier and the Nash point of p
// with the analysis engine.
func ComputeReference(ctx context.Context, p *analysis.Problem) (*Reference, error) {
	fr, err := analysis.Frontier(ctx, p, analysis.FrontierOptions{})
	if err != nil {
		return nil, fmt.Errorf("pareto frontier: %w", err)
	}
	ref := &Reference{Epsilon: fr.Epsilon}
	for _, o := range fr.Outcomes {
		ref.Frontier = append(ref.Frontier, o.Utilities)
	}
	sol, err := analysis.Solve(ctx, p, p.Reservation)
	if err != nil {
		return nil, fmt.Errorf("nash solution: %w", err)
	}
	if sol.Nash != nil {
		ref.Nash = sol.Nash.Utilities
	}
	return ref, nil
}
