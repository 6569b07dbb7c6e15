// Package store is the storage the server needs: accounts and their
// tokens, and negotiations held as records (the versions, positions,
// amendments, comments, votes … of package negotiation, each a JSON
// document of the model) with every revision kept and an append-only audit
// log. Packages store/sqlite and store/postgres implement it over the
// shared SQL of store/sqldb; store/storetest is the suite both pass.
//
// Every error a caller may react to is an *apperr.Error; the methods say
// which kinds they return.
package store

import (
	"context"
	"encoding/json"
	"time"
)

// Account is a person who can sign in.
type Account struct {
	ID   string
	Name string
	// PasswordHash is an encoded argon2id hash; empty for an account that
	// signs in only with tokens.
	PasswordHash string
	Admin        bool
	Created      time.Time
}

// Token kinds.
const (
	TokenSession = "session" // a browser or API session, from a sign-in
	TokenAPI     = "api"     // a long-lived API token
	TokenSignIn  = "signin"  // a one-time sign-in, consumed on use
)

// Token is a secret that stands for an account. Only its hash is stored.
type Token struct {
	Hash      string
	AccountID string
	Kind      string
	// CSRF is the token a browser session must echo on unsafe requests.
	CSRF    string
	Expires time.Time
	Created time.Time
}

// Member is an account's place in one negotiation.
type Member struct {
	Negotiation string
	Account     string
	Role        string // mediator, party or observer
	Party       string // the party the member speaks for; empty for none
	Added       time.Time
}

// Negotiation is the row of one negotiation. Rev grows by one with every
// change to anything in it, so that (ID, Rev) names one state.
type Negotiation struct {
	ID      string
	Title   string
	Rev     int64
	Created time.Time
}

// Record is one document of a negotiation: its kind ("version",
// "position", "amendment" …), its id within the kind, the party or account
// that owns it, and the JSON document itself. Rev counts its revisions
// from 1.
type Record struct {
	Kind    string
	ID      string
	Owner   string
	Rev     int64
	Doc     json.RawMessage
	Created time.Time
	Updated time.Time
	By      string // the account that made the last revision
	// Seq is the negotiation's Rev when the record was created: records
	// sort in the order they were made.
	Seq int64
}

// Revision is one revision of a record.
type Revision struct {
	Rev int64
	Doc json.RawMessage
	At  time.Time
	By  string
}

// Act describes a change for the audit log. Detail must never hold
// private content (positions, wording of unpublished amendments, votes).
type Act struct {
	Actor  string // account id
	Action string // for example "position.put"
	Target string // for example "position/ua"
	Detail string
}

// AuditEntry is one line of a negotiation's audit log. Seq is the
// negotiation's Rev after the change it records.
type AuditEntry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail,omitempty"`
}

// Snapshot is the whole state of a negotiation at one Rev.
type Snapshot struct {
	Negotiation Negotiation
	Members     []Member
	Records     []Record // in order of Seq
}

// Store is the storage of the server. Methods return apperr kinds:
// NotFound for a missing account, token, negotiation or record; Conflict
// for an id or name already taken; Stale when an expected revision does
// not match; Internal for everything else.
type Store interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error

	// CreateAccount adds an account (Conflict if the id or name is taken).
	CreateAccount(ctx context.Context, a *Account) error
	Account(ctx context.Context, id string) (*Account, error)
	AccountByName(ctx context.Context, name string) (*Account, error)
	// SetPassword replaces an account's password hash.
	SetPassword(ctx context.Context, id, hash string) error
	// Accounts counts the accounts and the administrators among them.
	Accounts(ctx context.Context) (total, admins int, err error)

	CreateToken(ctx context.Context, t *Token) error
	// TokenAccount returns an unexpired token and its account.
	TokenAccount(ctx context.Context, hash string, now time.Time) (*Token, *Account, error)
	// ConsumeToken deletes an unexpired token of the given kind and
	// returns its account: a second call with the same hash is NotFound.
	ConsumeToken(ctx context.Context, hash, kind string, now time.Time) (*Account, error)
	DeleteToken(ctx context.Context, hash string) error

	// CreateNegotiation adds a negotiation with its first records and
	// members, at Rev 1 (Conflict if the id is taken).
	CreateNegotiation(ctx context.Context, n *Negotiation, recs []Record, members []Member, act Act) error
	// Negotiations lists the negotiations the account is a member of.
	Negotiations(ctx context.Context, account string) ([]Negotiation, error)
	// Rev returns the negotiation's current Rev.
	Rev(ctx context.Context, id string) (int64, error)
	// Snapshot reads the whole negotiation in one consistent read.
	Snapshot(ctx context.Context, id string) (*Snapshot, error)
	// SnapshotSince is Snapshot with only the records changed after
	// negotiation revision since (all members, always).
	SnapshotSince(ctx context.Context, id string, since int64) (*Snapshot, error)
	// AddMember adds a member (Conflict if the account is one already).
	AddMember(ctx context.Context, m Member, act Act) (rev int64, err error)

	// CreateRecord adds a record at Rev 1. An empty ID is replaced by the
	// next number of the negotiation. Conflict if the id is taken.
	CreateRecord(ctx context.Context, negotiation string, r Record, act Act) (Record, error)
	// UpdateRecord writes a new revision of a record whose Rev is
	// expectRev (Stale otherwise; 0 accepts any), keeping the old one in
	// its history.
	UpdateRecord(ctx context.Context, negotiation, kind, id string, expectRev int64, doc json.RawMessage, by string, act Act) (Record, error)
	// History lists a record's revisions, oldest first.
	History(ctx context.Context, negotiation, kind, id string) ([]Revision, error)
	// Audit lists the audit log from entry after+1, at most limit entries.
	Audit(ctx context.Context, negotiation string, after int64, limit int) ([]AuditEntry, error)
}
