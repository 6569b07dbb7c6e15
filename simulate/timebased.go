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
// Once at its floor it also offers, every other turn, the best offer it
// has received that is worth its floor: a time-based party that offered a
// package accepts it again later.
type TimeBased struct {
	E float64

	self  *Self
	pick  *picker
	best  analysis.Package // the best offer received, for this party
	bestU float64
}

// NewTimeBased returns a time-based strategy with concession exponent e.
func NewTimeBased(e float64) *TimeBased { return &TimeBased{E: e} }

// Begin implements Strategy.
func (s *TimeBased) Begin(self *Self) error {
	s.self = self
	s.pick = newPicker(self, 8)
	s.best = make(analysis.Package, len(self.Options))
	s.bestU = math.Inf(-1)
	return nil
}

// Act implements Strategy.
func (s *TimeBased) Act(t *Turn) (Action, error) {
	target, ok := concession(s.self, t, s.E)
	if !ok {
		return Action{Move: Leave}, nil
	}
	if t.Offer != nil && t.Offerer != s.self.Party {
		if v := s.self.Utility(t.Offer); v > s.bestU {
			s.bestU = v
			copy(s.best, t.Offer)
		}
	}
	offer, u := s.pick.near(target, bandWidth(s.self, t), nil)
	floor := max(s.self.Floor(t.OfferTime), s.self.Min())
	if concessionTime(s.self, t) >= 1 && s.bestU >= floor-tolerance && s.self.Rand.IntN(2) == 0 {
		offer, u = s.best, s.bestU
	}
	return respond(s.self, t, offer, u, target), nil
}

// tolerance absorbs rounding when utilities computed by different sums are
// compared: 0.65 as 0.3+0.35 and as 0.35+0.3.
const tolerance = 1e-9

// FloorTime is the normalised time at which a time-based strategy with a
// deadline of the given rounds reaches its floor: 95% of the way, and at
// least two rounds before the deadline, so that every other party still
// has turns to accept its last offers.
func FloorTime(rounds int) float64 {
	if rounds < 1 {
		return 0
	}
	return max(0, 1-max(0.05, 2/float64(rounds)))
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
