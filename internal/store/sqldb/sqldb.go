// Package sqldb is the SQL shared by parley's SQLite and PostgreSQL
// stores: one implementation of store.Store over database/sql, with the
// few differences between the two databases held in a Dialect.
package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"parley/internal/apperr"
	"parley/internal/store"
)

// Dialect is what differs between the databases.
type Dialect struct {
	Name string
	// Numbered placeholders ($1, $2 …) instead of "?".
	Numbered bool
	// IsUnique reports whether err is a unique-constraint violation.
	IsUnique func(err error) bool
	// ReadTx options for a consistent multi-statement read.
	ReadTx *sql.TxOptions
	// Pipeline, when set, runs query once for each of args, in order, in
	// one implicit transaction sent in one round trip, handing each
	// answer's single row to scan. Its error is the transaction's: when it
	// is not nil, nothing was written. With it, record updates go through
	// the group commit of groupcommit.go, which needs the function
	// parley_update_record of the PostgreSQL migrations.
	Pipeline func(ctx context.Context, db *sql.DB, query string, args [][]any, scan func(i int, scan func(dest ...any) error) error) error
}

// DB is a store.Store over database/sql. Writes go through W, reads
// through R; they may be the same pool.
type DB struct {
	W, R    *sql.DB
	Dialect Dialect
	q       map[string]string // rebound queries, by their "?" form
	groups  groups
}

var _ store.Store = (*DB)(nil)

// New returns a store over the given pools.
func New(w, r *sql.DB, d Dialect) *DB {
	return &DB{W: w, R: r, Dialect: d, q: map[string]string{}}
}

// Q rewrites a query written with "?" placeholders for the dialect.
func (db *DB) Q(query string) string {
	if !db.Dialect.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// timeFormat is fixed-width so that stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

func (db *DB) internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return apperr.Wrap(op, apperr.Internal, err, "the request was cancelled")
	}
	return apperr.Wrap(op, apperr.Internal, err, "database error")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.W.Close()
	if db.R != db.W {
		if e := db.R.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.W.PingContext(ctx); err != nil {
		return db.internal("ping", err)
	}
	return db.internal("ping", db.R.PingContext(ctx))
}

