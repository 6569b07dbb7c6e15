package sqldb

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"parley/internal/apperr"
	"parley/internal/store"
)

// Group commit of record updates on PostgreSQL.
//
// The writers of one negotiation are serialised by its row lock, held until
// commit, so that its Rev numbers changes in commit order: a reader that
// has seen Rev n has seen every change up to n, which the servers' caches
// and their reads of only what changed rely on. With one transaction per
// update, updates of a negotiation could go no faster than one commit
// (one WAL flush) each. Instead, the updates of a negotiation that arrive
// while its previous group is being written wait and are then written
// together, each still checked against its own expected revision and given
// its own Rev and audit entry, in one transaction sent in one round trip.

// groupTimeout bounds the writing of one group. It does not come from a
// request, so that a client that goes away does not abort the updates of
// others written with its own.
const groupTimeout = 30 * time.Second

// updateQuery is one update in a group: see migrations/0003 of the
// PostgreSQL store.
const updateQuery = `SELECT status, rev, owner, created_at, seq, nrev FROM parley_update_record($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

type update struct {
	args []any
	done chan struct{}
	// Set before done is closed.
	status        string
	rev, seq      int64
	owner, create string
	err           error
}

// groups queues updates by negotiation.
type groups struct {
	mu      sync.Mutex
	pending map[string][]*update
	writing map[string]bool
}

// updateGrouped is UpdateRecord through the group commit.
func (db *DB) updateGrouped(ctx context.Context, nid, kind, id string, expectRev int64, doc json.RawMessage, by string, act store.Act) (store.Record, error) {
	const op = "record.update"
	now := time.Now()
	u := &update{
		args: []any{nid, kind, id, expectRev, string(doc), ts(now), by, act.Actor, act.Action, act.Target, act.Detail},
		done: make(chan struct{}),
	}
	g := &db.groups
	g.mu.Lock()
	if g.pending == nil {
		g.pending, g.writing = map[string][]*update{}, map[string]bool{}
	}
	g.pending[nid] = append(g.pending[nid], u)
	if !g.writing[nid] {
		g.writing[nid] = true
		go db.writeGroups(nid)
	}
	g.mu.Unlock()
	<-u.done
	if u.err != nil {
		return store.Record{}, db.internal(op, u.err)
	}
	switch u.status {
	case "ok":
	case "missing":
		return store.Record{}, apperr.E(op, apperr.NotFound, "no %s %q", kind, id)
	case "stale":
		return store.Record{}, apperr.E(op, apperr.Stale, "%s %q is at revision %d, not %d: read it again and redo the change", kind, id, u.rev, expectRev)
	default:
		return store.Record{}, apperr.E(op, apperr.Internal, "record update answered %q", u.status)
	}
	return store.Record{
		Kind: kind, ID: id, Owner: u.owner, Rev: u.rev, Doc: doc,
		Created: parseTime(u.create), Updated: now, By: by, Seq: u.seq,
	}, nil
}

// writeGroups writes the negotiation's pending updates, group after
// group, until none is left.
func (db *DB) writeGroups(nid string) {
	g := &db.groups
	for {
		g.mu.Lock()
		us := g.pending[nid]
		delete(g.pending, nid)
		if len(us) == 0 {
			delete(g.writing, nid)
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		db.writeGroup(us)
	}
}

// writeGroup writes one group in one transaction and wakes its writers.
func (db *DB) writeGroup(us []*update) {
	ctx, cancel := context.WithTimeout(context.Background(), groupTimeout)
	defer cancel()
	args := make([][]any, len(us))
	for i, u := range us {
		args[i] = u.args
	}
	err := db.Dialect.Pipeline(ctx, db.W, updateQuery, args, func(i int, scan func(dest ...any) error) error {
		u := us[i]
		var rev, seq *int64
		var owner, created *string
		if err := scan(&u.status, &rev, &owner, &created, &seq, new(*int64)); err != nil {
			return err
		}
		if rev != nil {
			u.rev = *rev
		}
		if seq != nil {
			u.seq = *seq
		}
		if owner != nil {
			u.owner = *owner
		}
		if created != nil {
			u.create = *created
		}
		return nil
	})
	for _, u := range us {
		// An error is the whole transaction's: nothing was written.
		u.err = err
		close(u.done)
	}
}
