package simulate

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"parley/analysis"
)

// scripted plays a fixed list of moves, the last one over and over, and
// records what it saw.
type scripted struct {
	moves []Action
	turns int
	seen  [][]Event
	times []float64
}

func (s *scripted) Begin(*Self) error { return nil }

func (s *scripted) Act(t *Turn) (Action, error) {
	var evs []Event
	for _, e := range t.Events {
		e.Package = append(analysis.Package(nil), e.Package...)
		if len(e.Package) == 0 {
			e.Package = nil
		}
		evs = append(evs, e)
	}
	s.seen = append(s.seen, evs)
	s.times = append(s.times, t.Time)
	a := s.moves[min(s.turns, len(s.moves)-1)]
	s.turns++
	return a, nil
}

func offer(pkg ...int) Action { return Action{Move: Offer, Package: pkg} }

var (
	accept = Action{Move: Accept}
	leave  = Action{Move: Leave}
)

func TestProtocolScripts(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(9, 9)), 3, []int{3, 3})
	p.Reservation = []float64{0.3, 0.2, 0.1}
	tests := []struct {
		name    string
		scripts [][]Action
		rounds  int
		want    Result // Agreement, End, Package, Round, Time, Offers
	}{
		{
			name:    "all accept in the first round",
			scripts: [][]Action{{offer(1, 2)}, {accept}, {accept}},
			rounds:  10,
			want:    Result{Agreement: true, End: EndAgreement, Package: analysis.Package{1, 2}, Round: 1, Time: 2.0 / 3 / 10, Offers: 1},
		},
		{
			name:    "a counter-offer replaces the standing offer",
			scripts: [][]Action{{offer(1, 2), accept}, {accept}, {offer(0, 0)}},
			rounds:  10,
			want:    Result{Agreement: true, End: EndAgreement, Package: analysis.Package{0, 0}, Round: 2, Time: (1 + 1.0/3) / 10, Offers: 2},
		},
		{
			name:    "the proposer need not accept its own offer",
			scripts: [][]Action{{offer(2, 2), offer(1, 1)}, {offer(0, 1), accept}, {accept}},
			rounds:  10,
			want:    Result{Agreement: true, End: EndAgreement, Package: analysis.Package{1, 1}, Round: 2, Time: (1 + 2.0/3) / 10, Offers: 3},
		},
		{
			name:    "one refusal is enough",
			scripts: [][]Action{{offer(1, 2)}, {accept}, {offer(2, 1)}},
			rounds:  4,
			want:    Result{End: EndDeadline, Round: 4, Time: (3 + 2.0/3) / 4, Offers: 8},
		},
		{
			name:    "leaving ends the negotiation",
			scripts: [][]Action{{offer(1, 2)}, {leave}, {accept}},
			rounds:  4,
			want:    Result{End: EndLeft, Round: 1, Time: 1.0 / 3 / 4, Offers: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustDomain(t, p, []float64{0.5, 0, 1})
			var ss []Strategy
			for _, sc := range tt.scripts {
				ss = append(ss, &scripted{moves: sc})
			}
			got := mustNegotiate(t, d, ss, Options{Rounds: tt.rounds})
			opts := cmp.Options{
				cmpopts.IgnoreFields(Result{}, "Utilities", "Payoffs", "Acceptable", "Evaluations", "Dropped"),
				cmpopts.EquateApprox(0, 1e-12),
			}
			if diff := cmp.Diff(tt.want, *got, opts); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			// Party 0 alone has a discount factor (0 and 1 mean none).
			// Without agreement, its reservation value is discounted as
			// in GENIUS: at the deadline (t = 1), or when it was left.
			for k := range p.Parties {
				wantU, wantP := p.Reservation[k], p.Reservation[k]
				if tt.want.Agreement {
					wantU = p.Utilities(tt.want.Package)[k]
					wantP = wantU
				}
				if k == 0 {
					end := got.Time
					if got.End == EndDeadline {
						end = 1
					}
					wantP *= math.Pow(0.5, end)
				}
				if math.Abs(got.Utilities[k]-wantU) > 1e-12 || math.Abs(got.Payoffs[k]-wantP) > 1e-12 {
					t.Errorf("party %d: utility %v payoff %v, want %v %v", k, got.Utilities[k], got.Payoffs[k], wantU, wantP)
				}
			}
		})
	}
}

