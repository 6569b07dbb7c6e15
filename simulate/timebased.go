package simulate

import (
	"math"

	"parley/analysis"
)

// TimeBased concedes with time alone: at normalised time t its target
// utility is
//
//	floor + (max − floor)·(1 − τ^(1/E))·d^t
//
// where max is its best utility, floor the least utility worth agreeing to
// (its reservation value, or its worst acceptable package when that is
// higher), d its discount factor (1 for none) and τ = min(1, t/T) the time
// on its own clock, which reaches 1 at T, shortly before the deadline (see
// FloorTime): the time-dependent tactic of Faratin, Sierra and Jennings
// with no initial concession (k = 0), reaching its floor while the others
// still have turns to accept, and asking for less of a surplus that the
// discount shrinks. With E < 1 it holds out until late (Boulware), with
// E = 1 it concedes at a constant rate, with E > 1 it concedes early
// (Conceder). It offers a package at or just above its target, and accepts
// an offer worth at least its target or the offer it would make next.
// Once at its floor, any package worth it will do: half the turns it
// offers, among the packages put on the table that are worth its floor,
// one that others have offered or accepted (the most backed first, going
// round them), since a time-based party that backed a package backs it
// again later; otherwise, from a sample of the packages at its floor, or
// of all those worth it, or of those up to a random level above it, the
// one a frequency model of the others' offers suggests they like best.
// Packages refused since it reached its floor are passed over while
// another will do.
type TimeBased struct {
	E float64

	self   *Self
	pick   *picker
	wide   *picker // samples the packages above the floor
	book   *supportBook
	models []frequencyModel // the others' offers, for the choice at the floor
	off    []int
}

// NewTimeBased returns a time-based strategy with concession exponent e.
func NewTimeBased(e float64) *TimeBased { return &TimeBased{E: e} }

// Begin implements Strategy.
func (s *TimeBased) Begin(self *Self) error {
	s.self = self
	s.pick = newPicker(self, 8)
	s.book = newSupportBook(self)
	s.wide = newPicker(self, 16)
	s.off = make([]int, len(self.Options))
	total := 0
	for i, k := range self.Options {
		s.off[i] = total
		total += k
	}
	s.models = make([]frequencyModel, self.Parties)
	for k := range s.models {
		if k != self.Party {
			s.models[k] = newFrequencyModel(total, len(self.Options))
		}
	}
	return nil
}

// Act implements Strategy.
func (s *TimeBased) Act(t *Turn) (Action, error) {
	s.book.observe(t.Events, t.Time)
	for _, e := range t.Events {
		switch e.Move {
		case Offer:
			s.models[e.Party].learn(s.off, e.Package)
		case Dropped:
			s.models[e.Party].gone = true
		}
	}
	target, ok := concession(s.self, t, s.E)
	if !ok {
		return Action{Move: Leave}, nil
	}
	var offer analysis.Package
	var u float64
	if concessionTime(s.self, t) >= 1 {
		// At the floor: any package worth it will do. Half the turns,
		// offer one the others have backed; otherwise, or when there is
		// none, one turn in four one at the floor, one in four any
		// package worth the floor, and one in four one up to a random
		// level between the floor and the best.
		r := s.self.Rand.IntN(4)
		if r < 2 {
			if pkg, v, ok := s.book.best(target, s.refusalsFrom()); ok {
				offer, u = pkg, v
			}
		}
		if offer == nil {
			// A sample of the packages between the floor and a level
			// (the floor itself, or a random one up to the best), of which
			// the one the others' offers suggest they like best.
			hi, _, _ := s.self.Max()
			width := bandWidth(s.self, t)
			switch r {
			case 2:
				// Every package worth the floor: in a small zone of
				// agreement the one the others accept may lie well above
				// this party's floor.
				width = max(hi-target, 0)
			case 3:
				width = s.self.Rand.Float64() * max(hi-target, 0)
			}
			offer, u = s.wide.near(target, max(width, bandWidth(s.self, t)), s.choose)
		}
	} else {
		offer, u = s.pick.near(target, bandWidth(s.self, t), nil)
	}
	a := respond(s.self, t, offer, u, target)
	s.book.acted(a)
	return a, nil
}

// choose returns the candidate with the highest product of the others'
// estimated utilities, as Frequency does, passing over the packages
// refused since this party reached its floor while any candidate has not
// been.
func (s *TimeBased) choose(p *picker) int {
	from := s.refusalsFrom()
	return mostAgreeable(p, s.self.Party, s.models, s.off, func(pkg analysis.Package) bool {
		return s.book.refusedSince(pkg, from)
	})
}

// refusalsFrom is the time from which a refusal tells a time-based party
// at its floor something: one round after the time it reached its floor,
// where the others, if they concede by the same clock, are at theirs. A
// refusal is dated when the party sees it, at most a round after it was
// made.
func (s *TimeBased) refusalsFrom() float64 {
	return FloorTime(s.self.Rounds) + 1/float64(max(s.self.Rounds, 1))
}

// tolerance absorbs rounding when utilities computed by different sums are
// compared: 0.65 as 0.3+0.35 and as 0.35+0.3.
const tolerance = 1e-9

// FloorTime is the normalised time at which a time-based strategy with a
// deadline of the given rounds reaches its floor: 95% of the way, and at
// least three rounds before the deadline, so that every other party still
// has turns to accept its last offers.
func FloorTime(rounds int) float64 {
	if rounds < 1 {
		return 0
	}
	return max(0, 1-max(0.05, 3/float64(rounds)))
}

// concessionTime is τ, the time on a time-based strategy's own clock: 1
// from FloorTime on.
func concessionTime(self *Self, t *Turn) float64 {
	tf := FloorTime(self.Rounds)
	if tf <= 0 {
		return 1
	}
	return min(1, t.Time/tf)
}

// concession returns the target utility of a time-based strategy with
// exponent e at turn t, or false when no package is worth agreeing to.
func concession(self *Self, t *Turn, e float64) (float64, bool) {
	hi, _, ok := self.Max()
	lo := max(self.Floor(t.OfferTime), self.Min())
	if !ok || lo > hi+tolerance {
		return 0, false
	}
	lo = min(lo, hi)
	surplus := (hi - lo) * (1 - math.Pow(concessionTime(self, t), 1/e))
	if d := self.Discount; d > 0 && d < 1 {
		surplus *= math.Pow(d, t.Time)
	}
	return lo + surplus, true
}

// bandWidth is how far above its target a strategy looks for offers: a
// sliver of the party's range, so that offers vary without giving much.
func bandWidth(self *Self, t *Turn) float64 {
	hi, _, _ := self.Max()
	lo := max(self.Floor(t.OfferTime), self.Min())
	return 0.02 * max(hi-lo, 0)
}

// respond accepts the standing offer when it is worth at least the target
// or the planned offer of utility u, and, discount applied, no less than
// no agreement (acceptance by target or "next offer"); otherwise it makes
// the planned offer. Utilities within tolerance count as equal.
func respond(self *Self, t *Turn, offer analysis.Package, u, target float64) Action {
	if t.Offer != nil {
		v := self.Utility(t.Offer)
		if v >= min(u, target)-tolerance && v >= self.Floor(t.AgreeTime)-tolerance {
			return Action{Move: Accept}
		}
	}
	return Action{Move: Offer, Package: offer}
}
