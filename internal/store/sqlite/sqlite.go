// Package sqlite is parley's store in an embedded SQLite file (pure Go,
// modernc.org/sqlite): write-ahead logging, a busy timeout, foreign keys,
// one writer connection and a pool of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"parley/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded migrations by file name.
func Migrations() map[string]string { return readMigrations(migrations) }

func readMigrations(f embed.FS) map[string]string {
	m := map[string]string{}
	ents, _ := fs.ReadDir(f, "migrations")
	for _, e := range ents {
		b, _ := f.ReadFile(path.Join("migrations", e.Name()))
		m[e.Name()] = string(b)
	}
	return m
}

// Dialect is SQLite's.
var Dialect = sqldb.Dialect{
	Name: "sqlite",
	IsUnique: func(err error) bool {
		var e *sqlite.Error
		if errors.As(err, &e) {
			c := e.Code()
			return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
		}
		return false
	},
}

const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"

// WriterDSN is the data source name of a writing connection to file: it
// takes the write lock when a transaction begins, so that two writers
// queue on the busy timeout instead of failing to upgrade a read lock.
func WriterDSN(file string) string {
	return "file:" + (&url.URL{Path: file}).EscapedPath() + "?" + pragmas + "&_txlock=immediate"
}

// Open opens (creating if need be) the SQLite database at file and brings
// its schema up to date.
func Open(ctx context.Context, file string) (*sqldb.DB, error) {
	u := "file:" + (&url.URL{Path: file}).EscapedPath()
	w, err := sql.Open("sqlite", WriterDSN(file))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	w.SetMaxOpenConns(1)
	if err := sqldb.Migrate(ctx, w, Dialect, Migrations(), ""); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	r, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db := sqldb.New(w, r, Dialect)
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	return db, nil
}
