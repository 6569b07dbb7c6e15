// Package simulate runs automated negotiations between strategies on a
// negotiation problem, and tournaments of strategies over many domains.
//
// The protocol is stacked alternating offers for any number of parties: in
// a fixed order, each party in turn either accepts the standing offer, makes
// a new one in its place, or leaves the table. An offer is agreed when every
// other party at the table has accepted it. A deadline in rounds, and
// optionally in wall time, ends the negotiation; without agreement every
// party gets its reservation value. Discount factors apply as in GENIUS: a
// package of utility u agreed at normalised time t is worth u·d^t, and the
// reservation value r is worth r·d^t when the negotiation ends without
// agreement at time t (t = 1 at the deadline).
//
// Strategies implement the Strategy interface; the built-in ones are
// time-based concession (Boulware, linear, Conceder, or any exponent),
// relative tit-for-tat, hard-headed, random acceptable, and a Boulware
// strategy with a frequency model of its opponents.
package simulate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"parley/analysis"
)

// Options set up one negotiation.
type Options struct {
	// Rounds is the deadline in rounds: in a round, every party at the
	// table has one turn.
	Rounds int
	// Deadline, when positive, also ends the negotiation after this much
	// wall time; normalised time is then the larger of the share of rounds
	// and the share of the deadline gone by. A deadline that binds makes
	// the results depend on the machine's speed.
	Deadline time.Duration
	// TurnTimeout, when positive, drops a party whose turn lasts longer
	// (it is noticed within half as long again): the negotiation goes on
	// without waiting for it, and its call is left to finish on its own.
	// Without it, a party that never returns holds up its negotiation.
	TurnTimeout time.Duration
	// Seed seeds every party's random source.
	Seed uint64
}

// How a negotiation ends.
const (
	EndAgreement = "agreement"
	EndDeadline  = "deadline"      // the rounds ran out
	EndTime      = "deadline_time" // the wall-time deadline passed
	EndLeft      = "left"          // a party left the table
	EndDropped   = "dropped"       // fewer than two parties remained
)

// Result is how a negotiation ended.
type Result struct {
	Agreement bool `json:"agreement"`
	// End is one of the End constants.
	End string `json:"end"`
	// Package is the agreement, nil without one.
	Package analysis.Package `json:"-"`
	// Round is the round in which the negotiation ended; Time is the
	// normalised time of the turn that ended it.
	Round int     `json:"round"`
	Time  float64 `json:"time"`
	// Utilities are each party's utility of the outcome, without discount:
	// of the package when agreed, its reservation value otherwise or when
	// it was dropped. Payoffs are the same with discount applied: to an
	// agreement at Time; to a reservation value at the time the party's
	// negotiation ended (the deadline counts as 1, a drop at its Drop.Time).
	Utilities []float64 `json:"utilities"`
	Payoffs   []float64 `json:"payoffs"`
	// Acceptable is false when the agreement crosses a red line or linkage
	// of some party: only a strategy that ignores its own red lines can
	// accept such a package.
	Acceptable bool `json:"acceptable"`
	// Offers counts the offers made.
	Offers int `json:"offers"`
	// Evaluations counts, per party, the packages it evaluated.
	Evaluations []int64 `json:"evaluations"`
	// Dropped lists the parties dropped, in order.
	Dropped []Drop `json:"dropped,omitempty"`
}

// Drop records a party dropped from a negotiation: in which round (0 for
// Begin) and at what normalised time, and why, in one line. The reason
// for a panic gives its value and where it happened, not a stack trace.
type Drop struct {
	Party  int     `json:"party"`
	Round  int     `json:"round"`
	Time   float64 `json:"time"`
	Reason string  `json:"reason"`
}

// Negotiate runs one negotiation on d between the given strategies, one per
// party in the order of d.Problem.Parties. Errors are for the set-up and for
// ctx; what a strategy does wrong is recorded in the result.
func Negotiate(ctx context.Context, d *Domain, strategies []Strategy, opt Options) (*Result, error) {
	n := d.Parties()
	if len(strategies) != n {
		return nil, fmt.Errorf("domain %s: %d strategies for %d parties", d.Name, len(strategies), n)
	}
	if opt.Rounds < 1 {
		return nil, fmt.Errorf("deadline of %d rounds: need at least one", opt.Rounds)
	}
	ng := newNegotiation(d, strategies, opt)
	ng.start = time.Now()
	if opt.TurnTimeout <= 0 {
		ng.loop(ctx)
	} else {
		ng.supervise(ctx)
	}
	if ng.err != nil {
		return nil, ng.err
	}
	return ng.finish(), nil
}

