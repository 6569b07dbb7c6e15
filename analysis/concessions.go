package analysis

// Concessions are what each party gives up in one package, against its own
// ideal: its best option on every point.
type Concessions struct {
	// Of says which package: "scorecard", "solutions.nash",
	// "relaxations[0].solutions.maximin", "improvements.nash", ….
	Of string `json:"of"`
	Scored
	// Parties lists every party with a position, counted or not.
	Parties []PartyConcessions `json:"parties"`
}

// PartyConcessions is what one party gives up in a package.
type PartyConcessions struct {
	Party   string `json:"party"`
	Counted bool   `json:"counted"`
	// Ideal is the party's utility if every point went its way; Utility
	// its utility of the package; Cost the difference, the sum of the
	// points' costs.
	Ideal   float64 `json:"ideal"`
	Utility float64 `json:"utility"`
	Cost    float64 `json:"cost"`
	// Points are the points on which the package departs from the party's
	// best option, largest cost first.
	Points []PointConcession `json:"points"`
}

// PointConcession is one point a party concedes.
type PointConcession struct {
	Point string `json:"point"`
	// Option is the package's option; Best the party's best option (the
	// first in the text among equals).
	Option string `json:"option"`
	Best   string `json:"best"`
	// Cost is the weighted utility the party gives up on the point.
	Cost float64 `json:"cost"`
	// RedLine is true when the option crosses the party's own red line
	// (lifted for this package).
	RedLine bool `json:"red_line,omitempty"`
}

// Concede returns what every party gives up in the package pkg (a package
// of c.All), labelled of.
func (c *Compiled) Concede(of string, pkg Package) Concessions {
	choices := c.All.Choices(pkg)
	out := Concessions{Of: of, Scored: c.Scored(pkg)}
	red := make(map[[3]string]bool)
	for _, con := range c.All.Constraints {
		if con.Kind == RedLineConstraint {
			red[[3]string{con.Party, con.Point, con.Option}] = true
		}
	}
	for k, id := range c.All.Parties {
		pc := PartyConcessions{Party: id, Counted: c.Counted[k], Points: []PointConcession{}}
		for _, t := range c.points {
			if !t.weighs[k] {
				continue
			}
			best := 0
			for o := range t.options {
				if t.utility[o][k] > t.utility[best][k] {
					best = o
				}
			}
			chosen := 0
			for o, id := range t.options {
				if id == choices[t.id] {
					chosen = o
				}
			}
			pc.Ideal += t.utility[best][k]
			pc.Utility += t.utility[chosen][k]
			cost := t.utility[best][k] - t.utility[chosen][k]
			if cost > tol {
				pc.Points = append(pc.Points, PointConcession{
					Point: t.id, Option: t.options[chosen], Best: t.options[best], Cost: cost,
					RedLine: red[[3]string{id, t.id, t.options[chosen]}],
				})
			}
		}
		pc.Cost = pc.Ideal - pc.Utility
		// Largest cost first; the sort is stable, so equal costs keep the
		// order of the text.
		for i := 1; i < len(pc.Points); i++ {
			for j := i; j > 0 && pc.Points[j].Cost > pc.Points[j-1].Cost+tol; j-- {
				pc.Points[j], pc.Points[j-1] = pc.Points[j-1], pc.Points[j]
			}
		}
		out.Parties = append(out.Parties, pc)
	}
	return out
}
