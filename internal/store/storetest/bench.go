package storetest

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"parley/internal/store"
)

// BenchmarkUpdates measures concurrent position updates of one
// negotiation, as the load test makes them over HTTP: three parties, two
// writers each (on GOMAXPROCS 2; more with more), no expected revision.
func BenchmarkUpdates(b *testing.B, s store.Store) {
	ctx := context.Background()
	acct := &store.Account{ID: unique("acc"), Name: unique("name"), PasswordHash: "hash"}
	if err := s.CreateAccount(ctx, acct); err != nil {
		b.Fatal(err)
	}
	n := &store.Negotiation{ID: unique("neg"), Title: "Talks"}
	parties := []string{"ua", "ru", "e3"}
	var recs []store.Record
	for _, p := range parties {
		recs = append(recs, store.Record{Kind: "position", ID: p, Owner: p, Doc: json.RawMessage(`{"n":0}`), By: acct.ID})
	}
	if err := s.CreateNegotiation(ctx, n, recs, []store.Member{{Account: acct.ID, Role: "mediator"}}, store.Act{Actor: acct.ID}); err != nil {
		b.Fatal(err)
	}
	doc := json.RawMessage(`{"positions":[{"party":"ua","points":[{"point":"territory","weight":5}]}]}`)
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(3)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		p := parties[next.Add(1)%3]
		for pb.Next() {
			if _, err := s.UpdateRecord(ctx, n.ID, "position", p, 0, doc, acct.ID, store.Act{Actor: acct.ID, Action: "position.put"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