// negotiation is the state of one run of the protocol. It is driven by
// loop, one turn at a time, and all of it lives here rather than in local
// variables so that, when a party stalls, the supervisor can hand the
// negotiation over to a new goroutine.
type negotiation struct {
	d       *Domain
	opt     Options
	players []*player
	start   time.Time

	// The cursor: round 0 is for Begin; next is the party whose turn comes
	// next, pos the number of turns taken in the round and m the parties
	// at the table when it began.
	round, next, pos, m int
	current             int // the party being called

	res  *Result
	over bool
	err  error

	active   int
	standing analysis.Package // valid when offerer >= 0
	offerer  int
	offerAt  float64 // normalised time of the standing offer
	accepts  int     // acceptances of the standing offer so far
	offers   int
	dropped  []Drop

	// log is a ring of the last moves and drops, enough for every party to
	// see what the others did since its last turn: each other party adds
	// one entry at most in the meantime.
	log []logEntry
	seq int

	// With a turn timeout: calls counts the calls made; inCall holds the
	// number of the call under way, 0 between calls. Whoever swaps it to 0
	// first, the caller when the call returns or the supervisor when it
	// times out, owns the negotiation from then on.
	calls  uint64
	inCall atomic.Uint64
	done   chan struct{}
}

type logEntry struct {
	party int
	move  Move
	pkg   analysis.Package
}

// player is one party's seat at the table. Each has its own copies of what
// it is shown, so that a party that stalls past its timeout and runs on in
// the background never shares memory with the protocol.
type player struct {
	strat  Strategy
	self   *Self
	active bool
	turn   Turn
	offer  analysis.Package
	evbufs []analysis.Package
	seen   int   // log sequence number after its last turn
	evals  int64 // evaluations as of its last answer
}

func newNegotiation(d *Domain, strategies []Strategy, opt Options) *negotiation {
	n := d.Parties()
	issues := len(d.options)
	ng := &negotiation{d: d, opt: opt, offerer: -1, active: n, res: &Result{End: EndDeadline}}
	ng.standing = make(analysis.Package, issues)
	ng.log = make([]logEntry, n)
	for i := range ng.log {
		ng.log[i].pkg = make(analysis.Package, issues)
	}
	for k, s := range strategies {
		rng := rand.New(rand.NewPCG(opt.Seed, mix(uint64(k)+0x9e3779b97f4a7c15)))
		p := &player{strat: s, self: newSelf(d, k, opt.Rounds, rng), active: true}
		p.offer = make(analysis.Package, issues)
		p.evbufs = make([]analysis.Package, n-1)
		for i := range p.evbufs {
			p.evbufs[i] = make(analysis.Package, issues)
		}
		p.turn.Events = make([]Event, 0, n-1)
		ng.players = append(ng.players, p)
	}
	return ng
}

func safeBegin(s Strategy, self *Self) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
	}()
	return s.Begin(self)
}

func safeAct(s Strategy, t *Turn) (a Action, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
	}()
	return s.Act(t)
}

// panicError describes a recovered panic in one line: its value and the
// function, file and line where it happened. It must be called from the
// deferred function that recovered. A stack trace is left out on purpose:
// its goroutine numbers and addresses change from run to run, and the
// results must not.
func panicError(r any) error {
	value := clip(flatten(fmt.Sprint(r)), maxReason/2)
	var pcs [32]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs[:])])
	panicking := false
	for {
		f, more := frames.Next()
		if panicking && !strings.HasPrefix(f.Function, "runtime.") {
			fn := f.Function[strings.LastIndexByte(f.Function, '/')+1:]
			return fmt.Errorf("panic: %s, in %s at %s:%d", value, fn, filepath.Base(f.File), f.Line)
		}
		panicking = panicking || f.Function == "runtime.gopanic"
		if !more {
			return fmt.Errorf("panic: %s", value)
		}
	}
}

// maxReason is the longest reason for a drop that is kept, in bytes.
const maxReason = 400

// oneLine flattens a reason for a drop onto one line and cuts it to
// maxReason bytes, so that it fits a CSV cell or a line of the summary.
func oneLine(s string) string { return clip(flatten(s), maxReason) }

// flatten joins the non-blank lines of s with "; ".
func flatten(s string) string {
	var parts []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}

