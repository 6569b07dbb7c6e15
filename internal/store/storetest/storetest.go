// Package storetest is the one suite every store.Store implementation
// passes. Each test makes its own ids, so the suite can run again and
// again against one database.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parley/internal/apperr"
	"parley/internal/store"
)

// Run runs the suite against the store that open returns.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		f    func(t *testing.T, s store.Store)
	}{
		{"Accounts", testAccounts},
		{"Tokens", testTokens},
		{"Negotiations", testNegotiations},
		{"Records", testRecords},
		{"Members", testMembers},
		{"Audit", testAudit},
		{"ConcurrentWriters", testConcurrentWriters},
		{"MixedWriters", testMixedWriters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			tt.f(t, s)
		})
	}
}

func unique(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

func wantKind(t *testing.T, what string, err error, k apperr.Kind) {
	t.Helper()
	if got := apperr.KindOf(err); err == nil || got != k {
		t.Errorf("%s: expected a %v error, got %v", what, k, err)
	}
}

func newAccount(t *testing.T, s store.Store) *store.Account {
	t.Helper()
	a := &store.Account{ID: unique("acc"), Name: unique("name"), PasswordHash: "hash"}
	if err := s.CreateAccount(context.Background(), a); err != nil {
		t.Fatalf("create account: %v", err)
	}
	return a
}

func newNegotiation(t *testing.T, s store.Store, owner *store.Account) string {
	t.Helper()
	n := &store.Negotiation{ID: unique("neg"), Title: "Talks"}
	recs := []store.Record{
		{Kind: "head", ID: "head", Doc: json.RawMessage(`{"title":"Talks"}`), By: owner.ID},
		{Kind: "position", ID: "ua", Owner: "ua", Doc: json.RawMessage(`{"n":0}`), By: owner.ID},
	}
	ms := []store.Member{{Account: owner.ID, Role: "mediator"}}
	if err := s.CreateNegotiation(context.Background(), n, recs, ms, store.Act{Actor: owner.ID, Action: "negotiation.create"}); err != nil {
		t.Fatalf("create negotiation: %v", err)
	}
	return n.ID
}

func testAccounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newAccount(t, s)
	got, err := s.Account(ctx, a.ID)
	if err != nil {
		t.Fatalf("account: %v", err)
	}
	if got.Name != a.Name || got.PasswordHash != "hash" || got.Admin {
		t.Errorf("account: expected %+v got %+v", a, got)
	}
	if got, err := s.AccountByName(ctx, a.Name); err != nil || got.ID != a.ID {
		t.Errorf("account by name: expected %s got %v, %v", a.ID, got, err)
	}
	_, err = s.Account(ctx, "nobody-"+a.ID)
	wantKind(t, "missing account", err, apperr.NotFound)
	err = s.CreateAccount(ctx, &store.Account{ID: unique("acc"), Name: a.Name})
	wantKind(t, "same name", err, apperr.Conflict)
	if err := s.SetPassword(ctx, a.ID, "new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Account(ctx, a.ID); got.PasswordHash != "new" {
		t.Errorf("set password: hash is %q", got.PasswordHash)
	}
	wantKind(t, "password of a missing account", s.SetPassword(ctx, "nobody-"+a.ID, "x"), apperr.NotFound)
	admin := &store.Account{ID: unique("acc"), Name: unique("admin"), Admin: true}
	before, beforeAdmins, err := s.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAccount(ctx, admin); err != nil {
		t.Fatal(err)
	}
	total, admins, err := s.Accounts(ctx)
	if err != nil || total != before+1 || admins != beforeAdmins+1 {
		t.Errorf("accounts: expected %d, %d admins; got %d, %d (%v)", before+1, beforeAdmins+1, total, admins, err)
	}
}

