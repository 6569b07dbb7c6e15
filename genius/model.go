package genius

import (
	"math/big"

	"parley/analysis"
	"parley/scenario"
)

// Format names a research format.
type Format string

// The formats Load reads and the writers write.
const (
	FormatGenius    Format = "genius"
	FormatGeniusWeb Format = "geniusweb"
)

// DefaultRealSteps is the number of values a real issue is discretised
// into when Options.RealSteps is 0.
const DefaultRealSteps = 11

// MaxEnumerated is the largest outcome space Load enumerates package by
// package for nonlinear profiles.
const MaxEnumerated = 1_000_000

// maxIssueValues bounds the values of one integer or number issue.
const maxIssueValues = 1_000_000

// Options tunes Load.
type Options struct {
	// RealSteps is the number of evenly spaced values, bounds included,
	// that a real issue is discretised into; 0 means DefaultRealSteps.
	RealSteps int
	// ScenarioLimit, when not 0, is the most bytes the domain's scenario
	// may take, for an import: a domain whose scenario would take more is
	// refused while it is read, as soon as a floor of the scenario's size
	// passes the limit, and before anything is built. The floor counts the
	// values of each issue, their names, and the profiles.
	ScenarioLimit int
}

// Domain is a loaded domain with its profiles.
type Domain struct {
	Format Format
	// Name is the domain's name: the GeniusWeb name, or the domain file's
	// name without its extension.
	Name string
	// Files are the domain file (when there is one) and the profile files,
	// in the order read.
	Files []string
	// Problem is the numeric problem the analysis engine works on. Its
	// parties are the profile names, in profile order.
	Problem *analysis.Problem
	// Discount is each party's discount factor, kept for simulations; 0
	// means none.
	Discount []float64
	// Notes tell what was approximated or how the input was read, for
	// example that a real issue was discretised.
	Notes []string
	// Scenario is the domain as a parley scenario, for import. It is nil
	// when a profile is not linear additive; Nonlinear then names those
	// profiles.
	Scenario  *scenario.Scenario
	Nonlinear []string
}

// kind is the type of an issue.
type kind string

const (
	kindDiscrete kind = "discrete"
	kindInteger  kind = "integer"
	kindReal     kind = "real"
	// kindNumber is a GeniusWeb number issue (a range with a step).
	kindNumber kind = "number"
)

// issue is an issue of a domain with the values parley gives it.
type issue struct {
	name  string
	index int // GENIUS index attribute; position+1 for GeniusWeb
	kind  kind
	// values are the option labels, in domain order; for integer, real and
	// number issues, the formatted numbers.
	values []string
	// nums are the numeric values of integer, real and number issues.
	nums []float64
	// lower and upper bound integer and real issues; step is a number
	// issue's step.
	lower, upper, step float64
	// exactLow, exactHigh and exactStep are a number issue's range as
	// written, which GeniusWeb computes with exactly.
	exactLow, exactHigh, exactStep *big.Rat
}

// profile is one party's preferences over a domain.
type profile struct {
	name string
	file string
	// weights and evals describe a linear additive profile: evals[i][j] is
	// the evaluation in [0,1] of value j of issue i, after GENIUS's
	// normalisation.
	weights []float64
	evals   [][]float64
	// reservation is the utility of no agreement; discount the discount
	// factor (0: none).
	reservation float64
	discount    float64
	// nonlinear is set for a hyperRectangle profile.
	nonlinear *nonlinearSpace
	// notes tell how the profile was read where GENIUS's rules are lenient.
	notes []string
	// capped is set when a linear profile's weights add up to more than 1:
	// GENIUS then caps the utility of a package at 1, which is not
	// additive.
	capped bool
}

// linear reports whether the profile's utility is additive by issue.
func (p *profile) linear() bool { return p.nonlinear == nil && !p.capped }

// utility returns the profile's utility of a package (one value index per
// issue), with every rule of the platform applied.
func (p *profile) utility(pkg []int) float64 {
	if p.nonlinear != nil {
		return p.nonlinear.utility(pkg)
	}
	u := 0.0
	for i, j := range pkg {
		u += p.weights[i] * p.evals[i][j]
	}
	if p.capped && u > 1 {
		return 1
	}
	return u
}

// maxUtility is the largest additive utility of a linear profile.
func (p *profile) maxUtility() float64 {
	u := 0.0
	for i, w := range p.weights {
		m := 0.0
		for _, e := range p.evals[i] {
			m = max(m, e)
		}
		u += w * m
	}
	return u
}

// space is a domain and its profiles, before they become a Problem.
type space struct {
	format   Format
	name     string
	files    []string
	issues   []*issue
	profiles []*profile
	notes    []string
}
