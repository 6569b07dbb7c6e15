package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"

	"parley/analysis"
)

// Strategy is what an automated party does at the table. A Strategy value
// plays one party in one negotiation: the protocol calls Begin once, then Act
// at each of the party's turns, always from one goroutine.
//
// A Strategy that returns an error, panics, makes an invalid move or does
// not answer within the turn timeout is dropped from the negotiation, with
// the reason recorded; the negotiation goes on without it.
type Strategy interface {
	// Begin tells the strategy who it plays. The Self stays valid for the
	// whole negotiation.
	Begin(self *Self) error
	// Act returns the party's move at its turn. The turn, and every package
	// it holds, is valid only until Act returns; copy what must be kept.
	Act(turn *Turn) (Action, error)
}

// Move is what a party does at its turn.
type Move int

// The moves. Offer puts a package on the table in place of the standing
// offer; Accept accepts the standing offer; Leave walks away from the table,
// which ends the negotiation without agreement for every party. Dropped is
// not a move a party can make: it is the event of a party being dropped by
// the protocol, after which it is no longer at the table.
const (
	Offer Move = iota + 1
	Accept
	Leave
	Dropped
)

func (m Move) String() string {
	switch m {
	case Offer:
		return "offer"
	case Accept:
		return "accept"
	case Leave:
		return "leave"
	case Dropped:
		return "dropped"
	}
	return "move(" + strconv.Itoa(int(m)) + ")"
}

// Action is a party's move; Package is the offer when Move is Offer. The
// protocol copies the package: a strategy may reuse it after Act returns.
type Action struct {
	Move    Move
	Package analysis.Package
}

// Turn is what a party sees when it is its turn.
type Turn struct {
	// Round counts from 1 to the deadline in rounds.
	Round int
	// Time is the normalised time of this turn in [0,1): the share of the
	// rounds gone by, or of the wall-time deadline when that is further on.
	Time float64
	// Offer is the standing offer, nil when there is none (at the first
	// turn, or when its proposer was dropped). Offerer is the index of the
	// party that made it, or -1.
	Offer   analysis.Package
	Offerer int
	// AgreeTime is the normalised time at which the standing offer becomes
	// an agreement if this party and every party after it accept: the time
	// at which its discount applies. It is 0 when no offer stands.
	AgreeTime float64
	// OfferTime is the earliest normalised time at which an offer made now
	// could become an agreement.
	OfferTime float64
	// Events are what the other parties did since this party's last turn,
	// oldest first, and which of them were dropped (Move Dropped).
	Events []Event
}

// Event is one move of another party, or its being dropped.
type Event struct {
	Party int
	Move  Move
	// Package is the offer, when Move is Offer.
	Package analysis.Package
}

// Self is what a strategy knows of its own party: its preferences, its
// reservation value and discount factor, and the shape of the outcome space.
// It does not know the other parties' preferences.
//
// Its methods are not safe for concurrent use; the protocol calls a
// strategy from one goroutine.
type Self struct {
	// Party is the index of the party in the problem; Parties is the
	// number of parties at the start (Events tell which are dropped).
	Party   int
	ID      string
	Parties int
	// Options is the number of options of each issue; a package picks one
	// option index per issue.
	Options []int
	// Reservation is the utility of no agreement.
	Reservation float64
	// Discount is the party's discount factor in (0,1], or 0 for none: a
	// package of utility u agreed at normalised time t is worth u·d^t, and
	// the reservation value r is worth r·d^t when the negotiation ends at t
	// without agreement (t = 1 at the deadline).
	Discount float64
	// Rounds is the deadline in rounds.
	Rounds int
	// Rand is the party's random source, seeded from the negotiation's
	// seed.
	Rand *rand.Rand

	sp    *space
	srch  searcher
	evals int64
}

func newSelf(d *Domain, party int, rounds int, rng *rand.Rand) *Self {
	p := d.Problem
	s := &Self{
		Party:       party,
		ID:          p.Parties[party],
		Parties:     len(p.Parties),
		Options:     d.options,
		Reservation: p.Reservation[party],
		Rounds:      rounds,
		Rand:        rng,
		sp:          d.spaces[party],
	}
	if party < len(d.Discount) {
		s.Discount = d.Discount[party]
	}
	s.srch.init(s.sp)
	return s
}

// Utility returns the party's utility of pkg: the sum of its options'
// utilities, or -Inf when pkg crosses one of the party's red lines or
// linkages (or one held by all). It does not allocate.
func (s *Self) Utility(pkg analysis.Package) float64 {
	s.evals++
	return s.sp.utility(pkg)
}

// Payoff returns what utility u is worth at normalised time t once the
// discount factor is applied.
func (s *Self) Payoff(u float64, t float64) float64 {
	return discounted(u, s.Discount, t)
}

// Floor returns the least utility a package agreed at normalised time t
// must have for the party to be no worse off than leaving the table then.
// As in GENIUS, the discount applies alike to an agreement and to the
// reservation value, so the floor is the reservation value whatever t;
// taking t spares strategies from knowing how discounts apply.
func (s *Self) Floor(t float64) float64 { return s.Reservation }

