package simulate

import "math"

// TitForTat is relative tit-for-tat: it gives up the same share of its
// range as the other parties gave up of theirs. The concession of another
// party is how far its latest offer has moved from its first towards this
// party's best, as a share of the way; facing several parties it mirrors
// the one that conceded least, leaving out those dropped from the table. It opens with its best package, offers a
// package at or just above its target, and accepts an offer at least as
// good as the one it would make next. Facing a party that never concedes,
// it never concedes either.
type TitForTat struct {
	self        *Self
	pick        *picker
	first, last []float64 // per party: utility of its first and latest offer, NaN before any
	gone        []bool    // per party: dropped from the table
}

// NewTitForTat returns a relative tit-for-tat strategy.
func NewTitForTat() *TitForTat { return &TitForTat{} }

// Begin implements Strategy.
func (s *TitForTat) Begin(self *Self) error {
	s.self = self
	s.pick = newPicker(self, 8)
	s.first = make([]float64, self.Parties)
	s.last = make([]float64, self.Parties)
	s.gone = make([]bool, self.Parties)
	for k := range s.first {
		s.first[k], s.last[k] = math.NaN(), math.NaN()
	}
	return nil
}

// Act implements Strategy.
func (s *TitForTat) Act(t *Turn) (Action, error) {
	self := s.self
	hi, _, ok := self.Max()
	lo := max(self.Floor(t.OfferTime), self.Min())
	if !ok || lo > hi {
		return Action{Move: Leave}, nil
	}
	for _, e := range t.Events {
		if e.Move == Dropped {
			s.gone[e.Party] = true
		}
		if e.Move != Offer {
			continue
		}
		u := self.Utility(e.Package)
		if math.IsNaN(s.first[e.Party]) {
			s.first[e.Party] = u
		}
		s.last[e.Party] = u
	}
	c := 1.0
	for k := range s.first {
		if k == self.Party || s.gone[k] {
			continue
		}
		c = min(c, s.concession(k, hi))
	}
	target := hi - c*(hi-lo)
	offer, u := s.pick.near(target, bandWidth(self, t), nil)
	return respond(self, t, offer, u, target), nil
}

// concession is the share of the way from its first offer to this party's
// best that party k has come, in this party's utility.
func (s *TitForTat) concession(k int, best float64) float64 {
	f, l := s.first[k], s.last[k]
	switch {
	case math.IsNaN(f) || math.IsInf(l, -1):
		return 0
	case math.IsInf(f, -1):
		// The first offer crossed a red line: measure from the worst
		// acceptable package instead.
		f = s.self.Min()
	}
	if best-f <= eps {
		return 1
	}
	return max(0, min(1, (l-f)/(best-f)))
}