func TestProtocolEvents(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(9, 9)), 3, []int{3, 3})
	d := mustDomain(t, p, nil)
	a := &scripted{moves: []Action{offer(1, 2), accept}}
	b := &scripted{moves: []Action{accept, accept}}
	c := &scripted{moves: []Action{offer(0, 1), offer(2, 2)}}
	// Round 1: a offers, b accepts, c counters; round 2: a and b accept.
	mustNegotiate(t, d, []Strategy{a, b, c}, Options{Rounds: 2})
	want := [][][]Event{
		{nil, {{Party: 1, Move: Accept}, {Party: 2, Move: Offer, Package: analysis.Package{0, 1}}}},
		{{{Party: 0, Move: Offer, Package: analysis.Package{1, 2}}}, {{Party: 2, Move: Offer, Package: analysis.Package{0, 1}}, {Party: 0, Move: Accept}}},
		{{{Party: 0, Move: Offer, Package: analysis.Package{1, 2}}, {Party: 1, Move: Accept}}},
	}
	for k, s := range []*scripted{a, b, c} {
		if diff := cmp.Diff(want[k], s.seen); diff != "" {
			t.Errorf("party %d saw (-want +got):\n%s", k, diff)
		}
	}
	if diff := cmp.Diff([]float64{0, 1.0 / 3 / 2, 2.0 / 3 / 2}, []float64{a.times[0], b.times[0], c.times[0]}, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("first-round times (-want +got):\n%s", diff)
	}
}

// faulty misbehaves in one of several ways at its given turn.
type faulty struct {
	how  string
	turn int
	n    int
}

func (f *faulty) Begin(*Self) error {
	if f.how == "begin" {
		return errors.New("cannot start")
	}
	return nil
}

func (f *faulty) Act(t *Turn) (Action, error) {
	f.n++
	if f.n < f.turn {
		return offer(0, 0), nil
	}
	switch f.how {
	case "error":
		return Action{}, errors.New("out of ideas")
	case "panic":
		panic("strategy bug")
	case "panic-lines":
		panic("first line\n\tsecond line\n")
	case "panic-index":
		var xs []int
		return offer(xs[f.n], 0), nil
	case "error-lines":
		return Action{}, errors.Join(errors.New("out of ideas"), errors.New("and out of time"))
	case "range":
		return offer(0, 7), nil
	case "short":
		return offer(0), nil
	case "infeasible":
		return offer(1, 0), nil
	case "move":
		return Action{Move: 42}, nil
	case "accept":
		return accept, nil
	case "stall":
		time.Sleep(300 * time.Millisecond)
	}
	return offer(0, 0), nil
}

func TestDrops(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(9, 9)), 2, []int{3, 3})
	p.Constraints = []analysis.Constraint{{Kind: analysis.LinkageConstraint, Party: "all"}}
	p.Issues[0].Options[1].Blockers = []int{0}
	tests := []struct {
		how, reason string
		timeout     time.Duration
		round       int
	}{
		{"begin", "begin: cannot start", 0, 0},
		{"error", "out of ideas", 0, 1},
		{"panic", "panic: strategy bug", 0, 1},
		{"range", "invalid offer: offer picks option 7 of issue 1, which has 3", 0, 1},
		{"short", "invalid offer: offer has 1 choices for 2 issues", 0, 1},
		{"infeasible", "invalid offer: offer picks option 1 of issue 0, which a linkage held by all rules out", 0, 1},
		{"move", "invalid move move(42)", 0, 1},
		{"accept", "accepted with no offer on the table", 0, 1},
		{"stall", "stalled: no answer within 20ms", 20 * time.Millisecond, 1},
		{"panic", "panic: strategy bug", time.Second, 1},
		{"error-lines", "out of ideas; and out of time", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.how, func(t *testing.T) {
			d := mustDomain(t, p, nil)
			ss := []Strategy{&faulty{how: tt.how, turn: 1}, NewHardHeaded()}
			got := mustNegotiate(t, d, ss, Options{Rounds: 5, TurnTimeout: tt.timeout})
			if got.End != EndDropped || got.Agreement {
				t.Errorf("end %q, agreement %v; want %q", got.End, got.Agreement, EndDropped)
			}
			if len(got.Dropped) != 1 {
				t.Fatalf("dropped %+v, want party 0 once", got.Dropped)
			}
			dr := got.Dropped[0]
			if dr.Party != 0 || dr.Round != tt.round || !strings.HasPrefix(dr.Reason, tt.reason) {
				t.Errorf("dropped %+v, want party 0 in round %d for %q", dr, tt.round, tt.reason)
			}
		})
	}
}

