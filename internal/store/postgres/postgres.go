// Package postgres is parley's store in PostgreSQL, through pgx, for a
// shared deployment: several server processes may use one database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also the "pgx" driver of database/sql

	"parley/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded migrations by file name.
func Migrations() map[string]string {
	m := map[string]string{}
	ents, _ := fs.ReadDir(migrations, "migrations")
	for _, e := range ents {
		b, _ := migrations.ReadFile(path.Join("migrations", e.Name()))
		m[e.Name()] = string(b)
	}
	return m
}

// Dialect is PostgreSQL's.
var Dialect = sqldb.Dialect{
	Name:     "postgres",
	Numbered: true,
	IsUnique: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
	// A snapshot read sees one state of the negotiation across queries.
	ReadTx:   &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	Pipeline: pipeline,
}

// pipeline sends the queries as one pgx batch: one round trip, and one
// implicit transaction that an error in any of them rolls back whole.
func pipeline(ctx context.Context, db *sql.DB, query string, args [][]any, scan func(i int, scan func(dest ...any) error) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: a %T is not a pgx connection", dc)
		}
		var b pgx.Batch
		for _, a := range args {
			b.Queue(query, a...)
		}
		br := c.Conn().SendBatch(ctx, &b)
		var first error
		for i := range args {
			if err := scan(i, br.QueryRow().Scan); err != nil && first == nil {
				first = err
			}
		}
		// Close reports the commit's outcome; an earlier error means the
		// transaction was rolled back.
		if err := br.Close(); err != nil {
			return err
		}
		return first
	})
}

// migrationLock is a transaction-level advisory lock held while one
// process migrates, so that replicas starting together take turns.
const migrationLock = `SELECT pg_advisory_xact_lock(7243901)`

// Open connects to the database named by dsn (postgres://…) and brings its
// schema up to date.
func Open(ctx context.Context, dsn string) (*sqldb.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := sqldb.Migrate(ctx, db, Dialect, Migrations(), migrationLock); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return sqldb.New(db, db, Dialect), nil
}
