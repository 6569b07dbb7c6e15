-- The negotiation revision at which each record last changed, so that a
-- server can read only what changed since the state it holds.
ALTER TABLE records ADD COLUMN changed BIGINT NOT NULL DEFAULT 0;
UPDATE records SET changed = (SELECT n.rev FROM negotiations n WHERE n.id = records.negotiation_id);
CREATE INDEX records_changed ON records(negotiation_id, changed);
