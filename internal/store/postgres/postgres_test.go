package postgres_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"parley/internal/store"
	"parley/internal/store/postgres"
	"parley/internal/store/storetest"
)

// dsn returns the test database, skipping the test when none is set.
func dsn(t *testing.T) string {
	d := os.Getenv("PARLEY_TEST_POSTGRES")
	if d == "" {
		t.Skip("PARLEY_TEST_POSTGRES is not set: set it to a postgres:// URL of a throwaway database to run the PostgreSQL store tests (.ci/run does)")
	}
	return d
}

// TestMigrateTogether opens the database from several processes' worth of
// connections at once: the migration lock lets exactly one migrate. It runs first, so
// that on a fresh database the race is real.
func TestMigrateTogether(t *testing.T) {
	d := dsn(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(context.Background(), d)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestStore(t *testing.T) {
	d := dsn(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := postgres.Open(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestTwoProcesses runs writers through two separate stores on one
// database, as two server processes would: their groups of updates
// neither deadlock nor lose or misnumber a change.
func TestTwoProcesses(t *testing.T) {
	d := dsn(t)
	var ss [2]store.Store
	for i := range ss {
		db, err := postgres.Open(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		ss[i] = db
	}
	storetest.MixedWriters(t, ss[0], ss[1])
}

func BenchmarkUpdates(b *testing.B) {
	d := os.Getenv("PARLEY_TEST_POSTGRES")
	if d == "" {
		b.Skip("PARLEY_TEST_POSTGRES is not set")
	}
	db, err := postgres.Open(context.Background(), d)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchmarkUpdates(b, db)
}
