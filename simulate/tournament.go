package simulate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Entry is a strategy taking part in a tournament.
type Entry struct {
	Name string
	New  Factory
}

// Tournament is a round robin of strategies over domains: on each domain,
// every assignment of the strategies to the parties (each strategy in each
// role, itself included as opponent) is negotiated Reps times.
//
// Results depend only on the seed, not on the number of workers nor on
// scheduling: each negotiation's seed is derived from the tournament's
// seed, the domain's index, the pairing's index and the repetition.
type Tournament struct {
	Domains    []*Domain
	Strategies []Entry
	// Reps is the number of repetitions of each pairing (at least 1).
	Reps int
	// Rounds, Deadline and TurnTimeout apply to every negotiation, as in
	// Options.
	Rounds      int
	Deadline    time.Duration
	TurnTimeout time.Duration
	Seed        uint64
	// Workers is the number of negotiations run at once; GOMAXPROCS when
	// zero.
	Workers int
	// Progress, when set, is called after each negotiation with the
	// number done and the total, from the workers' goroutines.
	Progress func(done, total int)
}

// Record is one negotiation of a tournament.
type Record struct {
	Domain  int // index in Tournament.Domains
	Pairing int // index of the assignment of strategies to parties
	Rep     int
	Seed    uint64
	// Strategies names each party's strategy, in party order.
	Strategies []string
	Result
	Metrics
}

// Report is the outcome of a tournament.
type Report struct {
	Rounds, Reps int
	Seed         uint64
	Domains      []*Domain
	Strategies   []string
	Records      []Record
	// ByStrategy and ByDomain aggregate the records, in the order of the
	// strategies and domains.
	ByStrategy []Aggregate
	ByDomain   []Aggregate
	// Planned is the number of negotiations the tournament was to play.
	// When the run was interrupted, Records holds fewer: those finished.
	Planned int
}

// Interrupted reports whether the run stopped before every planned
// negotiation was played.
func (r *Report) Interrupted() bool { return len(r.Records) < r.Planned }

// Aggregate summarises the negotiations of one strategy or one domain.
// For a strategy, each party it played counts once: a negotiation in which
// it played two parties counts twice, and Utility and Payoff are its own.
// For a domain, each negotiation counts once, and Utility and Payoff are
// averaged over the parties.
type Aggregate struct {
	Name           string
	Negotiations   int
	Agreement      Stat // 1 for an agreement, 0 otherwise
	Round          Stat
	Utility        Stat
	Payoff         Stat
	Welfare        Stat
	ParetoDistance Stat
	NashDistance   Stat
	Dropped        int // parties dropped
}

// Pairings returns the number of assignments of the strategies to the
// parties of domain d.
func (t *Tournament) Pairings(d *Domain) int {
	n := 1
	for range d.Parties() {
		n *= len(t.Strategies)
	}
	return n
}

// MaxNegotiations bounds the negotiations of one tournament: every one is
// kept for the report.
const MaxNegotiations = 1_000_000

// Negotiations is the number of negotiations the tournament plays, as a
// float64 so that it cannot overflow.
func (t *Tournament) Negotiations() float64 {
	n := 0.0
	for _, d := range t.Domains {
		n += math.Pow(float64(len(t.Strategies)), float64(d.Parties())) * float64(t.Reps)
	}
	return n
}

// pairing decodes index p into a strategy per party, the first party's
// strategy varying slowest.
func (t *Tournament) pairing(d *Domain, p int, dst []int) []int {
	dst = dst[:0]
	s := len(t.Strategies)
	div := t.Pairings(d) / s
	for range d.Parties() {
		dst = append(dst, p/div%s)
		if div > 1 {
			div /= s
		}
	}
	return dst
}

// NegotiationSeed derives the seed of one negotiation.
func NegotiationSeed(seed uint64, domain, pairing, rep int) uint64 {
	h := mix(seed + 0x632be59bd9b4e019)
	h = mix(h ^ uint64(domain))
	h = mix(h ^ uint64(pairing))
	return mix(h ^ uint64(rep))
}

type job struct{ domain, pairing, rep int }

