package negotiation_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parley/internal/store"
)

// TestNames names accounts as people know them, and by id when the
// store has no such account.
func TestNames(t *testing.T) {
	tb := newTable(t)
	ctx := context.Background()
	if err := tb.svc.Store.CreateAccount(ctx, &store.Account{ID: "acct-unnamed"}); err != nil {
		t.Fatal(err)
	}
	got, err := tb.svc.Names(ctx, tb.med.ID, tb.ua.ID, tb.med.ID, "acct-gone", "acct-unnamed", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"acct-med": "mediator", "acct-ua": "ukraine", "acct-gone": "acct-gone", "acct-unnamed": "acct-unnamed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

// TestToday is the service clock's date in UTC, whatever the clock's
// zone.
func TestToday(t *testing.T) {
	tb := newTable(t)
	tb.svc.Now = func() time.Time { return time.Date(2026, 3, 1, 1, 30, 0, 0, time.FixedZone("UTC+3", 3*3600)) }
	if got := tb.svc.Today(); got != "2026-02-28" {
		t.Errorf("today: %q, want 2026-02-28", got)
	}
}
