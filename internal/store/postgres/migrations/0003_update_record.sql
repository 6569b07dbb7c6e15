-- parley_update_record writes a new revision of a record: the record, its
-- history, the negotiation's Rev and the audit log, in one call, so that no
-- round trip to the client happens while the negotiation's row is locked
-- (that lock numbers the negotiation's changes in commit order). Several
-- calls may share one transaction (the store sends concurrent updates of a
-- negotiation together, to share one commit); every call locks the
-- negotiation's row before the record's, the order of every other write,
-- so that two such transactions cannot deadlock. The record is checked
-- against the expected revision (0 takes any), which keeps concurrent
-- writers from overwriting each other.
--
-- status is 'ok' (rev is the record's new revision, nrev the
-- negotiation's), 'missing' (no such record or negotiation) or 'stale'
-- (rev is the record's current revision); neither of the last two writes
-- anything or aborts the transaction.
CREATE FUNCTION parley_update_record(
	p_nid TEXT, p_kind TEXT, p_id TEXT, p_expect BIGINT, p_doc TEXT, p_at TEXT, p_by TEXT,
	p_actor TEXT, p_action TEXT, p_target TEXT, p_detail TEXT,
	OUT status TEXT, OUT rev BIGINT, OUT owner TEXT, OUT created_at TEXT, OUT seq BIGINT, OUT nrev BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM negotiations n WHERE n.id = p_nid FOR UPDATE;
	IF NOT FOUND THEN
		status := 'missing';
		RETURN;
	END IF;
	UPDATE records r SET rev = r.rev + 1, doc = p_doc, updated_at = p_at, updated_by = p_by
		WHERE r.negotiation_id = p_nid AND r.kind = p_kind AND r.id = p_id AND (r.rev = p_expect OR p_expect = 0)
		RETURNING r.rev, r.owner, r.created_at, r.seq INTO rev, owner, created_at, seq;
	IF NOT FOUND THEN
		SELECT r.rev INTO rev FROM records r WHERE r.negotiation_id = p_nid AND r.kind = p_kind AND r.id = p_id;
		status := CASE WHEN FOUND THEN 'stale' ELSE 'missing' END;
		RETURN;
	END IF;
	INSERT INTO revisions (negotiation_id, kind, id, rev, doc, at, by_account) VALUES (p_nid, p_kind, p_id, rev, p_doc, p_at, p_by);
	UPDATE negotiations n SET rev = n.rev + 1 WHERE n.id = p_nid RETURNING n.rev INTO nrev;
	UPDATE records r SET changed = nrev WHERE r.negotiation_id = p_nid AND r.kind = p_kind AND r.id = p_id;
	INSERT INTO audit (negotiation_id, seq, at, actor, action, target, detail) VALUES (p_nid, nrev, p_at, p_actor, p_action, p_target, p_detail);
	status := 'ok';
END
$$;