// Run plays the tournament. When ctx is cancelled, Run returns the report
// of the negotiations finished by then, in their order, with ctx's error;
// the report's Planned says how many there were to be.
func (t *Tournament) Run(ctx context.Context) (*Report, error) {
	if len(t.Strategies) == 0 {
		return nil, fmt.Errorf("tournament: no strategies")
	}
	if len(t.Domains) == 0 {
		return nil, fmt.Errorf("tournament: no domains")
	}
	if t.Reps < 1 {
		return nil, fmt.Errorf("tournament: %d repetitions: need at least one", t.Reps)
	}
	if t.Rounds < 1 {
		return nil, fmt.Errorf("tournament: deadline of %d rounds: need at least one", t.Rounds)
	}
	seen := make(map[string]bool)
	for _, s := range t.Strategies {
		if seen[s.Name] {
			return nil, fmt.Errorf("tournament: strategy %q listed twice", s.Name)
		}
		seen[s.Name] = true
	}
	total := t.Negotiations()
	if total > MaxNegotiations {
		return nil, fmt.Errorf("tournament: %.0f negotiations, more than %d", total, MaxNegotiations)
	}
	// Jobs are numbered domain by domain, then pairing, then repetition,
	// and decoded from their number when taken: no list of them is built.
	starts := make([]int, len(t.Domains)+1)
	for d, dom := range t.Domains {
		starts[d+1] = starts[d] + t.Pairings(dom)*t.Reps
	}
	njobs := starts[len(t.Domains)]
	jobAt := func(i int) job {
		d := sort.SearchInts(starts, i+1) - 1
		k := i - starts[d]
		return job{d, k / t.Reps, k % t.Reps}
	}
	workers := t.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, njobs)
	recs := make([]Record, njobs)
	finished := make([]bool, njobs)
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next, done atomic.Int64
		wg         sync.WaitGroup
		errOnce    sync.Once
		firstErr   error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A panic outside the strategies (which Negotiate contains) is
			// a bug of parley's: it ends the tournament with an error, not
			// the whole process with the runtime's exit status.
			defer func() {
				if r := recover(); r != nil {
					err := fmt.Errorf("internal failure in a negotiation (a bug): panic: %v\n%s", r, debug.Stack())
					errOnce.Do(func() { firstErr = err; cancel() })
				}
			}()
			var assign []int
			strats := make([]Strategy, 0, 8)
			for {
				i := int(next.Add(1) - 1)
				if i >= njobs || ctx.Err() != nil {
					return
				}
				j := jobAt(i)
				dom := t.Domains[j.domain]
				assign = t.pairing(dom, j.pairing, assign)
				strats = strats[:0]
				names := make([]string, len(assign))
				for k, s := range assign {
					strats = append(strats, t.Strategies[s].New())
					names[k] = t.Strategies[s].Name
				}
				seed := NegotiationSeed(t.Seed, j.domain, j.pairing, j.rep)
				res, err := Negotiate(ctx, dom, strats, Options{
					Rounds: t.Rounds, Deadline: t.Deadline, TurnTimeout: t.TurnTimeout, Seed: seed,
				})
				if err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
				finished[i] = true
				recs[i] = Record{
					Domain: j.domain, Pairing: j.pairing, Rep: j.rep, Seed: seed,
					Strategies: names, Result: *res, Metrics: dom.Measure(res),
				}
				n := done.Add(1)
				if t.Progress != nil {
					t.Progress(int(n), njobs)
				}
			}
		}()
	}
	wg.Wait()
	interrupted := parent.Err()
	if firstErr != nil && interrupted == nil {
		return nil, firstErr
	}
	if interrupted != nil {
		kept := recs[:0]
		for i := range recs {
			if finished[i] {
				kept = append(kept, recs[i])
			}
		}
		recs = kept
	}
	rep := &Report{Domains: t.Domains, Records: recs, Rounds: t.Rounds, Reps: t.Reps, Seed: t.Seed, Planned: njobs}
	for _, s := range t.Strategies {
		rep.Strategies = append(rep.Strategies, s.Name)
	}
	rep.aggregate()
	return rep, interrupted
}

// aggregate fills in ByStrategy and ByDomain from the records, in record
// order, so that the sums are the same whatever the scheduling.
func (r *Report) aggregate() {
	type sample struct {
		n                                              int
		agree, round, util, pay, welfare, pareto, nash []float64
		dropped                                        int
	}
	add := func(s *sample, rec *Record, util, pay float64) {
		s.n++
		a := 0.0
		if rec.Agreement {
			a = 1
		}
		s.agree = append(s.agree, a)
		s.round = append(s.round, float64(rec.Round))
		s.util = append(s.util, util)
		s.pay = append(s.pay, pay)
		s.welfare = append(s.welfare, rec.Welfare)
		s.pareto = append(s.pareto, rec.ParetoDistance)
		s.nash = append(s.nash, rec.NashDistance)
	}
	index := make(map[string]int)
	for i, n := range r.Strategies {
		index[n] = i
	}
	bys := make([]sample, len(r.Strategies))
	byd := make([]sample, len(r.Domains))
	for i := range r.Records {
		rec := &r.Records[i]
		dropped := make(map[int]bool)
		for _, d := range rec.Dropped {
			dropped[d.Party] = true
		}
		for k, name := range rec.Strategies {
			s := &bys[index[name]]
			add(s, rec, rec.Utilities[k], rec.Payoffs[k])
			if dropped[k] {
				s.dropped++
			}
		}
		add(&byd[rec.Domain], rec, mean(rec.Utilities), mean(rec.Payoffs))
		byd[rec.Domain].dropped += len(rec.Dropped)
	}
	agg := func(name string, s *sample) Aggregate {
		return Aggregate{
			Name: name, Negotiations: s.n, Dropped: s.dropped,
			Agreement: Summarise(s.agree), Round: Summarise(s.round),
			Utility: Summarise(s.util), Payoff: Summarise(s.pay),
			Welfare: Summarise(s.welfare), ParetoDistance: Summarise(s.pareto),
			NashDistance: Summarise(s.nash),
		}
	}
	r.ByStrategy = nil
	for i, n := range r.Strategies {
		r.ByStrategy = append(r.ByStrategy, agg(n, &bys[i]))
	}
	r.ByDomain = nil
	for i, d := range r.Domains {
		r.ByDomain = append(r.ByDomain, agg(d.Name, &byd[i]))
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