// write runs f in a write transaction.
func (db *DB) write(ctx context.Context, op string, f func(tx *sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return db.internal(op, err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return db.internal(op, err)
	}
	return db.internal(op, tx.Commit())
}

// CreateAccount implements store.Store.
func (db *DB) CreateAccount(ctx context.Context, a *store.Account) error {
	const op = "account.create"
	if a.Created.IsZero() {
		a.Created = time.Now()
	}
	_, err := db.W.ExecContext(ctx, db.Q(`INSERT INTO accounts (id, name, password_hash, admin, created_at) VALUES (?, ?, ?, ?, ?)`),
		a.ID, a.Name, a.PasswordHash, boolInt(a.Admin), ts(a.Created))
	if err != nil && db.Dialect.IsUnique(err) {
		return apperr.E(op, apperr.Conflict, "an account named %q exists already", a.Name)
	}
	return db.internal(op, err)
}

func (db *DB) account(ctx context.Context, op, where string, arg string) (*store.Account, error) {
	var a store.Account
	var admin int
	var created string
	err := db.R.QueryRowContext(ctx, db.Q(`SELECT id, name, password_hash, admin, created_at FROM accounts WHERE `+where+` = ?`), arg).
		Scan(&a.ID, &a.Name, &a.PasswordHash, &admin, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.E(op, apperr.NotFound, "no such account")
	}
	if err != nil {
		return nil, db.internal(op, err)
	}
	a.Admin = admin != 0
	a.Created = parseTime(created)
	return &a, nil
}

// Account implements store.Store.
func (db *DB) Account(ctx context.Context, id string) (*store.Account, error) {
	return db.account(ctx, "account.get", "id", id)
}

// AccountByName implements store.Store.
func (db *DB) AccountByName(ctx context.Context, name string) (*store.Account, error) {
	return db.account(ctx, "account.get", "name", name)
}

// SetPassword implements store.Store.
func (db *DB) SetPassword(ctx context.Context, id, hash string) error {
	res, err := db.W.ExecContext(ctx, db.Q(`UPDATE accounts SET password_hash = ? WHERE id = ?`), hash, id)
	if err != nil {
		return db.internal("account.password", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.E("account.password", apperr.NotFound, "no such account")
	}
	return nil
}

// Accounts implements store.Store.
func (db *DB) Accounts(ctx context.Context) (int, int, error) {
	var total, admins int
	err := db.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(admin), 0) FROM accounts`).Scan(&total, &admins)
	return total, admins, db.internal("account.count", err)
}

// CreateToken implements store.Store.
func (db *DB) CreateToken(ctx context.Context, t *store.Token) error {
	if t.Created.IsZero() {
		t.Created = time.Now()
	}
	_, err := db.W.ExecContext(ctx, db.Q(`INSERT INTO tokens (hash, account_id, kind, csrf, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
		t.Hash, t.AccountID, t.Kind, t.CSRF, ts(t.Expires), ts(t.Created))
	if err != nil && db.Dialect.IsUnique(err) {
		return apperr.E("token.create", apperr.Conflict, "token exists already")
	}
	return db.internal("token.create", err)
}

// TokenAccount implements store.Store.
func (db *DB) TokenAccount(ctx context.Context, hash string, now time.Time) (*store.Token, *store.Account, error) {
	const op = "token.get"
	var t store.Token
	var a store.Account
	var exp, created, acreated string
	var admin int
	err := db.R.QueryRowContext(ctx, db.Q(`SELECT t.hash, t.account_id, t.kind, t.csrf, t.expires_at, t.created_at, a.id, a.name, a.password_hash, a.admin, a.created_at
		FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = ? AND t.expires_at > ?`), hash, ts(now)).
		Scan(&t.Hash, &t.AccountID, &t.Kind, &t.CSRF, &exp, &created, &a.ID, &a.Name, &a.PasswordHash, &admin, &acreated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, apperr.E(op, apperr.NotFound, "no such token")
	}
	if err != nil {
		return nil, nil, db.internal(op, err)
	}
	t.Expires, t.Created = parseTime(exp), parseTime(created)
	a.Admin, a.Created = admin != 0, parseTime(acreated)
	return &t, &a, nil
}

// ConsumeToken implements store.Store.
func (db *DB) ConsumeToken(ctx context.Context, hash, kind string, now time.Time) (*store.Account, error) {
	const op = "token.consume"
	var id string
	err := db.W.QueryRowContext(ctx, db.Q(`DELETE FROM tokens WHERE hash = ? AND kind = ? AND expires_at > ? RETURNING account_id`), hash, kind, ts(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.E(op, apperr.NotFound, "no such token")
	}
	if err != nil {
		return nil, db.internal(op, err)
	}
	return db.Account(ctx, id)
}

// DeleteToken implements store.Store.
func (db *DB) DeleteToken(ctx context.Context, hash string) error {
	_, err := db.W.ExecContext(ctx, db.Q(`DELETE FROM tokens WHERE hash = ?`), hash)
	return db.internal("token.delete", err)
}

// CreateNegotiation implements store.Store.
func (db *DB) CreateNegotiation(ctx context.Context, n *store.Negotiation, recs []store.Record, members []store.Member, act store.Act) error {
	const op = "negotiation.create"
	now := time.Now()
	if n.Created.IsZero() {
		n.Created = now
	}
	n.Rev = 1
	return db.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.Q(`INSERT INTO negotiations (id, title, rev, next_id, created_at) VALUES (?, ?, 1, 0, ?)`), n.ID, n.Title, ts(n.Created))
		if err != nil {
			if db.Dialect.IsUnique(err) {
				return apperr.E(op, apperr.Conflict, "a negotiation with id %q exists already", n.ID)
			}
			return err
		}
		for _, m := range members {
			if err := db.insertMember(ctx, tx, n.ID, m, now); err != nil {
				return err
			}
		}
		for _, r := range recs {
			if r.ID == "" {
				return apperr.E(op, apperr.Invalid, "a first record needs an id")
			}
			if err := db.insertRecord(ctx, tx, n.ID, &r, 1, now); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, n.ID, 1, now, act)
	})
}

func (db *DB) insertMember(ctx context.Context, tx *sql.Tx, nid string, m store.Member, now time.Time) error {
	_, err := tx.ExecContext(ctx, db.Q(`INSERT INTO members (negotiation_id, account_id, role, party, added_at) VALUES (?, ?, ?, ?, ?)`),
		nid, m.Account, m.Role, m.Party, ts(now))
	if err != nil && db.Dialect.IsUnique(err) {
		return apperr.E("member.add", apperr.Conflict, "that account is a member already")
	}
	return err
}