func testTokens(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newAccount(t, s)
	now := time.Now()
	tok := &store.Token{Hash: unique("h"), AccountID: a.ID, Kind: store.TokenSession, CSRF: "c", Expires: now.Add(time.Hour)}
	if err := s.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, acc, err := s.TokenAccount(ctx, tok.Hash, now)
	if err != nil || acc.ID != a.ID || got.CSRF != "c" || got.Kind != store.TokenSession {
		t.Errorf("token: got %+v %+v %v", got, acc, err)
	}
	_, _, err = s.TokenAccount(ctx, tok.Hash, now.Add(2*time.Hour))
	wantKind(t, "expired token", err, apperr.NotFound)
	if err := s.DeleteToken(ctx, tok.Hash); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.TokenAccount(ctx, tok.Hash, now)
	wantKind(t, "deleted token", err, apperr.NotFound)

	one := &store.Token{Hash: unique("h"), AccountID: a.ID, Kind: store.TokenSignIn, Expires: now.Add(time.Hour)}
	if err := s.CreateToken(ctx, one); err != nil {
		t.Fatal(err)
	}
	_, err = s.ConsumeToken(ctx, one.Hash, store.TokenSession, now)
	wantKind(t, "consume as the wrong kind", err, apperr.NotFound)
	// Two consumers race for a one-time token: exactly one wins.
	var wg sync.WaitGroup
	wins := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if acc, err := s.ConsumeToken(ctx, one.Hash, store.TokenSignIn, now); err == nil {
				wins <- acc.ID
			}
		}()
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Errorf("one-time token consumed %d times, expected once", n)
	}
}

