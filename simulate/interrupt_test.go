package simulate

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// TestTournamentInterrupted checks that an interrupted tournament returns
// the negotiations finished by then, in order, each the same as in an
// uninterrupted run.
func TestTournamentInterrupted(t *testing.T) {
	p := genProblem(rand.New(rand.NewPCG(3, 3)), 2, []int{4, 4, 4})
	d := mustDomain(t, p, nil)
	var entries []Entry
	for _, n := range []string{"boulware", "conceder", "random"} {
		f, _ := Lookup(n)
		entries = append(entries, Entry{Name: n, New: f})
	}
	full, err := (&Tournament{Domains: []*Domain{d}, Strategies: entries, Reps: 20, Rounds: 200, Seed: 4, Workers: 2}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen atomic.Int64
	tr := &Tournament{Domains: []*Domain{d}, Strategies: entries, Reps: 20, Rounds: 200, Seed: 4, Workers: 2,
		Progress: func(done, total int) {
			if seen.Add(1) == 40 {
				cancel()
			}
		}}
	rep, err := tr.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if rep == nil || !rep.Interrupted() || rep.Planned != len(full.Records) {
		t.Fatalf("report %v: want an interrupted report of %d planned", rep, len(full.Records))
	}
	if n := len(rep.Records); n < 40 || n >= rep.Planned {
		t.Fatalf("%d records, want at least 40 and fewer than %d", n, rep.Planned)
	}
	j := 0
	for _, rec := range rep.Records {
		for j < len(full.Records) && (full.Records[j].Pairing != rec.Pairing || full.Records[j].Rep != rec.Rep) {
			j++
		}
		if j == len(full.Records) {
			t.Fatalf("record pairing %d rep %d out of order or unknown", rec.Pairing, rec.Rep)
		}
		if full.Records[j].Seed != rec.Seed || full.Records[j].Round != rec.Round || full.Records[j].Agreement != rec.Agreement {
			t.Errorf("pairing %d rep %d differs from the uninterrupted run", rec.Pairing, rec.Rep)
		}
	}
}
