package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"parley/analysis"
)

// TestBoulwareBeatsConceder checks, in both seats, that Boulware facing
// Conceder ends nearer Boulware's ideal than Conceder's.
func TestBoulwareBeatsConceder(t *testing.T) {
	domains := map[string]*analysis.Problem{
		"opposed":  opposedProblem(4, 5),
		"random-1": genProblem(rand.New(rand.NewPCG(1, 1)), 2, []int{5, 4, 3, 3, 5, 4}),
		"random-2": genProblem(rand.New(rand.NewPCG(2, 2)), 2, []int{4, 4, 4, 4}),
	}
	for name, p := range domains {
		d := mustDomain(t, p, nil)
		for b := range 2 {
			names := []string{"conceder", "conceder"}
			names[b] = "boulware"
			r := mustNegotiate(t, d, mustStrategies(t, names...), Options{Rounds: 200, Seed: 1})
			if !r.Agreement {
				t.Errorf("%s %v: no agreement", name, names)
				continue
			}
			// Each party's best utility is 1: the ideals are the unit
			// vectors' complements.
			toB := 1 - r.Utilities[b]
			toC := 1 - r.Utilities[1-b]
			if toB >= toC {
				t.Errorf("%s %v: utilities %v: Boulware is %.3f from its ideal, Conceder %.3f", name, names, r.Utilities, toB, toC)
			}
		}
	}
}

// TestConcessionSpeed checks that the faster a pair of time-based
// strategies concede, the earlier they agree.
func TestConcessionSpeed(t *testing.T) {
	for seed := range uint64(5) {
		p := genProblem(rand.New(rand.NewPCG(seed, 3)), 2, []int{5, 5, 5, 5, 5})
		d := mustDomain(t, p, nil)
		round := func(name string) int {
			r := mustNegotiate(t, d, mustStrategies(t, name, name), Options{Rounds: 500, Seed: seed})
			if !r.Agreement {
				t.Fatalf("seed %d: two %s: no agreement", seed, name)
			}
			return r.Round
		}
		c, l, b := round("conceder"), round("linear"), round("boulware")
		if !(c < l && l < b) {
			t.Errorf("seed %d: agreement rounds conceder %d, linear %d, boulware %d: want increasing", seed, c, l, b)
		}
	}
}

// TestTimeBasedTarget checks the concession curve: the utility of each
// offer a time-based strategy makes lies at or just above its target,
// which reaches the floor at FloorTime.
func TestTimeBasedTarget(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(7, 7)), 2, []int{5, 5, 5, 5, 5, 5})
	p.Reservation[0] = 0.3
	d := mustDomain(t, p, nil)
	for _, e := range []float64{0.2, 1, 2} {
		s := NewTimeBased(e)
		self := newSelf(d, 0, 100, rand.New(rand.NewPCG(1, 1)))
		if err := s.Begin(self); err != nil {
			t.Fatal(err)
		}
		hi, _, _ := self.Max()
		lo := max(0.3, self.Min())
		for _, tm := range []float64{0, 0.25, 0.5, 0.75, 0.9, 0.96, 0.99} {
			a, _ := s.Act(&Turn{Time: tm, OfferTime: tm, Offerer: -1})
			if a.Move != Offer {
				t.Fatalf("e=%v t=%v: move %v, want an offer", e, tm, a.Move)
			}
			if tm >= FloorTime(100) {
				// At the floor, any package worth it may be offered.
				if u := p.Utilities(a.Package)[0]; u < lo-1e-12 {
					t.Errorf("e=%v t=%v: offer worth %v, below the floor %v", e, tm, u, lo)
				}
				continue
			}
			tau := min(1, tm/FloorTime(100))
			target := lo + (hi-lo)*(1-math.Pow(tau, 1/e))
			if u := p.Utilities(a.Package)[0]; u < target-1e-12 || u > target+0.03*(hi-lo)+0.05 {
				t.Errorf("e=%v t=%v: offer worth %v, target %v", e, tm, u, target)
			}
		}
	}
}

