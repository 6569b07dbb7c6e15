-- Accounts, tokens, negotiations with their members, records (each a JSON
-- document of the model) with every revision, and the audit log.
CREATE TABLE accounts (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	admin INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);
CREATE TABLE tokens (
	hash TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	csrf TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX tokens_account ON tokens(account_id);
CREATE TABLE negotiations (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	rev BIGINT NOT NULL,
	next_id BIGINT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE members (
	negotiation_id TEXT NOT NULL REFERENCES negotiations(id) ON DELETE CASCADE,
	account_id TEXT NOT NULL REFERENCES accounts(id),
	role TEXT NOT NULL,
	party TEXT NOT NULL,
	added_at TEXT NOT NULL,
	PRIMARY KEY (negotiation_id, account_id)
);
CREATE INDEX members_account ON members(account_id);
CREATE TABLE records (
	negotiation_id TEXT NOT NULL REFERENCES negotiations(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	id TEXT NOT NULL,
	owner TEXT NOT NULL,
	rev BIGINT NOT NULL,
	doc TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	seq BIGINT NOT NULL,
	PRIMARY KEY (negotiation_id, kind, id)
);
CREATE TABLE revisions (
	negotiation_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	id TEXT NOT NULL,
	rev BIGINT NOT NULL,
	doc TEXT NOT NULL,
	at TEXT NOT NULL,
	by_account TEXT NOT NULL,
	PRIMARY KEY (negotiation_id, kind, id, rev),
	FOREIGN KEY (negotiation_id, kind, id) REFERENCES records(negotiation_id, kind, id) ON DELETE CASCADE
);
CREATE TABLE audit (
	negotiation_id TEXT NOT NULL REFERENCES negotiations(id) ON DELETE CASCADE,
	seq BIGINT NOT NULL,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT NOT NULL,
	PRIMARY KEY (negotiation_id, seq)
);
