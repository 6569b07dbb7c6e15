package web

import (
	"slices"
	"strings"

	"parley/internal/access"
)

// auditShown is how many of the latest changes the living text lists.
const auditShown = 50

// auditRow is one line of the audit log as the mediator reads it.
type auditRow struct {
	At, Who, Action, Target, Detail string
}

// recentAudit lists the latest changes of the negotiation, newest first,
// each naming its author by the account's display name. Only the
// mediator reads the audit log; others get none.
func (u *UI) recentAudit(q *req) ([]auditRow, error) {
	if !access.Can(q.rd, access.ReadAudit, access.Resource{}) {
		return nil, nil
	}
	es, err := u.svc.Audit(q.r.Context(), q.acct, q.st.ID, max(0, q.st.Rev-auditShown), auditShown)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range es {
		ids = append(ids, e.Actor)
		if acct, ok := strings.CutPrefix(e.Target, "member/"); ok {
			ids = append(ids, acct)
		}
	}
	names, err := u.svc.Names(q.r.Context(), ids...)
	if err != nil {
		return nil, err
	}
	rows := make([]auditRow, 0, len(es))
	for _, e := range slices.Backward(es) {
		who := names[e.Actor]
		if who == "" {
			who = e.Actor
		}
		target := e.Target
		// A membership names its account: by the name people know too.
		if acct, ok := strings.CutPrefix(target, "member/"); ok && names[acct] != "" {
			target = "member/" + names[acct]
		}
		rows = append(rows, auditRow{At: e.At.UTC().Format("2006-01-02 15:04"), Who: who, Action: e.Action, Target: target, Detail: e.Detail})
	}
	return rows, nil
}
