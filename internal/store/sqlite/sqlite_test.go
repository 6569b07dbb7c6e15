package sqlite_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"parley/internal/store"
	"parley/internal/store/sqlite"
	"parley/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "parley.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestReopen checks that data and the schema version survive closing the
// file, and that opening again does not migrate twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "parley.db")
	db, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Account{ID: "a1", Name: "mediator"}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	n := &store.Negotiation{ID: "n1", Title: "T"}
	if err := db.CreateNegotiation(ctx, n, []store.Record{{Kind: "head", ID: "head", Doc: json.RawMessage(`{}`)}}, nil, store.Act{Actor: "a1"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, file)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if rev, err := db.Rev(ctx, "n1"); err != nil || rev != 1 {
		t.Errorf("after reopening: rev %d, %v", rev, err)
	}
	var versions int
	db.R.QueryRow(`SELECT COUNT(*) FROM schema_version`).Scan(&versions)
	if versions != len(sqlite.Migrations()) {
		t.Errorf("schema_version has %d rows, expected %d", versions, len(sqlite.Migrations()))
	}
}

func BenchmarkUpdates(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "parley.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchmarkUpdates(b, db)
}