func (db *DB) insertRecord(ctx context.Context, tx *sql.Tx, nid string, r *store.Record, seq int64, now time.Time) error {
	r.Rev, r.Seq, r.Created, r.Updated = 1, seq, now, now
	_, err := tx.ExecContext(ctx, db.Q(`INSERT INTO records (negotiation_id, kind, id, owner, rev, doc, created_at, updated_at, updated_by, seq, changed) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`),
		nid, r.Kind, r.ID, r.Owner, string(r.Doc), ts(now), ts(now), r.By, seq, seq)
	if err != nil {
		if db.Dialect.IsUnique(err) {
			return apperr.E("record.create", apperr.Conflict, "%s %q exists already", r.Kind, r.ID)
		}
		return err
	}
	_, err = tx.ExecContext(ctx, db.Q(`INSERT INTO revisions (negotiation_id, kind, id, rev, doc, at, by_account) VALUES (?, ?, ?, 1, ?, ?, ?)`),
		nid, r.Kind, r.ID, string(r.Doc), ts(now), r.By)
	return err
}

func (db *DB) audit(ctx context.Context, tx *sql.Tx, nid string, seq int64, now time.Time, a store.Act) error {
	_, err := tx.ExecContext(ctx, db.Q(`INSERT INTO audit (negotiation_id, seq, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		nid, seq, ts(now), a.Actor, a.Action, a.Target, a.Detail)
	return err
}

// bump increments the negotiation's Rev (locking its row until the end of
// the transaction, so that writes to one negotiation are serialised) and
// returns the new Rev and the next free record number.
func (db *DB) bump(ctx context.Context, tx *sql.Tx, op, nid string, takeID bool) (rev, next int64, err error) {
	q := `UPDATE negotiations SET rev = rev + 1 WHERE id = ? RETURNING rev, next_id`
	if takeID {
		q = `UPDATE negotiations SET rev = rev + 1, next_id = next_id + 1 WHERE id = ? RETURNING rev, next_id`
	}
	err = tx.QueryRowContext(ctx, db.Q(q), nid).Scan(&rev, &next)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, apperr.E(op, apperr.NotFound, "no negotiation %q", nid)
	}
	return rev, next, err
}

// Negotiations implements store.Store.
func (db *DB) Negotiations(ctx context.Context, account string) ([]store.Negotiation, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(`SELECT n.id, n.title, n.rev, n.created_at FROM negotiations n JOIN members m ON m.negotiation_id = n.id WHERE m.account_id = ? ORDER BY n.created_at, n.id`), account)
	if err != nil {
		return nil, db.internal("negotiation.list", err)
	}
	defer rows.Close()
	ns := []store.Negotiation{}
	for rows.Next() {
		var n store.Negotiation
		var created string
		if err := rows.Scan(&n.ID, &n.Title, &n.Rev, &created); err != nil {
			return nil, db.internal("negotiation.list", err)
		}
		n.Created = parseTime(created)
		ns = append(ns, n)
	}
	return ns, db.internal("negotiation.list", rows.Err())
}

// Rev implements store.Store.
func (db *DB) Rev(ctx context.Context, id string) (int64, error) {
	var rev int64
	err := db.R.QueryRowContext(ctx, db.Q(`SELECT rev FROM negotiations WHERE id = ?`), id).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.E("negotiation.rev", apperr.NotFound, "no negotiation %q", id)
	}
	return rev, db.internal("negotiation.rev", err)
}

// Snapshot implements store.Store.
func (db *DB) Snapshot(ctx context.Context, id string) (*store.Snapshot, error) {
	return db.SnapshotSince(ctx, id, 0)
}

// SnapshotSince implements store.Store.
func (db *DB) SnapshotSince(ctx context.Context, id string, since int64) (*store.Snapshot, error) {
	const op = "negotiation.snapshot"
	tx, err := db.R.BeginTx(ctx, db.Dialect.ReadTx)
	if err != nil {
		return nil, db.internal(op, err)
	}
	defer tx.Rollback()
	var s store.Snapshot
	var created string
	err = tx.QueryRowContext(ctx, db.Q(`SELECT id, title, rev, created_at FROM negotiations WHERE id = ?`), id).
		Scan(&s.Negotiation.ID, &s.Negotiation.Title, &s.Negotiation.Rev, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.E(op, apperr.NotFound, "no negotiation %q", id)
	}
	if err != nil {
		return nil, db.internal(op, err)
	}
	s.Negotiation.Created = parseTime(created)
	rows, err := tx.QueryContext(ctx, db.Q(`SELECT account_id, role, party, added_at FROM members WHERE negotiation_id = ? ORDER BY added_at, account_id`), id)
	if err != nil {
		return nil, db.internal(op, err)
	}
	for rows.Next() {
		m := store.Member{Negotiation: id}
		var added string
		if err := rows.Scan(&m.Account, &m.Role, &m.Party, &added); err != nil {
			rows.Close()
			return nil, db.internal(op, err)
		}
		m.Added = parseTime(added)
		s.Members = append(s.Members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.internal(op, err)
	}
	rows, err = tx.QueryContext(ctx, db.Q(`SELECT kind, id, owner, rev, doc, created_at, updated_at, updated_by, seq FROM records WHERE negotiation_id = ? AND changed > ? ORDER BY seq, kind, id`), id, since)
	if err != nil {
		return nil, db.internal(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.Record
		var doc, c, u string
		if err := rows.Scan(&r.Kind, &r.ID, &r.Owner, &r.Rev, &doc, &c, &u, &r.By, &r.Seq); err != nil {
			return nil, db.internal(op, err)
		}
		r.Doc, r.Created, r.Updated = json.RawMessage(doc), parseTime(c), parseTime(u)
		s.Records = append(s.Records, r)
	}
	return &s, db.internal(op, rows.Err())
}

// AddMember implements store.Store.
func (db *DB) AddMember(ctx context.Context, m store.Member, act store.Act) (int64, error) {
	const op = "member.add"
	var rev int64
	err := db.write(ctx, op, func(tx *sql.Tx) error {
		var err error
		now := time.Now()
		if rev, _, err = db.bump(ctx, tx, op, m.Negotiation, false); err != nil {
			return err
		}
		if err := db.insertMember(ctx, tx, m.Negotiation, m, now); err != nil {
			return err
		}
		return db.audit(ctx, tx, m.Negotiation, rev, now, act)
	})
	return rev, err
}

// CreateRecord implements store.Store.
func (db *DB) CreateRecord(ctx context.Context, nid string, r store.Record, act store.Act) (store.Record, error) {
	const op = "record.create"
	err := db.write(ctx, op, func(tx *sql.Tx) error {
		now := time.Now()
		rev, next, err := db.bump(ctx, tx, op, nid, r.ID == "")
		if err != nil {
			return err
		}
		if r.ID == "" {
			r.ID = strconv.FormatInt(next, 10)
		}
		if err := db.insertRecord(ctx, tx, nid, &r, rev, now); err != nil {
			return err
		}
		if act.Target == "" {
			act.Target = r.Kind + "/" + r.ID
		}
		return db.audit(ctx, tx, nid, rev, now, act)
	})
	return r, err
}

// UpdateRecord implements store.Store.
//
// The record is written first and the negotiation's row, which serialises
// the writers of a negotiation so that its Rev numbers changes in commit
// order, is locked last, so that the lock is held for as short a time as
// can be. On PostgreSQL concurrent updates of a negotiation are written
// together, one transaction and one round trip per group (groupcommit.go).
func (db *DB) UpdateRecord(ctx context.Context, nid, kind, id string, expectRev int64, doc json.RawMessage, by string, act store.Act) (store.Record, error) {
	const op = "record.update"
	var r store.Record
	if act.Target == "" {
		act.Target = kind + "/" + id
	}
	if db.Dialect.Pipeline != nil {
		return db.updateGrouped(ctx, nid, kind, id, expectRev, doc, by, act)
	}
	err := db.write(ctx, op, func(tx *sql.Tx) error {
		now := time.Now()
		var created, owner string
		var seq int64
		err := tx.QueryRowContext(ctx, db.Q(`UPDATE records SET rev = rev + 1, doc = ?, updated_at = ?, updated_by = ? WHERE negotiation_id = ? AND kind = ? AND id = ? AND (rev = ? OR ? = 0) RETURNING rev, owner, created_at, seq`),
			string(doc), ts(now), by, nid, kind, id, expectRev, expectRev).Scan(&r.Rev, &owner, &created, &seq)
		if errors.Is(err, sql.ErrNoRows) {
			var cur int64
			err := tx.QueryRowContext(ctx, db.Q(`SELECT rev FROM records WHERE negotiation_id = ? AND kind = ? AND id = ?`), nid, kind, id).Scan(&cur)
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.E(op, apperr.NotFound, "no %s %q", kind, id)
			}
			if err != nil {
				return err
			}
			return apperr.E(op, apperr.Stale, "%s %q is at revision %d, not %d: read it again and redo the change", kind, id, cur, expectRev)
		}
		if err != nil {
			return err
		}
		r.Kind, r.ID, r.Owner, r.Doc, r.By, r.Seq = kind, id, owner, doc, by, seq
		r.Created, r.Updated = parseTime(created), now
		if _, err := tx.ExecContext(ctx, db.Q(`INSERT INTO revisions (negotiation_id, kind, id, rev, doc, at, by_account) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			nid, kind, id, r.Rev, string(doc), ts(now), by); err != nil {
			return err
		}
		rev, _, err := db.bump(ctx, tx, op, nid, false)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`UPDATE records SET changed = ? WHERE negotiation_id = ? AND kind = ? AND id = ?`), rev, nid, kind, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, nid, rev, now, act)
	})
	return r, err
}

