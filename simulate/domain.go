package simulate

import (
	"fmt"
	"math"

	"parley/analysis"
)

// Domain is a negotiation problem prepared for simulation: each party's
// outcome space is set up once and shared, read only, by every negotiation
// on the domain, however many run at once.
type Domain struct {
	Name    string
	Problem *analysis.Problem
	// Discount is each party's discount factor in (0,1], 0 for none.
	Discount []float64
	// Notes say what reading the domain approximated; reports repeat them.
	Notes []string
	// Reference holds what the metrics compare outcomes with; nil until
	// set (see ComputeReference), and then the metrics that need it are
	// left undefined.
	Reference *Reference

	options    []int
	spaces     []*space
	infeasible [][]bool // per issue and option: blocked by a constraint held by all
}

// NewDomain prepares p for simulation. discount may be shorter than the
// list of parties (missing factors are 0, none) or nil.
func NewDomain(name string, p *analysis.Problem, discount []float64) (*Domain, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("domain %s: %w", name, err)
	}
	if len(p.Parties) < 2 {
		return nil, fmt.Errorf("domain %s: %d parties: a negotiation needs at least two", name, len(p.Parties))
	}
	if len(discount) > len(p.Parties) {
		return nil, fmt.Errorf("domain %s: %d discount factors for %d parties", name, len(discount), len(p.Parties))
	}
	for k, r := range p.Reservation {
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil, fmt.Errorf("domain %s: party %s: reservation value %v", name, p.Parties[k], r)
		}
	}
	disc := make([]float64, len(p.Parties))
	for k, f := range discount {
		if math.IsNaN(f) || f < 0 || f > 1 {
			return nil, fmt.Errorf("domain %s: party %s: discount factor %v is not in [0,1]", name, p.Parties[k], f)
		}
		disc[k] = f
	}
	d := &Domain{Name: name, Problem: p, Discount: disc}
	d.options = make([]int, len(p.Issues))
	d.infeasible = make([][]bool, len(p.Issues))
	for i, is := range p.Issues {
		d.options[i] = len(is.Options)
		d.infeasible[i] = make([]bool, len(is.Options))
		for o, opt := range is.Options {
			for _, b := range opt.Blockers {
				if p.Constraints[b].Party == "all" {
					d.infeasible[i][o] = true
				}
			}
		}
	}
	for k := range p.Parties {
		d.spaces = append(d.spaces, newSpace(p, k))
	}
	return d, nil
}

// Parties returns the number of parties.
func (d *Domain) Parties() int { return len(d.Problem.Parties) }

// checkOffer tells why pkg cannot be put on the table, or returns nil: it
// must pick an existing option of every issue, and no option that a
// constraint held by all rules out.
func (d *Domain) checkOffer(pkg analysis.Package) error {
	if len(pkg) != len(d.options) {
		return fmt.Errorf("offer has %d choices for %d issues", len(pkg), len(d.options))
	}
	for i, o := range pkg {
		if o < 0 || o >= d.options[i] {
			return fmt.Errorf("offer picks option %d of issue %d, which has %d", o, i, d.options[i])
		}
		if d.infeasible[i][o] {
			return fmt.Errorf("offer picks option %d of issue %d, which a linkage held by all rules out", o, i)
		}
	}
	return nil
}