func testNegotiations(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newAccount(t, s)
	id := newNegotiation(t, s, a)
	err := s.CreateNegotiation(ctx, &store.Negotiation{ID: id, Title: "again"}, nil, nil, store.Act{})
	wantKind(t, "same negotiation id", err, apperr.Conflict)
	ns, err := s.Negotiations(ctx, a.ID)
	if err != nil || len(ns) != 1 || ns[0].ID != id || ns[0].Rev != 1 || ns[0].Title != "Talks" {
		t.Errorf("negotiations: got %+v, %v", ns, err)
	}
	other := newAccount(t, s)
	if ns, err := s.Negotiations(ctx, other.ID); err != nil || len(ns) != 0 {
		t.Errorf("negotiations of a stranger: expected none, got %+v, %v", ns, err)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Negotiation.Rev != 1 || len(snap.Records) != 2 || len(snap.Members) != 1 || snap.Members[0].Role != "mediator" {
		t.Errorf("snapshot: got %+v", snap)
	}
	_, err = s.Snapshot(ctx, "missing-"+id)
	wantKind(t, "missing negotiation", err, apperr.NotFound)
	_, err = s.Rev(ctx, "missing-"+id)
	wantKind(t, "rev of missing negotiation", err, apperr.NotFound)
	// A failed write leaves nothing behind: not even a rev.
	_, err = s.CreateRecord(ctx, id, store.Record{Kind: "position", ID: "ua", Doc: json.RawMessage(`{}`)}, store.Act{})
	wantKind(t, "record id taken", err, apperr.Conflict)
	if rev, err := s.Rev(ctx, id); err != nil || rev != 1 {
		t.Errorf("rev after a failed write: expected 1 got %d, %v", rev, err)
	}
}

func testRecords(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newAccount(t, s)
	id := newNegotiation(t, s, a)
	r1, err := s.CreateRecord(ctx, id, store.Record{Kind: "amendment", Owner: "ua", Doc: json.RawMessage(`{"text":"a"}`), By: a.ID}, store.Act{Actor: a.ID, Action: "amendment.create"})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := s.CreateRecord(ctx, id, store.Record{Kind: "amendment", Owner: "ua", Doc: json.RawMessage(`{"text":"b"}`), By: a.ID}, store.Act{Actor: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if r1.ID == r2.ID || r1.ID == "" || r1.Rev != 1 || r2.Seq <= r1.Seq {
		t.Errorf("numbered records: got %+v and %+v", r1, r2)
	}
	up, err := s.UpdateRecord(ctx, id, "position", "ua", 1, json.RawMessage(`{"n":1}`), a.ID, store.Act{Actor: a.ID, Action: "position.put"})
	if err != nil || up.Rev != 2 || up.Owner != "ua" {
		t.Fatalf("update: got %+v, %v", up, err)
	}
	_, err = s.UpdateRecord(ctx, id, "position", "ua", 1, json.RawMessage(`{"n":9}`), a.ID, store.Act{})
	wantKind(t, "stale update", err, apperr.Stale)
	_, err = s.UpdateRecord(ctx, id, "position", "ru", 1, json.RawMessage(`{}`), a.ID, store.Act{})
	wantKind(t, "update of a missing record", err, apperr.NotFound)
	_, err = s.UpdateRecord(ctx, "missing-"+id, "position", "ua", 1, json.RawMessage(`{}`), a.ID, store.Act{})
	wantKind(t, "update in a missing negotiation", err, apperr.NotFound)
	hist, err := s.History(ctx, id, "position", "ua")
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, h := range hist {
		docs = append(docs, string(h.Doc))
		if h.By != a.ID || h.At.IsZero() {
			t.Errorf("history: revision %d has by %q at %v", h.Rev, h.By, h.At)
		}
	}
	if diff := cmp.Diff([]string{`{"n":0}`, `{"n":1}`}, docs); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	_, err = s.History(ctx, id, "position", "nobody")
	wantKind(t, "history of a missing record", err, apperr.NotFound)
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Negotiation.Rev != 4 {
		t.Errorf("rev after three writes: expected 4 got %d", snap.Negotiation.Rev)
	}
	since, err := s.SnapshotSince(ctx, id, 3)
	if err != nil || len(since.Records) != 1 || since.Records[0].Kind != "position" || since.Negotiation.Rev != 4 {
		t.Errorf("snapshot since rev 3: expected the position alone, got %+v, %v", since, err)
	}
	if since, _ := s.SnapshotSince(ctx, id, 4); len(since.Records) != 0 {
		t.Errorf("snapshot since the current rev: expected nothing, got %+v", since.Records)
	}
	if _, err := s.UpdateRecord(ctx, id, "position", "ua", 0, json.RawMessage(`{"n":1}`), a.ID, store.Act{}); err != nil {
		t.Errorf("update whatever the revision: %v", err)
	}
	var kinds []string
	for _, r := range snap.Records {
		kinds = append(kinds, r.Kind+"/"+r.ID)
		if r.Kind == "position" && string(r.Doc) != `{"n":1}` {
			t.Errorf("snapshot position: got %s", r.Doc)
		}
	}
	want := []string{"head/head", "position/ua", "amendment/" + r1.ID, "amendment/" + r2.ID}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("snapshot records in creation order (-want +got):\n%s", diff)
	}
}

func testMembers(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newAccount(t, s)
	id := newNegotiation(t, s, a)
	b := newAccount(t, s)
	rev, err := s.AddMember(ctx, store.Member{Negotiation: id, Account: b.ID, Role: "party", Party: "ua"}, store.Act{Actor: a.ID, Action: "member.add"})
	if err != nil || rev != 2 {
		t.Fatalf("add member: rev %d, %v", rev, err)
	}
	_, err = s.AddMember(ctx, store.Member{Negotiation: id, Account: b.ID, Role: "observer"}, store.Act{})
	wantKind(t, "member twice", err, apperr.Conflict)
	_, err = s.AddMember(ctx, store.Member{Negotiation: "missing-" + id, Account: b.ID, Role: "observer"}, store.Act{})
	wantKind(t, "member of a missing negotiation", err, apperr.NotFound)
	ns, err := s.Negotiations(ctx, b.ID)
	if err != nil || len(ns) != 1 {
		t.Errorf("negotiations of a new member: got %+v, %v", ns, err)
	}
	snap, _ := s.Snapshot(ctx, id)
	if len(snap.Members) != 2 || snap.Members[1].Party != "ua" {
		t.Errorf("members: got %+v", snap.Members)
	}
}

func testAudit(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newAccount(t, s)
	id := newNegotiation(t, s, a)
	for i := range 3 {
		if _, err := s.CreateRecord(ctx, id, store.Record{Kind: "comment", Doc: json.RawMessage(`{}`)}, store.Act{Actor: a.ID, Action: "comment.create", Detail: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	es, err := s.Audit(ctx, id, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, e := range es {
		got = append(got, e.Action+" "+e.Detail)
		if e.Seq != int64(i+1) || e.Actor != a.ID || e.At.IsZero() {
			t.Errorf("audit entry %d: got %+v", i, e)
		}
	}
	want := []string{"negotiation.create ", "comment.create 0", "comment.create 1", "comment.create 2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	es, err = s.Audit(ctx, id, 2, 1)
	if err != nil || len(es) != 1 || es[0].Seq != 3 {
		t.Errorf("audit page: got %+v, %v", es, err)
	}
	_, err = s.Audit(ctx, "missing-"+id, 0, 10)
	wantKind(t, "audit of a missing negotiation", err, apperr.NotFound)
}

// testConcurrentWriters has many writers increment one counter by
// read-modify-write with expected revisions, retrying when stale: no
// increment may be lost.
func testConcurrentWriters(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newAccount(t, s)
	id := newNegotiation(t, s, a)
	const writers, each = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					snap, err := s.Snapshot(ctx, id)
					if err != nil {
						errs <- err
						return
					}
					var rec store.Record
					for _, r := range snap.Records {
						if r.Kind == "position" {
							rec = r
						}
					}
					var doc struct{ N int }
					json.Unmarshal(rec.Doc, &doc)
					next, _ := json.Marshal(map[string]int{"n": doc.N + 1})
					_, err = s.UpdateRecord(ctx, id, "position", "ua", rec.Rev, next, a.ID, store.Act{Actor: a.ID})
					if apperr.Is(err, apperr.Stale) {
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	hist, err := s.History(ctx, id, "position", "ua")
	if err != nil {
		t.Fatal(err)
	}
	var last struct{ N int }
	json.Unmarshal(hist[len(hist)-1].Doc, &last)
	if last.N != writers*each || len(hist) != writers*each+1 {
		t.Errorf("lost updates: counter %d after %d increments, %d revisions", last.N, writers*each, len(hist))
	}
}

// testMixedWriters runs MixedWriters on one store.
func testMixedWriters(t *testing.T, s store.Store) { MixedWriters(t, s, s) }

// MixedWriters has writers on stores a and b, which may be two
// connections to one database (two server processes), update several
// records of one negotiation, some with expected revisions, while others
// add records. Afterwards every acknowledged update is in its record's
// history, the negotiation's Rev counts exactly the acknowledged changes,
// and its audit log numbers them 1, 2, 3 … with no gap or repeat.
func MixedWriters(t *testing.T, a, b store.Store) {
	ctx := context.Background()
	acct := newAccount(t, a)
	id := newNegotiation(t, a, acct)
	parties := []string{"ua", "ru", "e3"}
	for _, p := range parties[1:] {
		if _, err := a.CreateRecord(ctx, id, store.Record{Kind: "position", ID: p, Owner: p, Doc: json.RawMessage(`{"n":0}`), By: acct.ID}, store.Act{Actor: acct.ID, Action: "position.put"}); err != nil {
			t.Fatal(err)
		}
	}
	const writers, each = 9, 12
	var mu sync.Mutex
	acks := map[string]int{}
	changes := 0
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []store.Store{a, b}[w%2]
			p := parties[w%len(parties)]
			for i := range each {
				var err error
				switch {
				case w == writers-1 && i%3 == 0:
					_, err = s.CreateRecord(ctx, id, store.Record{Kind: "comment", Doc: json.RawMessage(`{}`), By: acct.ID}, store.Act{Actor: acct.ID, Action: "comment.add"})
				case w%3 == 1:
					// Read, then write with the expected revision.
					var hs []store.Revision
					if hs, err = s.History(ctx, id, "position", p); err == nil {
						_, err = s.UpdateRecord(ctx, id, "position", p, hs[len(hs)-1].Rev, json.RawMessage(`{"n":1}`), acct.ID, store.Act{Actor: acct.ID, Action: "position.put"})
						if apperr.Is(err, apperr.Stale) {
							continue
						}
						if err == nil {
							mu.Lock()
							acks[p]++
							mu.Unlock()
						}
					}
				default:
					_, err = s.UpdateRecord(ctx, id, "position", p, 0, json.RawMessage(`{"n":2}`), acct.ID, store.Act{Actor: acct.ID, Action: "position.put"})
					if err == nil {
						mu.Lock()
						acks[p]++
						mu.Unlock()
					}
				}
				if err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
				mu.Lock()
				changes++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, p := range parties {
		hs, err := b.History(ctx, id, "position", p)
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != acks[p]+1 {
			t.Errorf("%s: %d acknowledged updates, %d new revisions", p, acks[p], len(hs)-1)
		}
		for i, h := range hs {
			if h.Rev != int64(i+1) {
				t.Errorf("%s: revision %d is numbered %d", p, i+1, h.Rev)
			}
		}
	}
	// 1 for the creation and 2 for the other positions.
	want := int64(1 + 2 + changes)
	rev, err := a.Rev(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rev != want {
		t.Errorf("negotiation at Rev %d after %d changes", rev, want)
	}
	es, err := b.Audit(ctx, id, 0, int(want)+10)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range es {
		if e.Seq != int64(i+1) {
			t.Fatalf("audit entry %d is numbered %d", i+1, e.Seq)
		}
	}
	if int64(len(es)) != want {
		t.Errorf("audit has %d entries after %d changes", len(es), want)
	}
}