// TestDropReasons checks that a dropped party's reason is one line, even
// for a panic (which names where it happened instead of carrying a stack
// trace, whose goroutine numbers and addresses change from run to run) or
// an error of several lines.
func TestDropReasons(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(9, 9)), 2, []int{3, 3})
	tests := []struct {
		how  string
		want string // a regular expression for the whole reason
	}{
		{"panic", `^panic: strategy bug, in simulate\.\(\*faulty\)\.Act at protocol_test\.go:\d+$`},
		{"panic-lines", `^panic: first line; second line, in simulate\.\(\*faulty\)\.Act at protocol_test\.go:\d+$`},
		{"panic-index", `^panic: runtime error: index out of range \[1\] with length 0, in simulate\.\(\*faulty\)\.Act at protocol_test\.go:\d+$`},
		{"error-lines", `^out of ideas; and out of time$`},
	}
	for _, tt := range tests {
		for _, timeout := range []time.Duration{0, time.Minute} {
			d := mustDomain(t, p, nil)
			ss := []Strategy{&faulty{how: tt.how, turn: 1}, NewHardHeaded()}
			got := mustNegotiate(t, d, ss, Options{Rounds: 5, TurnTimeout: timeout})
			if len(got.Dropped) != 1 {
				t.Fatalf("%s: dropped %+v, want party 0 once", tt.how, got.Dropped)
			}
			if r := got.Dropped[0].Reason; !regexp.MustCompile(tt.want).MatchString(r) {
				t.Errorf("%s, timeout %v: reason %q, want it to match %s", tt.how, timeout, r, tt.want)
			}
		}
	}
	if got, want := oneLine(strings.Repeat("é", 1000)), strings.Repeat("é", (maxReason-len("…"))/2)+"…"; got != want {
		t.Errorf("a long reason is cut to %d bytes (%q), want %d", len(got), got, len(want))
	}
}

// TestDropGoesOn checks that a negotiation of three goes on when one party
// is dropped, and that the two left can agree without it.
func TestDropGoesOn(t *testing.T) {
	p := opposedProblem(2, 5)
	addParty(p, "c", 0.1)
	p.Reservation[1] = 0.05
	d := mustDomain(t, p, []float64{0, 0.5})
	ss := []Strategy{NewTimeBased(2), &faulty{how: "error", turn: 5}, NewTimeBased(2)}
	got := mustNegotiate(t, d, ss, Options{Rounds: 100})
	if !got.Agreement || len(got.Dropped) != 1 || got.Dropped[0].Party != 1 || got.Dropped[0].Round != 5 {
		t.Fatalf("agreement %v, dropped %+v: want an agreement after party 1 is dropped in round 5", got.Agreement, got.Dropped)
	}
	// Party 1 was dropped at its turn in round 5, the second of three.
	if want := (4 + 1.0/3) / 100; math.Abs(got.Dropped[0].Time-want) > 1e-12 {
		t.Errorf("dropped at time %v, want %v", got.Dropped[0].Time, want)
	}
	// It gets its reservation value, discounted to when it was dropped.
	wantP := 0.05 * math.Pow(0.5, got.Dropped[0].Time)
	if got.Utilities[1] != 0.05 || math.Abs(got.Payoffs[1]-wantP) > 1e-15 {
		t.Errorf("dropped party's utility %v, payoff %v, want %v and %v", got.Utilities[1], got.Payoffs[1], 0.05, wantP)
	}
}

