package simulate

// HardHeaded never concedes: it offers its best package at every turn and
// accepts only an offer as good as that (and no worse than no agreement).
// It is the limit of time-based concession as the exponent goes to zero.
// It is not the HardHeaded agent of the 2011 automated negotiating agents
// competition, which concedes, late, guided by a frequency model: that is
// closer to Frequency.
type HardHeaded struct {
	self *Self
}

// NewHardHeaded returns a hard-headed strategy.
func NewHardHeaded() *HardHeaded { return &HardHeaded{} }

// Begin implements Strategy.
func (s *HardHeaded) Begin(self *Self) error {
	s.self = self
	return nil
}

// Act implements Strategy.
func (s *HardHeaded) Act(t *Turn) (Action, error) {
	u, best, ok := s.self.Max()
	if !ok || s.self.Floor(t.OfferTime) > u {
		return Action{Move: Leave}, nil
	}
	return respond(s.self, t, best, u-eps, u-eps), nil
}
