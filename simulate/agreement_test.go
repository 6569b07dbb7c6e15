package simulate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"parley/analysis"
)

// zoneOpen tells, by enumerating every package, whether some package
// acceptable to all gives every party at least its reservation value.
func zoneOpen(p *analysis.Problem) bool {
	open := false
	enumerate(p, func(pkg analysis.Package) {
		if open {
			return
		}
		for k := range p.Parties {
			u := 0.0
			for i, o := range pkg {
				opt := p.Issues[i].Options[o]
				for _, b := range opt.Blockers {
					c := p.Constraints[b]
					if c.Party == "all" || c.Party == p.Parties[k] {
						return
					}
				}
				u += opt.Utility[k]
			}
			if u < p.Reservation[k]-1e-9 {
				return
			}
		}
		open = true
	})
	return open
}

// TestConcederPairsAgree checks that time-based parties that concede reach
// an agreement whenever a zone of agreement is open: they reach their
// floors before the deadline, with turns left for the others to accept.
func TestConcederPairsAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawProblem(t)
		if !zoneOpen(p) {
			t.Skip("no zone of agreement")
		}
		names := make([]string, len(p.Parties))
		for k := range names {
			names[k] = rapid.SampledFrom([]string{"conceder", "conceder", "linear", "boulware"}).Draw(t, fmt.Sprintf("strategy%d", k))
		}
		rounds := rapid.SampledFrom([]int{200, 1000}).Draw(t, "rounds")
		seed := rapid.Uint64().Draw(t, "negotiation seed")
		d := mustDomain(t, p, nil)
		r := mustNegotiate(t, d, mustStrategies(t, names...), Options{Rounds: rounds, Seed: seed})
		if !r.Agreement {
			t.Fatalf("%s over %d rounds: no agreement (%s) though a zone of agreement is open; problem %+v", strings.Join(names, " vs "), rounds, r.End, *p)
		}
	})
}

// TestDiscountHastens checks that time-based parties with a discount
// factor ask for less as the discount shrinks what is left to share, and
// so agree sooner than the same parties without one.
func TestDiscountHastens(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		p := genProblem(rand.New(rand.NewPCG(seed, 3)), 2, []int{5, 5, 5, 5})
		round := func(discount []float64) int {
			d := mustDomain(t, p, discount)
			r := mustNegotiate(t, d, mustStrategies(t, "boulware", "boulware"), Options{Rounds: 1000, Seed: seed})
			if !r.Agreement {
				t.Fatalf("seed %d, discount %v: no agreement", seed, discount)
			}
			return r.Round
		}
		plain, discounted := round(nil), round([]float64{0.3, 0.3})
		if discounted >= plain {
			t.Errorf("seed %d: agreement in round %d with discount 0.3, %d without: want sooner", seed, discounted, plain)
		}
	}
}