// TestDropSeen checks that the parties left at the table are told who was
// dropped, so that a strategy that watches every other party, such as
// tit-for-tat, does not wait on one that is gone.
func TestDropSeen(t *testing.T) {
	p := opposedProblem(4, 5)
	p.Parties = append(p.Parties, "c")
	p.Reservation = []float64{0, 0.2, 0}
	for i := range p.Issues {
		for o := range p.Issues[i].Options {
			u := p.Issues[i].Options[o].Utility
			p.Issues[i].Options[o].Utility = []float64{u[0], 0.25, u[1]}
		}
	}
	d := mustDomain(t, p, nil)
	for _, tt := range []struct {
		how  string
		turn int
	}{{"begin", 1}, {"error", 1}, {"error", 3}} {
		watcher := &scripted{moves: []Action{offer(4, 4, 4, 4)}}
		ss := []Strategy{NewTitForTat(), &faulty{how: tt.how, turn: tt.turn}, NewTimeBased(2)}
		got := mustNegotiate(t, d, ss, Options{Rounds: 100})
		if !got.Agreement {
			t.Errorf("party 1 dropped (%s, turn %d): tit-for-tat and conceder did not agree (end %q)", tt.how, tt.turn, got.End)
		}
		ss = []Strategy{&faulty{how: tt.how, turn: tt.turn}, NewHardHeaded(), watcher}
		mustNegotiate(t, d, ss, Options{Rounds: 3})
		var drops []Event
		for _, evs := range watcher.seen {
			for _, e := range evs {
				if e.Move == Dropped {
					drops = append(drops, e)
				}
			}
		}
		if diff := cmp.Diff([]Event{{Party: 0, Move: Dropped}}, drops); diff != "" {
			t.Errorf("party 0 dropped (%s, turn %d): drops seen (-want +got):\n%s", tt.how, tt.turn, diff)
		}
	}
}

func TestDeadlines(t *testing.T) {
	d := mustDomain(t, opposedProblem(4, 5), nil)
	for _, rounds := range []int{1, 2, 17, 1000} {
		got := mustNegotiate(t, d, mustStrategies(t, "hardheaded", "hardheaded"), Options{Rounds: rounds})
		if got.Agreement || got.End != EndDeadline || got.Round != rounds || got.Offers != 2*rounds {
			t.Errorf("%d rounds: agreement %v end %q round %d offers %d", rounds, got.Agreement, got.End, got.Round, got.Offers)
		}
	}
	// A wall-time deadline ends a negotiation of a million rounds.
	start := time.Now()
	got := mustNegotiate(t, d, []Strategy{&slow{NewHardHeaded()}, NewHardHeaded()}, Options{Rounds: 1e6, Deadline: 50 * time.Millisecond})
	if got.End != EndTime || got.Time != 1 || time.Since(start) > 2*time.Second {
		t.Errorf("wall-time deadline: end %q time %v after %v", got.End, got.Time, time.Since(start))
	}
}

type slow struct{ Strategy }

func (s *slow) Act(t *Turn) (Action, error) {
	time.Sleep(time.Millisecond)
	return s.Strategy.Act(t)
}

func TestNegotiateErrors(t *testing.T) {
	d := mustDomain(t, opposedProblem(2, 2), nil)
	if _, err := Negotiate(context.Background(), d, mustStrategies(t, "linear"), Options{Rounds: 5}); err == nil {
		t.Error("one strategy for two parties: no error")
	}
	if _, err := Negotiate(context.Background(), d, mustStrategies(t, "linear", "linear"), Options{}); err == nil {
		t.Error("zero rounds: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Negotiate(ctx, d, mustStrategies(t, "linear", "linear"), Options{Rounds: 5}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: error %v", err)
	}
}