// History implements store.Store.
func (db *DB) History(ctx context.Context, nid, kind, id string) ([]store.Revision, error) {
	const op = "record.history"
	rows, err := db.R.QueryContext(ctx, db.Q(`SELECT rev, doc, at, by_account FROM revisions WHERE negotiation_id = ? AND kind = ? AND id = ? ORDER BY rev`), nid, kind, id)
	if err != nil {
		return nil, db.internal(op, err)
	}
	defer rows.Close()
	var hs []store.Revision
	for rows.Next() {
		var h store.Revision
		var doc, at string
		if err := rows.Scan(&h.Rev, &doc, &at, &h.By); err != nil {
			return nil, db.internal(op, err)
		}
		h.Doc, h.At = json.RawMessage(doc), parseTime(at)
		hs = append(hs, h)
	}
	if err := rows.Err(); err != nil {
		return nil, db.internal(op, err)
	}
	if len(hs) == 0 {
		return nil, apperr.E(op, apperr.NotFound, "no %s %q", kind, id)
	}
	return hs, nil
}

// Audit implements store.Store.
func (db *DB) Audit(ctx context.Context, nid string, after int64, limit int) ([]store.AuditEntry, error) {
	const op = "audit.list"
	if _, err := db.Rev(ctx, nid); err != nil {
		return nil, err
	}
	rows, err := db.R.QueryContext(ctx, db.Q(`SELECT seq, at, actor, action, target, detail FROM audit WHERE negotiation_id = ? AND seq > ? ORDER BY seq LIMIT ?`), nid, after, limit)
	if err != nil {
		return nil, db.internal(op, err)
	}
	defer rows.Close()
	es := []store.AuditEntry{}
	for rows.Next() {
		var e store.AuditEntry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, db.internal(op, err)
		}
		e.At = parseTime(at)
		es = append(es, e)
	}
	return es, db.internal(op, rows.Err())
}

