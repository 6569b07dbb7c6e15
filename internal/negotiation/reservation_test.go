package negotiation_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"parley/examples"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/internal/store"
	"parley/internal/store/sqlite"
	"parley/scenario"
)

// table is the default scenario with a mediator and the delegates of ua
// and ru.
type table struct {
	svc         *negotiation.Service
	med, ua, ru *store.Account
	id          string
	uaStart     float64 // ua's reservation value in the scenario
}

func newTable(t *testing.T) *table {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	tb := &table{svc: negotiation.New(st), id: sc.ID}
	tb.med = &store.Account{ID: "acct-med", Name: "mediator"}
	tb.ua = &store.Account{ID: "acct-ua", Name: "ukraine"}
	tb.ru = &store.Account{ID: "acct-ru", Name: "russia"}
	for _, a := range []*store.Account{tb.med, tb.ua, tb.ru} {
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tb.svc.Create(ctx, tb.med, sc); err != nil {
		t.Fatal(err)
	}
	for acct, party := range map[*store.Account]string{tb.ua: "ua", tb.ru: "ru"} {
		if err := tb.svc.AddMember(ctx, tb.med, tb.id, store.Member{Account: acct.ID, Role: "party", Party: party}); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := sc.Party("ua")
	tb.uaStart = p.Reservation
	return tb
}

// reservationSeen is ua's reservation value in the scenario acct reads.
func (tb *table) reservationSeen(t *testing.T, acct *store.Account) float64 {
	t.Helper()
	st, r, err := tb.svc.Open(context.Background(), acct, tb.id)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := st.Scenario(r).Party("ua")
	if !ok {
		t.Fatal("no party ua")
	}
	return p.Reservation
}

func TestSetReservation(t *testing.T) {
	ctx := context.Background()
	tb := newTable(t)
	if tb.uaStart == 0 || tb.uaStart == 0.42 || tb.uaStart == 0.37 {
		t.Fatalf("the default scenario's reservation of ua is %v: the test needs another value", tb.uaStart)
	}

	// ua sets a private value: ua and the mediator read it, ru does not.
	rev, err := tb.svc.SetReservation(ctx, tb.ua, tb.id, "ua", negotiation.ReservationDoc{Value: 0.42}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  string
		acct *store.Account
		want float64
	}{{"ua", tb.ua, 0.42}, {"mediator", tb.med, 0.42}, {"ru", tb.ru, 0}} {
		if got := tb.reservationSeen(t, c.acct); got != c.want {
			t.Errorf("private value: %s reads %v, expected %v", c.who, got, c.want)
		}
	}

	// Shared, every member reads it.
	if _, err := tb.svc.SetReservation(ctx, tb.ua, tb.id, "ua", negotiation.ReservationDoc{Value: 0.37, Shared: true}, rev); err != nil {
		t.Fatal(err)
	}
	if got := tb.reservationSeen(t, tb.ru); got != 0.37 {
		t.Errorf("shared value: ru reads %v, expected 0.37", got)
	}

	// A write from an old revision is stale.
	if _, err := tb.svc.SetReservation(ctx, tb.ua, tb.id, "ua", negotiation.ReservationDoc{Value: 0.5}, rev); !apperr.Is(err, apperr.Stale) {
		t.Errorf("write from an old revision: expected Stale, got %v", err)
	}

	// The history keeps both values; ru reads only the shared one.
	for _, c := range []struct {
		who  string
		acct *store.Account
		want int
	}{{"ua", tb.ua, 2}, {"mediator", tb.med, 2}, {"ru", tb.ru, 1}} {
		hs, err := tb.svc.ReservationHistory(ctx, c.acct, tb.id, "ua")
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != c.want {
			t.Errorf("history as %s: expected %d values, got %d", c.who, c.want, len(hs))
		}
	}

	// Each change is in the audit log.
	log, err := tb.svc.Audit(ctx, tb.med, tb.id, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "reservation.set" && e.Target == "reservation/ua" && e.Actor == tb.ua.ID {
			n++
		}
	}
	if n != 2 {
		t.Errorf("the audit log has %d reservation changes by ua, expected 2", n)
	}
}

func TestSetReservationRefused(t *testing.T) {
	ctx := context.Background()
	tb := newTable(t)
	for _, c := range []struct {
		name  string
		acct  *store.Account
		party string
		value float64
		want  apperr.Kind
	}{
		{"another party's value", tb.ru, "ua", 0.3, apperr.Forbidden},
		{"an unknown party", tb.ua, "xx", 0.3, apperr.NotFound},
		{"above 1", tb.ua, "ua", 1.5, apperr.Invalid},
		{"below 0", tb.ua, "ua", -0.1, apperr.Invalid},
	} {
		_, err := tb.svc.SetReservation(ctx, c.acct, tb.id, c.party, negotiation.ReservationDoc{Value: c.value}, 0)
		if !apperr.Is(err, c.want) {
			t.Errorf("%s: expected %v, got %v", c.name, c.want, err)
		}
	}
	// The mediator may set a party's value.
	if _, err := tb.svc.SetReservation(ctx, tb.med, tb.id, "ru", negotiation.ReservationDoc{Value: 0.2}, 0); err != nil {
		t.Errorf("the mediator sets ru's value: %v", err)
	}
	if got := tb.reservationSeen(t, tb.ua); got != tb.uaStart {
		t.Errorf("ua's own value moved to %v", got)
	}
}

// TestViewSaysPositionsAreConfidential checks that a party's view of the
// negotiation says that the others' positions are left out by design, and
// the mediator's, which holds them all, says nothing of the kind.
func TestViewSaysPositionsAreConfidential(t *testing.T) {
	tb := newTable(t)
	for _, c := range []struct {
		acct *store.Account
		want string
	}{
		{tb.ua, "This is the view of ua: it holds ua's own positions"},
		{tb.ru, "This is the view of ru: it holds ru's own positions"},
		{tb.med, ""},
	} {
		st, r, err := tb.svc.Open(context.Background(), c.acct, tb.id)
		if err != nil {
			t.Fatal(err)
		}
		got := st.Scenario(r).Disclaimer
		if c.want == "" {
			if strings.Contains(got, "This is the view of") {
				t.Errorf("%s's view says %q", c.acct.Name, got)
			}
		} else if !strings.Contains(got, c.want) {
			t.Errorf("%s's view says %q, want it to contain %q", c.acct.Name, got, c.want)
		} else if !strings.Contains(got, "reservation value and discount read as 0") {
			// A hidden reservation value is zeroed: the view says so, or
			// an export of it reads as if the others had none.
			t.Errorf("%s's view says %q, nothing of hidden reservation values", c.acct.Name, got)
		}
	}
}

// TestReservationOpenWithAnOlderSharedPosition shares ua's older position
// and keeps its latest private: the scenario's reservation value of ua is
// then read by the others (it goes with any shared position), and
// ReservationOpen, which the pages' "who can see this" asks, says so.
func TestReservationOpenWithAnOlderSharedPosition(t *testing.T) {
	tb := newTable(t)
	ctx := context.Background()
	st, _, err := tb.svc.Open(ctx, tb.ua, tb.id)
	if err != nil {
		t.Fatal(err)
	}
	if st.ReservationOpen("ua") {
		t.Fatal("ua's reservation value open to all before anything is shared")
	}
	e := st.Positions["ua"]
	doc := e.Doc
	if len(doc.Positions) < 2 {
		t.Skipf("ua holds %d positions; the case needs two", len(doc.Positions))
	}
	doc.Positions[0].Shared = true
	doc.Positions[len(doc.Positions)-1].Shared = false
	if _, err := tb.svc.PutPositions(ctx, tb.ua, tb.id, "ua", doc, e.Rev); err != nil {
		t.Fatal(err)
	}
	st, rd, err := tb.svc.Open(ctx, tb.ru, tb.id)
	if err != nil {
		t.Fatal(err)
	}
	if !st.SeesReservation(rd, "ua") {
		t.Fatal("ru does not see ua's reservation value, which goes with a shared position")
	}
	if !st.ReservationOpen("ua") {
		t.Error("ReservationOpen says ua's value is private, yet ru reads it")
	}
}

// TestDraftPointUnknownToParty adds a point to a draft only the mediator
// sees; a party naming it in a position gets the same answer as for a
// point that exists nowhere, so that errors do not tell it the draft's
// points.
func TestDraftPointUnknownToParty(t *testing.T) {
	tb := newTable(t)
	ctx := context.Background()
	st, _, err := tb.svc.Open(ctx, tb.med, tb.id)
	if err != nil {
		t.Fatal(err)
	}
	last := st.Versions[len(st.Versions)-1].Doc.Version
	draft := last
	draft.ID, draft.Parent, draft.Date = "dsecret", last.ID, "2099-01-01"
	draft.Blocks = slices.Clone(last.Blocks)
	b := &draft.Blocks[0]
	b.Points = append(slices.Clone(b.Points), scenario.Point{ID: "secret_swap", Number: 99, Title: "Secret swap",
		Options: []scenario.Option{{ID: "yes", Text: "Yes."}, {ID: "no", Text: "No."}}})
	if _, err := tb.svc.CreateDraft(ctx, tb.med, tb.id, draft); err != nil {
		t.Fatal(err)
	}
	st, _, err = tb.svc.Open(ctx, tb.ua, tb.id)
	if err != nil {
		t.Fatal(err)
	}
	e := st.Positions["ua"]
	answer := func(point string) string {
		doc := e.Doc
		doc.Positions = slices.Clone(doc.Positions)
		n := len(doc.Positions) - 1
		doc.Positions[n].Points = append(slices.Clone(doc.Positions[n].Points), scenario.PointPosition{Point: point, Weight: 1,
			Options: []scenario.OptionStance{{Option: "yes", Stance: scenario.Support}}})
		_, err := tb.svc.PutPositions(ctx, tb.ua, tb.id, "ua", doc, e.Rev)
		if err == nil {
			return "accepted"
		}
		return strings.ReplaceAll(err.Error(), point, "X")
	}
	secret, none := answer("secret_swap"), answer("no_such_point")
	if secret != none || secret == "accepted" {
		t.Errorf("a draft's point answers %q, a point that exists nowhere %q", secret, none)
	}
}
