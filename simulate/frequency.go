package simulate

import (
	"math"

	"parley/analysis"
)

// Frequency concedes like a Boulware time-based strategy but chooses, among
// the packages near its target, the one the other parties are likely to
// like best, by a frequency model of their preferences: an option a party
// offers often is taken to be one it values, and an issue on which it
// rarely changes its offer to be one it weighs heavily. Facing several
// parties, it maximises the product of the estimated utilities of those
// still at the table.
type Frequency struct {
	// E is the concession exponent (0.2 by default).
	E float64

	self   *Self
	pick   *picker
	models []frequencyModel // per party; unused for itself
	off    []int            // first option of each issue in a model's counts
}

// frequencyModel is what a party has been seen to offer.
type frequencyModel struct {
	counts  []float64 // per option, flat
	top     []float64 // per issue: the largest count
	weights []float64 // per issue, adding up to 1
	last    []int     // its latest offer
	seen    bool
	gone    bool // dropped from the table: left out of the product
}

// learning is how much an issue's weight grows each time a party keeps
// its option unchanged from one offer to the next.
const learning = 0.1

// NewFrequency returns an opponent-modelling strategy.
func NewFrequency() *Frequency { return &Frequency{E: 0.2} }

// Begin implements Strategy.
func (s *Frequency) Begin(self *Self) error {
	s.self = self
	s.pick = newPicker(self, 32)
	n := len(self.Options)
	s.off = make([]int, n)
	total := 0
	for i, k := range self.Options {
		s.off[i] = total
		total += k
	}
	s.models = make([]frequencyModel, self.Parties)
	for k := range s.models {
		if k == self.Party {
			continue
		}
		s.models[k] = newFrequencyModel(total, n)
	}
	return nil
}

// Act implements Strategy.
func (s *Frequency) Act(t *Turn) (Action, error) {
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
	offer, u := s.pick.near(target, bandWidth(s.self, t), s.choose)
	return respond(s.self, t, offer, u, target), nil
}

// choose returns the candidate with the highest product of the other
// parties' estimated utilities; the first among equals.
func (s *Frequency) choose(p *picker) int {
	return mostAgreeable(p, s.self.Party, s.models, s.off, nil)
}

// mostAgreeable returns the candidate of p with the highest product of the
// estimated utilities of the parties other than self that are still in the
// negotiation, by their models; the first among equals. off is the offset of
// each issue's options in the models. When refused is not nil, a candidate
// it reports is chosen only if every candidate is refused.
func mostAgreeable(p *picker, self int, models []frequencyModel, off []int, refused func(analysis.Package) bool) int {
	best, bestV, bestRefused := 0, math.Inf(-1), true
	for i := range p.n {
		pkg := p.candidate(i)
		r := refused != nil && refused(pkg)
		if r && !bestRefused {
			continue
		}
		v := 1.0
		for k := range models {
			if k != self && !models[k].gone {
				v *= models[k].estimate(off, pkg) + 1e-3
			}
		}
		if v > bestV || (bestRefused && !r) {
			best, bestV, bestRefused = i, v, r
		}
	}
	return best
}

// newFrequencyModel returns an empty model of a party over issues with
// options options in all.
func newFrequencyModel(options, issues int) frequencyModel {
	m := frequencyModel{
		counts:  make([]float64, options),
		top:     make([]float64, issues),
		weights: make([]float64, issues),
		last:    make([]int, issues),
	}
	for i := range m.weights {
		m.weights[i] = 1 / float64(issues)
	}
	return m
}

func (m *frequencyModel) learn(off []int, pkg []int) {
	if m.seen {
		sum := 0.0
		for i, o := range pkg {
			if m.last[i] == o {
				m.weights[i] += learning
			}
			sum += m.weights[i]
		}
		for i := range m.weights {
			m.weights[i] /= sum
		}
	}
	for i, o := range pkg {
		c := m.counts[off[i]+o] + 1
		m.counts[off[i]+o] = c
		m.top[i] = max(m.top[i], c)
	}
	copy(m.last, pkg)
	m.seen = true
}

// estimate is the party's estimated utility of pkg, in [0,1].
func (m *frequencyModel) estimate(off []int, pkg []int) float64 {
	if !m.seen {
		return 0
	}
	v := 0.0
	for i, o := range pkg {
		v += m.weights[i] * m.counts[off[i]+o] / m.top[i]
	}
	return v
}