// clip cuts s to at most n bytes, ending with "…" when cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

var errStalled = errors.New("stalled")

// loop plays turns until the negotiation is over or, with a turn timeout,
// until the supervisor takes the negotiation away from it.
func (ng *negotiation) loop(ctx context.Context) {
	for !ng.over {
		k, ok := ng.advance(ctx)
		if !ok {
			break
		}
		p := ng.players[k]
		var a Action
		var err error
		timed := ng.opt.TurnTimeout > 0
		var id uint64
		if timed {
			ng.calls++
			id = ng.calls
			ng.current = k
			ng.inCall.Store(id)
		}
		if ng.round == 0 {
			err = safeBegin(p.strat, p.self)
		} else {
			a, err = safeAct(p.strat, &p.turn)
		}
		if timed && !ng.inCall.CompareAndSwap(id, 0) {
			return // the supervisor dropped the party and carries on
		}
		p.evals = p.self.evals
		ng.settle(k, a, err)
	}
	if ng.done != nil {
		ng.done <- struct{}{}
	}
}

// supervise runs loop on another goroutine and watches its calls: a party
// whose turn lasts longer than the turn timeout is dropped, and a new
// goroutine carries on without waiting for it.
func (ng *negotiation) supervise(ctx context.Context) {
	timeout := ng.opt.TurnTimeout
	ng.done = make(chan struct{}, 1)
	go ng.loop(ctx)
	tick := time.NewTicker(max(timeout/4, time.Millisecond))
	defer tick.Stop()
	var (
		watched uint64
		since   time.Time
	)
	for {
		select {
		case <-ng.done:
			return
		case now := <-tick.C:
			id := ng.inCall.Load()
			if id == 0 || id != watched {
				watched, since = id, now
				continue
			}
			if now.Sub(since) < timeout || !ng.inCall.CompareAndSwap(id, 0) {
				continue
			}
			// The call under way is abandoned: its party is dropped.
			watched = 0
			ng.settle(ng.current, Action{}, fmt.Errorf("%w: no answer within %v", errStalled, timeout))
			go ng.loop(ctx)
		}
	}
}

func (ng *negotiation) drop(k int, err error) {
	ng.players[k].active = false
	ng.active--
	ng.dropped = append(ng.dropped, Drop{Party: k, Round: ng.round, Time: ng.res.Time, Reason: oneLine(err.Error())})
	ng.record(k, Dropped, nil)
	if ng.offerer == k {
		ng.offerer = -1
		ng.accepts = 0
	}
}

func (ng *negotiation) end(how string) {
	ng.res.End = how
	ng.res.Agreement = how == EndAgreement
	ng.over = true
}

// clock returns the normalised time of turn k of m in round r, pushed on by
// the wall-time deadline; expired tells that the wall-time deadline passed.
func (ng *negotiation) clock(r, k, m int) (t float64, expired bool) {
	t = (float64(r-1) + float64(k)/float64(m)) / float64(ng.opt.Rounds)
	if ng.opt.Deadline > 0 {
		w := float64(time.Since(ng.start)) / float64(ng.opt.Deadline)
		if w >= 1 {
			return 1, true
		}
		if w > t {
			t = w
		}
	}
	return t, false
}

// advance moves the cursor to the next party to call and prepares what it
// is shown; it returns false when the negotiation is over.
func (ng *negotiation) advance(ctx context.Context) (int, bool) {
	n := len(ng.players)
	for {
		if ng.next >= n {
			if ng.round > 0 && ng.round == ng.opt.Rounds {
				ng.end(EndDeadline)
				return 0, false
			}
			if err := ctx.Err(); err != nil {
				ng.err = err
				ng.over = true
				return 0, false
			}
			if ng.round == 0 && ng.active < 2 {
				ng.end(EndDropped)
				return 0, false
			}
			ng.round++
			ng.next, ng.pos, ng.m = 0, 0, ng.active
		}
		k := ng.next
		ng.next++
		p := ng.players[k]
		if ng.round == 0 {
			return k, true
		}
		if !p.active {
			continue
		}
		t, expired := ng.clock(ng.round, ng.pos, ng.m)
		ng.pos++
		ng.res.Round, ng.res.Time = ng.round, t
		if expired {
			ng.end(EndTime)
			return 0, false
		}
		step := float64(ng.active-1) / float64(ng.active) / float64(ng.opt.Rounds)
		ng.prepareTurn(p, ng.round, t, step)
		return k, true
	}
}

