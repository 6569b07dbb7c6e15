package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/internal/store"
	"parley/scenario"
)

// exportScenario writes a negotiation stored by "parley serve" as a
// scenario file: what reader (mediator, or a party's id) may see, decided
// by the same rule as the server's scenario.yaml export.
func exportScenario(ctx context.Context, e *env, db, id, reader, out string) error {
	if db == "" {
		return usagef("--db is required: the SQLite file or postgres:// URL of the server's database")
	}
	if id == "" {
		return usagef("--negotiation ID is required")
	}
	st, err := openExportStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	state, err := negotiation.New(st).State(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return badInput(fmt.Errorf("%s has no negotiation %q (the id is the one in the server's URLs, /api/negotiations/ID)", dbLabel(db), id))
	}
	if err != nil {
		return fmt.Errorf("read negotiation %q: %w", id, err)
	}
	rd, err := access.ReaderOf(state.Scenario(access.Reader{Role: access.Mediator}), reader)
	if err != nil {
		return badInput(fmt.Errorf("--for: %w", err))
	}
	if !access.Can(rd, access.ExportScenario, access.Resource{}) {
		return badInput(fmt.Errorf("--for %s: a %s may not %s", reader, rd.Role, access.ExportScenario.Phrase()))
	}
	format := "yaml"
	if strings.HasSuffix(strings.ToLower(out), ".json") {
		format = "json"
	}
	b, err := scenario.Marshal(state.Scenario(rd), format)
	if err != nil {
		return fmt.Errorf("write negotiation %q: %w", id, err)
	}
	if out == "" || out == "-" {
		_, err := e.stdout.Write(b)
		return err
	}
	if err := writeFileAtomic(out, b); err != nil {
		return err
	}
	what := "the mediator's view"
	if rd.Role != access.Mediator {
		what = reader + "'s view"
	}
	exportNotice(e, fmt.Sprintf("wrote %s: %s, revision %d, %s", out, id, state.Rev, what))
	return nil
}

// openExportStore opens an existing database for reading. A path that is
// not a parley SQLite database, or a malformed URL, is bad input; a
// database that exists but cannot be reached or read is not.
func openExportStore(ctx context.Context, db string) (store.Store, error) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		if _, err := pgconn.ParseConfig(db); err != nil {
			return nil, badInput(fmt.Errorf("--db: not a valid PostgreSQL URL: %v", redactURL(err.Error(), db)))
		}
		st, _, err := openStore(ctx, db)
		if err != nil {
			return nil, errors.New(redactURL(err.Error(), db))
		}
		return st, nil
	}
	if strings.Contains(db, "://") {
		return nil, badInput(fmt.Errorf("--db %s: want a SQLite file or a postgres:// URL", db))
	}
	fi, err := os.Stat(db)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, badInput(fmt.Errorf("--db %s: no such database file", db))
	case err != nil:
		return nil, fmt.Errorf("--db %s: %w", db, err)
	case fi.IsDir():
		return nil, badInput(fmt.Errorf("--db %s: is a folder, not a database file", db))
	}
	if err := checkParleySQLite(ctx, db); err != nil {
		return nil, err
	}
	st, _, err := openStore(ctx, db)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// checkParleySQLite makes sure that file is a SQLite database made by
// parley before it is opened for writing (opening applies migrations,
// which must never touch someone else's file).
func checkParleySQLite(ctx context.Context, file string) error {
	head := make([]byte, 16)
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("--db %s: %w", file, err)
	}
	n, _ := f.Read(head)
	f.Close()
	if n < 16 || !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return badInput(fmt.Errorf("--db %s: not a SQLite database", file))
	}
	conn, err := sql.Open("sqlite", "file:"+escapePath(file)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("--db %s: %w", file, err)
	}
	defer conn.Close()
	var tables int
	err = conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_version', 'negotiations')`).Scan(&tables)
	if err != nil {
		return fmt.Errorf("--db %s: cannot read the database: %w", file, err)
	}
	if tables < 2 {
		return badInput(fmt.Errorf("--db %s: a SQLite database, but not one written by parley serve", file))
	}
	return nil
}

// escapePath escapes a file name for a SQLite URI.
func escapePath(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(p)
}

// dbLabel names a database in a message without a password.
func dbLabel(db string) string {
	if strings.Contains(db, "://") {
		return "the PostgreSQL database"
	}
	return db
}

// redactURL removes the database URL (and so its password) from msg.
func redactURL(msg, db string) string {
	return strings.ReplaceAll(msg, db, "postgres://…")
}
