package simulate

import (
	"strconv"

	"parley/analysis"
)

// supportBook remembers, for each package put on the table, which parties
// have offered or accepted it: a time-based party at its floor offers the
// package it can live with that the most others have backed, since a
// time-based party that backed a package backs it again later.
type supportBook struct {
	self    *Self
	byKey   map[string]*backing
	cur     *backing // the standing offer
	dropped map[int]bool
	key     []byte
}

// backing is one package and the parties known to accept it.
type backing struct {
	pkg   analysis.Package
	u     float64 // its utility for the book's party
	by    map[int]bool
	tries int // how often the party has offered it from the book
}

func newSupportBook(self *Self) *supportBook {
	return &supportBook{self: self, byKey: map[string]*backing{}, dropped: map[int]bool{}}
}

func (b *supportBook) record(pkg analysis.Package) *backing {
	b.key = b.key[:0]
	for _, o := range pkg {
		b.key = strconv.AppendInt(b.key, int64(o), 10)
		b.key = append(b.key, ',')
	}
	if r, ok := b.byKey[string(b.key)]; ok {
		return r
	}
	r := &backing{pkg: append(analysis.Package(nil), pkg...), u: b.self.Utility(pkg), by: map[int]bool{}}
	b.byKey[string(b.key)] = r
	return r
}

// observe takes in the other parties' moves since the party's last turn.
func (b *supportBook) observe(events []Event) {
	for _, ev := range events {
		switch ev.Move {
		case Offer:
			b.cur = b.record(ev.Package)
			b.cur.by[ev.Party] = true
		case Accept:
			if b.cur != nil {
				b.cur.by[ev.Party] = true
			}
		case Dropped:
			b.dropped[ev.Party] = true
			b.cur = nil
		}
	}
}

// acted records the party's own move.
func (b *supportBook) acted(a Action) {
	switch a.Move {
	case Offer:
		b.cur = b.record(a.Package)
		b.cur.by[b.self.Party] = true
	case Accept:
		if b.cur != nil {
			b.cur.by[b.self.Party] = true
		}
	}
}

// best returns, among the packages worth at least floor to the party that
// another party still at the table has backed, the one the most have
// backed; among those, the one the party has offered from the book least
// often, then the best for the party. It is nil when there is none. Each
// call counts as an offer of the package returned, so that successive
// calls go round the candidates.
func (b *supportBook) best(floor float64) *backing {
	var best *backing
	bestN := 0
	for _, r := range b.byKey {
		if r.u < floor-tolerance {
			continue
		}
		n := 0
		for p := range r.by {
			if p != b.self.Party && !b.dropped[p] {
				n++
			}
		}
		if n == 0 {
			continue
		}
		better := best == nil || n > bestN
		if !better && n == bestN {
			switch {
			case r.tries != best.tries:
				better = r.tries < best.tries
			case r.u != best.u:
				better = r.u > best.u
			default:
				better = string(keyOf(r.pkg)) < string(keyOf(best.pkg))
			}
		}
		if better {
			best, bestN = r, n
		}
	}
	if best != nil {
		best.tries++
	}
	return best
}

// keyOf is a package's key, to break exact ties the same way every run.
func keyOf(pkg analysis.Package) []byte {
	var k []byte
	for _, o := range pkg {
		k = strconv.AppendInt(k, int64(o), 10)
		k = append(k, ',')
	}
	return k
}