// settle applies what party k did at its turn.
func (ng *negotiation) settle(k int, a Action, err error) {
	if ng.round == 0 {
		if err != nil {
			ng.drop(k, fmt.Errorf("begin: %w", err))
		}
		return
	}
	if err == nil {
		err = ng.check(a)
	}
	if err != nil {
		ng.drop(k, err)
		switch {
		case ng.active < 2:
			ng.end(EndDropped)
		case ng.offerer >= 0 && ng.accepts >= ng.active-1:
			ng.end(EndAgreement)
		}
		return
	}
	switch a.Move {
	case Leave:
		ng.record(k, Leave, nil)
		ng.end(EndLeft)
	case Accept:
		ng.record(k, Accept, nil)
		ng.accepts++
		if ng.accepts >= ng.active-1 {
			ng.end(EndAgreement)
		}
	case Offer:
		copy(ng.standing, a.Package)
		ng.offerer, ng.offerAt, ng.accepts = k, ng.res.Time, 0
		ng.offers++
		ng.record(k, Offer, a.Package)
	}
	ng.players[k].seen = ng.seq
}

// check tells why action a is not allowed now.
func (ng *negotiation) check(a Action) error {
	switch a.Move {
	case Offer:
		if err := ng.d.checkOffer(a.Package); err != nil {
			return fmt.Errorf("invalid offer: %w", err)
		}
	case Accept:
		if ng.offerer < 0 {
			return errors.New("accepted with no offer on the table")
		}
	case Leave:
	default:
		return fmt.Errorf("invalid move %v", a.Move)
	}
	return nil
}

func (ng *negotiation) record(k int, m Move, pkg analysis.Package) {
	e := &ng.log[ng.seq%len(ng.log)]
	e.party, e.move = k, m
	if pkg != nil {
		copy(e.pkg, pkg)
	}
	ng.seq++
}

// prepareTurn fills in what party p sees at its turn, in its own buffers.
func (ng *negotiation) prepareTurn(p *player, r int, t, step float64) {
	tn := &p.turn
	tn.Round, tn.Time = r, t
	tn.OfferTime = t + step
	tn.Offerer = ng.offerer
	tn.Offer = nil
	tn.AgreeTime = 0
	if ng.offerer >= 0 {
		copy(p.offer, ng.standing)
		tn.Offer = p.offer
		tn.AgreeTime = max(ng.offerAt+step, t)
	}
	tn.Events = tn.Events[:0]
	from := max(p.seen, ng.seq-len(ng.log))
	for s := from; s < ng.seq; s++ {
		e := &ng.log[s%len(ng.log)]
		if e.party == p.self.Party {
			continue
		}
		ev := Event{Party: e.party, Move: e.move}
		if e.move == Offer {
			buf := p.evbufs[len(tn.Events)]
			copy(buf, e.pkg)
			ev.Package = buf
		}
		tn.Events = append(tn.Events, ev)
	}
}

func (ng *negotiation) finish() *Result {
	res := ng.res
	d := ng.d
	n := len(ng.players)
	res.Offers = ng.offers
	res.Dropped = ng.dropped
	res.Utilities = make([]float64, n)
	res.Payoffs = make([]float64, n)
	res.Evaluations = make([]int64, n)
	res.Acceptable = true
	var u []float64
	if res.Agreement {
		res.Package = append(analysis.Package(nil), ng.standing...)
		u = d.Problem.Utilities(res.Package)
		res.Acceptable = d.Problem.Acceptable(res.Package)
	}
	// Without agreement, as in GENIUS, the reservation value is discounted
	// too: to the time the negotiation ended for the party, which is the
	// deadline (t = 1) when time ran out.
	end := res.Time
	if res.End == EndDeadline || res.End == EndTime {
		end = 1
	}
	left := make([]float64, n)
	for k := range left {
		left[k] = end
	}
	for _, dr := range ng.dropped {
		left[dr.Party] = dr.Time
	}
	for k, p := range ng.players {
		res.Evaluations[k] = p.evals
		res.Utilities[k] = d.Problem.Reservation[k]
		res.Payoffs[k] = discounted(d.Problem.Reservation[k], d.Discount[k], left[k])
		if res.Agreement && p.active {
			res.Utilities[k] = u[k]
			res.Payoffs[k] = discounted(u[k], d.Discount[k], res.Time)
		}
	}
	return res
}

// mix is the finaliser of SplitMix64: it spreads the bits of x.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
