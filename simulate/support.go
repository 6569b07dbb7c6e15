package simulate

import (
	"slices"

	"parley/analysis"
)

// supportBook remembers, for each package put on the table, which parties
// have offered or accepted it: a time-based party at its floor offers the
// package it can live with that the most others have backed, since a
// time-based party that backed a package backs it again later. It also
// remembers when a package was last refused, by a party that answered it
// with an offer of its own, so that a package refused late in the
// negotiation is not put back on the table while another will do. Packages
// are kept in one arena, so that remembering one costs no allocation once
// the arena has grown.
type supportBook struct {
	self    *Self
	issues  int
	arena   []int            // the packages, issues ints each
	entries []backing        // in the order first seen
	index   map[uint64]int32 // package hash to its latest entry
	cur     int              // the standing offer's entry, or -1
	dropped []bool
}

// backing is one package and the parties known to accept it.
type backing struct {
	u     float64 // the package's utility for the book's party
	by    uint64  // the parties that backed it, a bit per party index
	tries int     // how often the party has offered it from the book
	// refused is the latest normalised time at which the book's party saw
	// that another party had answered the package with an offer of its
	// own, or -1.
	refused float64
	next    int32 // the previous entry with the same hash, or -1
}

// maxBookParties is the most parties a book follows: one bit each.
const maxBookParties = 64

func newSupportBook(self *Self) *supportBook {
	return &supportBook{self: self, issues: len(self.Options), index: make(map[uint64]int32, 256),
		arena: make([]int, 0, 256*len(self.Options)), entries: make([]backing, 0, 256),
		cur: -1, dropped: make([]bool, self.Parties)}
}

func (b *supportBook) pkg(i int) analysis.Package {
	return b.arena[i*b.issues : (i+1)*b.issues]
}

// record returns the entry of pkg, adding it when new.
func (b *supportBook) record(pkg analysis.Package) int {
	i, h := b.find(pkg)
	if i >= 0 {
		return i
	}
	first, ok := b.index[h]
	if !ok {
		first = -1
	}
	i = len(b.entries)
	b.arena = append(b.arena, pkg...)
	b.entries = append(b.entries, backing{u: b.self.Utility(pkg), next: first, refused: -1})
	b.index[h] = int32(i)
	return i
}

// find returns the entry of pkg, or -1, and the package's hash.
func (b *supportBook) find(pkg analysis.Package) (int, uint64) {
	h := uint64(14695981039346656037)
	for _, o := range pkg {
		h ^= uint64(o)
		h *= 1099511628211
	}
	if first, ok := b.index[h]; ok {
		for i := first; i >= 0; i = b.entries[i].next {
			if slices.Equal(b.pkg(int(i)), pkg) {
				return int(i), h
			}
		}
	}
	return -1, h
}

// refusedSince reports whether pkg was refused at normalised time since or
// later.
func (b *supportBook) refusedSince(pkg analysis.Package, since float64) bool {
	i, _ := b.find(pkg)
	return i >= 0 && b.entries[i].refused >= since
}

func (b *supportBook) back(i, party int) {
	if i < 0 || party < 0 || party >= maxBookParties {
		return
	}
	b.entries[i].by |= 1 << uint(party)
}

// observe takes in the other parties' moves since the party's last turn,
// which came at normalised time now.
func (b *supportBook) observe(events []Event, now float64) {
	for _, ev := range events {
		switch ev.Move {
		case Offer:
			if b.cur >= 0 {
				b.entries[b.cur].refused = now
			}
			b.cur = b.record(ev.Package)
			b.back(b.cur, ev.Party)
		case Accept:
			b.back(b.cur, ev.Party)
		case Dropped:
			if ev.Party >= 0 && ev.Party < len(b.dropped) {
				b.dropped[ev.Party] = true
			}
			b.cur = -1
		}
	}
}

// acted records the party's own move.
func (b *supportBook) acted(a Action) {
	switch a.Move {
	case Offer:
		b.cur = b.record(a.Package)
		b.back(b.cur, b.self.Party)
	case Accept:
		b.back(b.cur, b.self.Party)
	}
}

// best returns, among the packages worth at least floor to the party that
// another party still at the table has backed and that nobody has refused
// at time since or later, the one the most have
// backed; among those, the one the party has offered from the book least
// often, then the best for the party, then the first seen. ok is false
// when there is none. Each call counts as an offer of the package
// returned, so that successive calls go round the candidates.
func (b *supportBook) best(floor, since float64) (pkg analysis.Package, u float64, ok bool) {
	best, bestN := -1, 0
	for i := range b.entries {
		e := &b.entries[i]
		if e.by == 0 || e.u < floor-tolerance || e.refused >= since {
			continue
		}
		n := 0
		for p := range min(len(b.dropped), maxBookParties) {
			if e.by&(1<<uint(p)) != 0 && p != b.self.Party && !b.dropped[p] {
				n++
			}
		}
		if n == 0 {
			continue
		}
		better := best < 0 || n > bestN
		if !better && n == bestN {
			o := &b.entries[best]
			if e.tries != o.tries {
				better = e.tries < o.tries
			} else {
				better = e.u > o.u
			}
		}
		if better {
			best, bestN = i, n
		}
	}
	if best < 0 {
		return nil, 0, false
	}
	b.entries[best].tries++
	return b.pkg(best), b.entries[best].u, true
}
