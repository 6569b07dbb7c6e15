package simulate

import (
	"math"

	"parley/analysis"
)

// TimeBased concedes with time alone: at normalised time t its target
// utility is
//
//	floor + (max − floor)·(1 − t^(1/E))
//
// where max is its best utility and floor the least utility worth agreeing
// to (its reservation value, or its worst acceptable package when that is
// higher): the time-dependent tactic of Faratin, Sierra and Jennings with
// no initial concession (k = 0). With E < 1 it holds out until late
// (Boulware), with E = 1 it concedes at a constant rate, with E > 1 it
// concedes early (Conceder). It offers a package at or just above its
// target, and accepts an offer at least as good as the one it would make
// next.
type TimeBased struct {
	E float64

	self *Self
	pick *picker
}

// NewTimeBased returns a time-based strategy with concession exponent e.
func NewTimeBased(e float64) *TimeBased { return &TimeBased{E: e} }

// Begin implements Strategy.
func (s *TimeBased) Begin(self *Self) error {
	s.self = self
	s.pick = newPicker(self, 8)
	return nil
}

// Act implements Strategy.
func (s *TimeBased) Act(t *Turn) (Action, error) {
	target, ok := concession(s.self, t, s.E)
	if !ok {
		return Action{Move: Leave}, nil
	}
	offer, u := s.pick.near(target, bandWidth(s.self, t), nil)
	return respond(s.self, t, offer, u), nil
}

// concession returns the target utility of a time-based strategy with
// exponent e at turn t, or false when no package is worth agreeing to.
func concession(self *Self, t *Turn, e float64) (float64, bool) {
	hi, _, ok := self.Max()
	lo := max(self.Floor(t.OfferTime), self.Min())
	if !ok || lo > hi {
		return 0, false
	}
	return lo + (hi-lo)*(1-math.Pow(t.Time, 1/e)), true
}

// bandWidth is how far above its target a strategy looks for offers: a
// sliver of the party's range, so that offers vary without giving much.
func bandWidth(self *Self, t *Turn) float64 {
	hi, _, _ := self.Max()
	lo := max(self.Floor(t.OfferTime), self.Min())
	return 0.02 * max(hi-lo, 0)
}

// respond accepts the standing offer when it is worth at least the planned
// offer of utility u and, discount applied, no less than no agreement
// (acceptance by "next offer"); otherwise it makes the planned offer.
func respond(self *Self, t *Turn, offer analysis.Package, u float64) Action {
	if t.Offer != nil {
		v := self.Utility(t.Offer)
		if v >= u && v >= self.Floor(t.AgreeTime) {
			return Action{Move: Accept}
		}
	}
	return Action{Move: Offer, Package: offer}
}
