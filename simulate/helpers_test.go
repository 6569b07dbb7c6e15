package simulate

import (
	"context"
	"fmt"
	"math/rand/v2"

	"pgregory.net/rapid"

	"parley/analysis"
	"parley/internal/testkit"
)

// genProblem makes a problem with the given number of parties and option
// counts, random weights and option values, each party's utilities in
// [0,1] with a best package worth 1.
func genProblem(rng *rand.Rand, parties int, options []int) *analysis.Problem {
	p := &analysis.Problem{Reservation: make([]float64, parties)}
	for k := range parties {
		p.Parties = append(p.Parties, fmt.Sprintf("p%d", k+1))
	}
	for i, n := range options {
		is := analysis.Issue{Points: []string{fmt.Sprintf("i%d", i+1)}}
		for o := range n {
			is.Options = append(is.Options, analysis.Option{
				Choices: []string{fmt.Sprintf("o%d", o+1)},
				Utility: make([]float64, parties),
			})
		}
		p.Issues = append(p.Issues, is)
	}
	for k := range parties {
		total := 0.0
		w := make([]float64, len(options))
		for i := range w {
			w[i] = 0.1 + rng.Float64()
			total += w[i]
		}
		for i, is := range p.Issues {
			best := 0.0
			vals := make([]float64, len(is.Options))
			for o := range vals {
				vals[o] = rng.Float64()
				best = max(best, vals[o])
			}
			for o := range vals {
				is.Options[o].Utility[k] = w[i] / total * vals[o] / best
			}
		}
	}
	return p
}

// opposedProblem makes a bilateral problem where the parties rank every
// issue's options in opposite orders, with equal weights: what one gains,
// the other loses.
func opposedProblem(issues, options int) *analysis.Problem {
	p := &analysis.Problem{Parties: []string{"a", "b"}, Reservation: []float64{0, 0}}
	for i := range issues {
		is := analysis.Issue{Points: []string{fmt.Sprintf("i%d", i+1)}}
		for o := range options {
			v := float64(o) / float64(options-1) / float64(issues)
			is.Options = append(is.Options, analysis.Option{
				Choices: []string{fmt.Sprintf("o%d", o+1)},
				Utility: []float64{v, 1/float64(issues) - v},
			})
		}
		p.Issues = append(p.Issues, is)
	}
	return p
}

// enumerate calls fn with every package of p.
func enumerate(p *analysis.Problem, fn func(analysis.Package)) {
	pkg := make(analysis.Package, len(p.Issues))
	var rec func(i int)
	rec = func(i int) {
		if i == len(p.Issues) {
			fn(pkg)
			return
		}
		for o := range p.Issues[i].Options {
			pkg[i] = o
			rec(i + 1)
		}
	}
	rec(0)
}

// bruteReference computes the Pareto frontier and the Nash point of p by
// enumeration, the frontier by the shared brute-force checker.
func bruteReference(p *analysis.Problem) *Reference {
	var pts [][]float64
	enumerate(p, func(pkg analysis.Package) {
		if p.Acceptable(pkg) {
			pts = append(pts, p.Utilities(pkg))
		}
	})
	ref := &Reference{Frontier: testkit.Frontier(pts)}
	bestNash := 0.0
	for _, a := range pts {
		prod := 1.0
		for k, u := range a {
			prod *= max(0, u-p.Reservation[k])
		}
		if prod > bestNash {
			bestNash, ref.Nash = prod, a
		}
	}
	return ref
}

// tb is what the helpers need of a *testing.T, *testing.B or *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

func mustDomain(t tb, p *analysis.Problem, discount []float64) *Domain {
	t.Helper()
	d, err := NewDomain("test", p, discount)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustStrategies(t tb, names ...string) []Strategy {
	t.Helper()
	var ss []Strategy
	for _, n := range names {
		f, err := Lookup(n)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, f())
	}
	return ss
}

func mustNegotiate(t tb, d *Domain, ss []Strategy, opt Options) *Result {
	t.Helper()
	r, err := Negotiate(context.Background(), d, ss, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// drawProblem draws a small problem with red lines for property tests:
// 2 or 3 parties, up to 5 issues of up to 5 options, some options blocked
// for one party or for all.
func drawProblem(t *rapid.T) *analysis.Problem {
	parties := rapid.IntRange(2, 3).Draw(t, "parties")
	issues := rapid.IntRange(0, 5).Draw(t, "issues")
	opts := make([]int, issues)
	for i := range opts {
		opts[i] = rapid.IntRange(1, 5).Draw(t, fmt.Sprintf("options%d", i))
	}
	seed := rapid.Uint64().Draw(t, "seed")
	rng := rand.New(rand.NewPCG(seed, 7))
	p := genProblem(rng, parties, opts)
	for k := range parties {
		p.Reservation[k] = rapid.Float64Range(0, 0.7).Draw(t, fmt.Sprintf("reservation%d", k))
	}
	for i := range p.Issues {
		for o := range p.Issues[i].Options {
			switch rng.IntN(12) {
			case 0:
				p.Constraints = append(p.Constraints, analysis.Constraint{Kind: analysis.RedLineConstraint, Party: "all"})
			case 1, 2:
				holder := p.Parties[rng.IntN(parties)]
				p.Constraints = append(p.Constraints, analysis.Constraint{Kind: analysis.RedLineConstraint, Party: holder})
			default:
				continue
			}
			opt := &p.Issues[i].Options[o]
			opt.Blockers = append(opt.Blockers, len(p.Constraints)-1)
		}
	}
	return p
}

// addParty adds a party with reservation value 0 that values every option
// of every issue at u.
func addParty(p *analysis.Problem, id string, u float64) {
	p.Parties = append(p.Parties, id)
	p.Reservation = append(p.Reservation, 0)
	for i := range p.Issues {
		for o := range p.Issues[i].Options {
			p.Issues[i].Options[o].Utility = append(p.Issues[i].Options[o].Utility, u)
		}
	}
}
