package simulate

import (
	"math"

	"parley/analysis"
)

// Random offers packages drawn at random among those it prefers to no
// agreement, and accepts any offer it prefers to no agreement. It is the
// baseline that any strategy worth its name should beat.
type Random struct {
	self *Self
	pick *picker
	pkg  analysis.Package
	// opts lists the options acceptable to the party, per issue.
	opts [][]int
}

// NewRandom returns a random strategy.
func NewRandom() *Random { return &Random{} }

// Begin implements Strategy.
func (s *Random) Begin(self *Self) error {
	s.self = self
	s.pick = newPicker(self, 1)
	s.pkg = make(analysis.Package, len(self.Options))
	s.opts = make([][]int, len(self.Options))
	for i, n := range self.Options {
		for o := range n {
			if self.Acceptable(i, o) {
				s.opts[i] = append(s.opts[i], o)
			}
		}
	}
	return nil
}

// Act implements Strategy.
func (s *Random) Act(t *Turn) (Action, error) {
	self := s.self
	hi, _, ok := self.Max()
	if !ok || self.Floor(t.OfferTime) > hi {
		return Action{Move: Leave}, nil
	}
	if t.Offer != nil {
		v := self.Utility(t.Offer)
		if !math.IsInf(v, -1) && v >= self.Floor(t.AgreeTime) {
			return Action{Move: Accept}, nil
		}
	}
	return Action{Move: Offer, Package: s.draw(self.Floor(t.OfferTime))}, nil
}

// draw returns a random acceptable package worth at least floor: a few
// uniform draws, then a package near a random target between floor and
// the party's best.
func (s *Random) draw(floor float64) analysis.Package {
	self := s.self
	for range 16 {
		for i, opts := range s.opts {
			s.pkg[i] = opts[self.Rand.IntN(len(opts))]
		}
		if self.Utility(s.pkg) >= floor {
			return s.pkg
		}
	}
	hi, _, _ := self.Max()
	lo := max(floor, self.Min())
	target := lo + self.Rand.Float64()*(hi-lo)
	pkg, _ := s.pick.near(target, hi-target, nil)
	return pkg
}