func TestHardHeaded(t *testing.T) {
	d := mustDomain(t, opposedProblem(4, 5), nil)
	r := mustNegotiate(t, d, mustStrategies(t, "hardheaded", "hardheaded"), Options{Rounds: 300})
	if r.Agreement {
		t.Errorf("two hard-headed parties agreed on %v", r.Package)
	}
	// Where the hard-headed party's best is worth something to the
	// other, a conceder ends up accepting it.
	d = mustDomain(t, genProblem(rand.New(rand.NewPCG(1, 1)), 2, []int{5, 4, 3, 3, 5, 4}), nil)
	for b := range 2 {
		names := []string{"conceder", "conceder"}
		names[b] = "hardheaded"
		r := mustNegotiate(t, d, mustStrategies(t, names...), Options{Rounds: 300})
		if !r.Agreement || math.Abs(r.Utilities[b]-1) > 1e-12 {
			t.Errorf("%v: agreement %v, utilities %v: want the hard-headed party's best", names, r.Agreement, r.Utilities)
		}
	}
}

func TestTitForTat(t *testing.T) {
	d := mustDomain(t, opposedProblem(4, 5), nil)
	r := mustNegotiate(t, d, mustStrategies(t, "tft", "hardheaded"), Options{Rounds: 300})
	if r.Agreement {
		t.Errorf("tit-for-tat conceded to a party that never concedes: %v", r.Utilities)
	}
	r = mustNegotiate(t, d, mustStrategies(t, "tft", "conceder"), Options{Rounds: 300})
	if !r.Agreement {
		t.Errorf("tit-for-tat and conceder did not agree")
	}

	// It mirrors the share of the way the other party has come.
	for _, share := range []float64{0, 0.25, 0.5, 1} {
		self := newSelf(d, 0, 100, rand.New(rand.NewPCG(1, 1)))
		s := NewTitForTat()
		if err := s.Begin(self); err != nil {
			t.Fatal(err)
		}
		// Party b's first offer gives a nothing; its second gives a
		// the given share of its best (each issue is worth 1/4).
		first := analysis.Package{0, 0, 0, 0}
		second := analysis.Package{0, 0, 0, 0}
		for i := range int(share * 4) {
			second[i] = 4
		}
		s.Act(&Turn{Time: 0.1, OfferTime: 0.1, Offerer: 1, Offer: first, Events: []Event{{Party: 1, Move: Offer, Package: first}}})
		a, _ := s.Act(&Turn{Time: 0.2, OfferTime: 0.2, Offerer: 1, Offer: second, Events: []Event{{Party: 1, Move: Offer, Package: second}}})
		want := 1 - float64(int(share*4))/4
		if a.Move == Accept {
			if want > float64(int(share*4))/4 {
				t.Errorf("share %v: accepted an offer worth %v", share, float64(int(share*4))/4)
			}
			continue
		}
		if u := self.Utility(a.Package); u < want-1e-9 || u > want+0.02+1e-9 {
			t.Errorf("share %v: offer worth %v, want %v", share, u, want)
		}
	}
}