// Migrate applies the numbered migrations in files (name "NNNN_what.sql"
// → SQL) that the database has not seen, each in its own transaction with
// the schema_version row that records it. lock, when set, is run first in
// each transaction to keep two processes from migrating at once.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, files map[string]string, lock string) error {
	type mig struct {
		n          int
		name, body string
	}
	var ms []mig
	for name, body := range files {
		num, _, ok := strings.Cut(name, "_")
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("migrate: migration %q is not named NNNN_what.sql", name)
		}
		ms = append(ms, mig{n, name, body})
	}
	for i := 1; i <= len(ms); i++ {
		var m *mig
		for j := range ms {
			if ms[j].n == i {
				m = &ms[j]
			}
		}
		if m == nil {
			return fmt.Errorf("migrate: migration %d is missing", i)
		}
		err := func() error {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if lock != "" {
				if _, err := tx.ExecContext(ctx, lock); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
				return err
			}
			var seen int
			q := `SELECT COUNT(*) FROM schema_version WHERE version = ?`
			if d.Numbered {
				q = `SELECT COUNT(*) FROM schema_version WHERE version = $1`
			}
			if err := tx.QueryRowContext(ctx, q, m.n).Scan(&seen); err != nil {
				return err
			}
			if seen > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.body); err != nil {
				return err
			}
			q = `INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)`
			if d.Numbered {
				q = `INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)`
			}
			if _, err := tx.ExecContext(ctx, q, m.n, m.name, ts(time.Now())); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return fmt.Errorf("migrate: %s: %w", m.name, err)
		}
	}
	return nil
}