// Acceptable reports whether the option of the issue crosses none of the
// party's red lines or linkages (nor one held by all).
func (s *Self) Acceptable(issue, option int) bool {
	return !math.IsInf(s.sp.val[s.sp.off[issue]+option], -1)
}

// Max returns the party's best utility and a package that reaches it,
// which the caller must not modify. ok is false when every package crosses
// one of the party's red lines.
func (s *Self) Max() (u float64, best analysis.Package, ok bool) {
	return s.sp.max, s.sp.best, s.sp.ok
}

// Min returns the party's least utility over the packages acceptable to
// it, or +Inf when there are none.
func (s *Self) Min() float64 { return s.sp.min }

// Search calls fn with packages acceptable to the party whose utility lies
// in [lo, hi], until fn returns false or every such package has been seen
// or a budget of search steps is spent. The package passed to fn is valid
// only during the call. The search prunes every branch that cannot reach
// the band, so it does not enumerate the packages outside it.
// With shuffle, the order of the options tried is rotated at random, so
// that successive searches visit different packages first.
func (s *Self) Search(lo, hi float64, shuffle bool, fn func(pkg analysis.Package, u float64) bool) {
	var rng *rand.Rand
	if shuffle {
		rng = s.Rand
	}
	s.srch.band(lo, hi, searchBudget, rng, func(pkg analysis.Package, u float64) bool {
		s.evals++
		return fn(pkg, u)
	})
}

// Nearest writes into dst the package acceptable to the party whose
// utility is the least at or above target (or the best package when none
// reaches target), and returns its utility. dst must have one entry per
// issue. The search is exact for all but very large spaces, where it stops
// after a budget of steps with the closest package found so far.
func (s *Self) Nearest(target float64, dst analysis.Package) float64 {
	if !s.sp.ok {
		return math.Inf(-1)
	}
	if target >= s.sp.max {
		copy(dst, s.sp.best)
		s.evals++
		return s.sp.max
	}
	u, n := s.srch.nearest(target, searchBudget, dst)
	s.evals += int64(n)
	return u
}

// Evaluations returns how many packages the party has evaluated.
func (s *Self) Evaluations() int64 { return s.evals }

// searchBudget bounds the steps of one search.
const searchBudget = 1 << 16

// discounted applies discount factor d (0 for none) at normalised time t.
func discounted(u, d, t float64) float64 {
	if d <= 0 || d >= 1 || t <= 0 {
		return u
	}
	return u * math.Pow(d, t)
}

// Factory makes a fresh Strategy for one party of one negotiation.
type Factory func() Strategy

var (
	registryMu sync.RWMutex
	registry   = map[string]entry{}
)

type entry struct {
	summary string
	new     Factory
}

// Register makes a strategy available by name to Lookup, and so to
// "parley simulate --strategies". It panics if the name is taken or holds
// a character other than a lower-case letter, digit, '-' or '_'.
func Register(name, summary string, f Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if name == "" || strings.TrimFunc(name, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_'
	}) != "" {
		panic(fmt.Sprintf("simulate: invalid strategy name %q", name))
	}
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf("simulate: strategy %q registered twice", name))
	}
	registry[name] = entry{summary, f}
}

// Lookup returns the factory of the named strategy. Besides the registered
// names it understands "time:E", a time-based concession strategy with
// exponent E > 0.
func Lookup(name string) (Factory, error) {
	registryMu.RLock()
	e, ok := registry[name]
	registryMu.RUnlock()
	if ok {
		return e.new, nil
	}
	if rest, ok := strings.CutPrefix(name, "time:"); ok {
		e, err := strconv.ParseFloat(rest, 64)
		if err != nil || !(e > 0) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("strategy %q: exponent must be a positive number", name)
		}
		return func() Strategy { return NewTimeBased(e) }, nil
	}
	return nil, fmt.Errorf("unknown strategy %q (known: %s, time:E)", name, strings.Join(Names(), ", "))
}

// Names returns the registered strategy names, sorted.
func Names() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Summary returns the one-line description of a registered strategy.
func Summary(name string) string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return registry[name].summary
}

func init() {
	Register("boulware", "time-based, concedes late (e=0.2)", func() Strategy { return NewTimeBased(0.2) })
	Register("linear", "time-based, concedes at a constant rate (e=1)", func() Strategy { return NewTimeBased(1) })
	Register("conceder", "time-based, concedes early (e=2)", func() Strategy { return NewTimeBased(2) })
	Register("tft", "relative tit-for-tat: concedes as much as the others did", func() Strategy { return NewTitForTat() })
	Register("hardheaded", "never concedes: offers its best, accepts only its best", func() Strategy { return NewHardHeaded() })
	Register("random", "offers random packages it prefers to no agreement, accepts any such", func() Strategy { return NewRandom() })
	Register("frequency", "Boulware offers chosen with a frequency model of the others' preferences", func() Strategy { return NewFrequency() })
}