// TestTitForTatSeveral checks that, facing several parties, tit-for-tat
// mirrors the one that conceded least.
func TestTitForTatSeveral(t *testing.T) {
	p := opposedProblem(4, 5)
	addParty(p, "c", 0.25)
	d := mustDomain(t, p, nil)
	// Each issue at option 4 is worth 1/4 to party 0, at option 0 nothing.
	share := func(n int) analysis.Package {
		pkg := analysis.Package{0, 0, 0, 0}
		for i := range n {
			pkg[i] = 4
		}
		return pkg
	}
	tests := []struct {
		b, c int // how many issues parties 1 and 2 give party 0 in their second offer
		want float64
	}{
		{4, 0, 1},
		{0, 4, 1},
		{2, 1, 0.75},
		{1, 3, 0.75},
		{2, 2, 0.5},
	}
	for _, tt := range tests {
		self := newSelf(d, 0, 100, rand.New(rand.NewPCG(1, 1)))
		s := NewTitForTat()
		if err := s.Begin(self); err != nil {
			t.Fatal(err)
		}
		s.Act(&Turn{Time: 0.1, OfferTime: 0.1, Offerer: 2, Offer: share(0), Events: []Event{
			{Party: 1, Move: Offer, Package: share(0)}, {Party: 2, Move: Offer, Package: share(0)}}})
		// No offer stands (as when its proposer was dropped), so that
		// the strategy cannot accept.
		a, _ := s.Act(&Turn{Time: 0.2, OfferTime: 0.2, Offerer: -1, Events: []Event{
			{Party: 1, Move: Offer, Package: share(tt.b)}, {Party: 2, Move: Offer, Package: share(tt.c)}}})
		if a.Move != Offer {
			t.Errorf("second offers giving %d and %d issues: move %v, want an offer", tt.b, tt.c, a.Move)
			continue
		}
		if u := self.Utility(a.Package); u < tt.want-1e-9 || u > tt.want+0.02+1e-9 {
			t.Errorf("second offers giving %d and %d issues: offer worth %v, want %v", tt.b, tt.c, u, tt.want)
		}
	}
}

func TestRandom(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(3, 3)), 2, []int{5, 5, 5, 5})
	p.Reservation = []float64{0.6, 0.6}
	d := mustDomain(t, p, nil)
	self := newSelf(d, 0, 100, rand.New(rand.NewPCG(1, 1)))
	s := NewRandom()
	if err := s.Begin(self); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for range 200 {
		a, _ := s.Act(&Turn{Offerer: -1})
		if u := p.Utilities(a.Package)[0]; a.Move != Offer || u < 0.6 {
			t.Fatalf("move %v worth %v, want an offer worth at least 0.6", a.Move, u)
		}
		seen[fmt.Sprint(a.Package)] = true
	}
	if len(seen) < 20 {
		t.Errorf("200 random offers hit only %d packages", len(seen))
	}
	for _, o := range []analysis.Package{{0, 0, 0, 0}, {4, 4, 4, 4}, {1, 2, 3, 4}} {
		a, _ := s.Act(&Turn{Offerer: 1, Offer: o})
		if want := p.Utilities(o)[0] >= 0.6; (a.Move == Accept) != want {
			t.Errorf("offer %v worth %v: move %v", o, p.Utilities(o)[0], a.Move)
		}
	}
}

// TestFrequencyModel checks that the model learns which issue a party
// holds on to and which option it prefers.
func TestFrequencyModel(t *testing.T) {
	d := mustDomain(t, opposedProblem(3, 4), nil)
	self := newSelf(d, 0, 100, rand.New(rand.NewPCG(1, 1)))
	s := NewFrequency()
	if err := s.Begin(self); err != nil {
		t.Fatal(err)
	}
	// Party 1 always offers option 2 on issue 0 and varies the others.
	for i := range 20 {
		pkg := analysis.Package{2, i % 4, (i / 2) % 4}
		s.Act(&Turn{Time: float64(i) / 100, Offerer: 1, Offer: pkg, Events: []Event{{Party: 1, Move: Offer, Package: pkg}}})
	}
	m := &s.models[1]
	if !(m.weights[0] > m.weights[1] && m.weights[0] > m.weights[2]) {
		t.Errorf("weights %v: want issue 0 heaviest", m.weights)
	}
	if a, b := m.estimate(s.off, []int{2, 0, 0}), m.estimate(s.off, []int{1, 0, 0}); a <= b {
		t.Errorf("estimate with its favourite option %v, without %v", a, b)
	}
}

