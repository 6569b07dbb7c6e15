package simulate

import (
	"slices"

	"parley/analysis"
)

// supportBook remembers, for each package put on the table, which parties
// have offered or accepted it: a time-based party at its floor offers the
// package it can live with that the most others have backed, since a
// time-based party that backed a package backs it again later. Packages
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
	next  int32   // the previous entry with the same hash, or -1
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
	h := uint64(14695981039346656037)
	for _, o := range pkg {
		h ^= uint64(o)
		h *= 1099511628211
	}
	first, ok := b.index[h]
	if ok {
		for i := first; i >= 0; i = b.entries[i].next {
			if slices.Equal(b.pkg(int(i)), pkg) {
				return int(i)
			}
		}
	} else {
		first = -1
	}
	i := len(b.entries)
	b.arena = append(b.arena, pkg...)
	b.entries = append(b.entries, backing{u: b.self.Utility(pkg), next: first})
	b.index[h] = int32(i)
	return i
}

func (b *supportBook) back(i, party int) {
	if i < 0 || party < 0 || party >= maxBookParties {
		return
	}
	b.entries[i].by |= 1 << uint(party)
}

// observe takes in the other parties' moves since the party's last turn.
func (b *supportBook) observe(events []Event) {
	for _, ev := range events {
		switch ev.Move {
		case Offer:
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
// another party still at the table has backed, the one the most have
// backed; among those, the one the party has offered from the book least
// often, then the best for the party, then the first seen. ok is false
// when there is none. Each call counts as an offer of the package
// returned, so that successive calls go round the candidates.
func (b *supportBook) best(floor float64) (pkg analysis.Package, u float64, ok bool) {
	best, bestN := -1, 0
	for i := range b.entries {
		e := &b.entries[i]
		if e.by == 0 || e.u < floor-tolerance {
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