var builtins = []string{"boulware", "linear", "conceder", "tft", "hardheaded", "random", "frequency", "time:0.5"}

// TestRationality checks on random problems, with red lines, reservation
// values and discounts, that built-in strategies never end up below their
// reservation value (discounted alike), never agree to a package that
// crosses a red line, never err, and respect the deadline.
func TestRationality(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawProblem(t)
		disc := make([]float64, len(p.Parties))
		for k := range disc {
			if rapid.Bool().Draw(t, "discounted") {
				disc[k] = rapid.Float64Range(0.3, 1).Draw(t, "discount")
			}
		}
		d := mustDomain(t, p, disc)
		var names []string
		for range p.Parties {
			names = append(names, rapid.SampledFrom(builtins).Draw(t, "strategy"))
		}
		rounds := rapid.IntRange(1, 60).Draw(t, "rounds")
		r := mustNegotiate(t, d, mustStrategies(t, names...), Options{Rounds: rounds, Seed: rapid.Uint64().Draw(t, "seed")})
		if len(r.Dropped) > 0 {
			t.Fatalf("built-in strategy dropped: %+v", r.Dropped)
		}
		if r.Round > rounds || r.Time >= 1 {
			t.Fatalf("ended in round %d at time %v, deadline %d rounds", r.Round, r.Time, rounds)
		}
		// The reservation value is discounted like an agreement: at the
		// time the negotiation ended, 1 when the deadline passed.
		end := r.Time
		if r.End == EndDeadline {
			end = 1
		}
		if !r.Agreement {
			for k := range p.Parties {
				if want := p.Reservation[k] * math.Pow(discountOf(disc[k]), end); math.Abs(r.Payoffs[k]-want) > 1e-15 {
					t.Fatalf("no agreement (%s), party %d gets %v, want its discounted reservation %v", r.End, k, r.Payoffs[k], want)
				}
			}
			return
		}
		if !r.Acceptable || !p.Acceptable(r.Package) {
			t.Fatalf("agreement %v crosses a red line", r.Package)
		}
		for k := range p.Parties {
			if floor := p.Reservation[k] * math.Pow(discountOf(disc[k]), r.Time); r.Payoffs[k] < floor-1e-9 {
				t.Fatalf("%s (%s) agreed to payoff %v below its discounted reservation %v", p.Parties[k], names[k], r.Payoffs[k], floor)
			}
		}
	})
}

// discountOf is the factor by which a discount factor d scales a utility
// per unit of normalised time: d itself, or 1 when d means no discount.
func discountOf(d float64) float64 {
	if d <= 0 || d >= 1 {
		return 1
	}
	return d
}

func TestDeterminism(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(5, 5)), 3, []int{4, 4, 3, 5})
	d := mustDomain(t, p, []float64{0.9, 0, 0.8})
	for _, names := range [][]string{
		{"random", "boulware", "frequency"},
		{"tft", "conceder", "random"},
		{"frequency", "frequency", "linear"},
	} {
		for _, timeout := range []time.Duration{0, time.Minute} {
			opt := Options{Rounds: 200, Seed: 42, TurnTimeout: timeout}
			a := mustNegotiate(t, d, mustStrategies(t, names...), opt)
			b := mustNegotiate(t, d, mustStrategies(t, names...), Options{Rounds: 200, Seed: 42})
			if diff := cmp.Diff(a, b); diff != "" {
				t.Errorf("%v, timeout %v: two runs with one seed differ (-first +second):\n%s", names, timeout, diff)
			}
		}
	}
	// The seed matters to random strategies.
	first := mustNegotiate(t, d, mustStrategies(t, "random", "random", "random"), Options{Rounds: 200, Seed: 1})
	differ := false
	for seed := uint64(2); seed < 10 && !differ; seed++ {
		r := mustNegotiate(t, d, mustStrategies(t, "random", "random", "random"), Options{Rounds: 200, Seed: seed})
		differ = !cmp.Equal(first, r)
	}
	if !differ {
		t.Error("random strategies play the same under nine seeds")
	}
}