// TestFrequencyLeavesOutDropped checks that, facing several parties, the
// frequency strategy weighs the estimated utilities of those still at the
// table only.
func TestFrequencyLeavesOutDropped(t *testing.T) {
	p := opposedProblem(2, 3)
	addParty(p, "c", 0.5)
	d := mustDomain(t, p, nil)
	self := newSelf(d, 0, 100, rand.New(rand.NewPCG(1, 1)))
	s := NewFrequency()
	if err := s.Begin(self); err != nil {
		t.Fatal(err)
	}
	// Party 1 always offers {0 0}, party 2 always {2 2}.
	for i := range 5 {
		s.Act(&Turn{Time: float64(i) / 100, Offerer: -1, Events: []Event{
			{Party: 1, Move: Offer, Package: analysis.Package{0, 0}},
			{Party: 2, Move: Offer, Package: analysis.Package{2, 2}},
		}})
	}
	// Of {0 0} and {0 2}, party 1 likes the first better, but the second
	// is the compromise between parties 1 and 2.
	pick := newPicker(self, 2)
	copy(pick.buf, []int{0, 0, 0, 2})
	pick.n = 2
	if got := s.choose(pick); got != 1 {
		t.Errorf("with parties 1 and 2 at the table: chose %v, want the compromise {0 2}", pick.candidate(got))
	}
	s.Act(&Turn{Time: 0.1, Offerer: -1, Events: []Event{{Party: 2, Move: Dropped}}})
	if got := s.choose(pick); got != 0 {
		t.Errorf("with party 2 dropped: chose %v, want party 1's favourite {0 0}", pick.candidate(got))
	}
}

// TestFrequencyFindsBetterDeals checks that the frequency model pays off:
// against the same opponents, the frequency strategy's agreements are
// nearer the Pareto frontier than those of plain Boulware, which concedes
// on the same schedule but picks among near-target offers at random.
func TestFrequencyFindsBetterDeals(t *testing.T) {
	var freq, boul float64
	for seed := range uint64(10) {
		p := genProblem(rand.New(rand.NewPCG(seed, 11)), 2, []int{5, 5, 5, 5, 5, 5})
		d := mustDomain(t, p, nil)
		d.Reference = bruteReference(p)
		for _, opp := range []string{"boulware", "linear", "conceder"} {
			for _, me := range []string{"frequency", "boulware"} {
				r := mustNegotiate(t, d, mustStrategies(t, me, opp), Options{Rounds: 500, Seed: seed})
				dist := d.Measure(r).ParetoDistance
				if me == "frequency" {
					freq += dist
				} else {
					boul += dist
				}
			}
		}
	}
	if freq >= boul {
		t.Errorf("total distance to the Pareto frontier: frequency %.3f, boulware %.3f", freq, boul)
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"boulware", "linear", "conceder", "tft", "hardheaded", "random", "frequency", "time:0.5", "time:3"} {
		if _, err := Lookup(name); err != nil {
			t.Errorf("Lookup(%q): %v", name, err)
		}
	}
	for _, name := range []string{"", "bolware", "time:", "time:-1", "time:0", "time:x", "time:Inf"} {
		if _, err := Lookup(name); err == nil {
			t.Errorf("Lookup(%q): no error", name)
		}
	}
}

// FuzzLookup checks that any name either fails to look up or yields a
// strategy that plays a negotiation without being dropped.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"boulware", "time:0.5", "time:1e-300", "time:1e300", "time:NaN", "time:", "tft "} {
		f.Add(s)
	}
	d := mustDomain(f, opposedProblem(2, 3), nil)
	f.Fuzz(func(t *testing.T, name string) {
		factory, err := Lookup(name)
		if err != nil {
			return
		}
		r := mustNegotiate(t, d, []Strategy{factory(), NewTimeBased(1)}, Options{Rounds: 20})
		if len(r.Dropped) > 0 {
			t.Errorf("%q was dropped: %+v", name, r.Dropped)
		}
	})
}
