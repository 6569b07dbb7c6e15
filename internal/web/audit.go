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
	parties := map[string]string{}
	for _, p := range q.st.Scenario(q.rd).Parties {
		parties[p.ID] = p.Name
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
		rows = append(rows, auditRow{At: e.At.UTC().Format("2006-01-02 15:04"), Who: who, Action: e.Action, Target: target, Detail: auditDetail(e.Action, e.Detail, parties)})
	}
	return rows, nil
}

// auditDetail says an entry's detail in words: the parties a version went
// to by name ("Ukraine and Russia", not "[ua ru]"), the role a member was
// given, a status without underscores. A detail it does not know is shown
// as recorded.
func auditDetail(action, detail string, parties map[string]string) string {
	name := func(id string) string {
		if n := parties[id]; n != "" {
			return n
		}
		return id
	}
	switch action {
	case "version.share":
		// Recorded as a list: "[ua ru]".
		ids := strings.Fields(strings.NewReplacer("[", " ", "]", " ", ",", " ").Replace(detail))
		if len(ids) == 0 {
			return detail
		}
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = name(id)
		}
		return "with " + sayList(names)
	case "member.add":
		// Recorded as "ROLE PARTY": "party ua", "observer ".
		role, party, _ := strings.Cut(strings.TrimSpace(detail), " ")
		switch {
		case role == "party" && party != "":
			return "as the delegate of " + name(party)
		case role == "mediator" && party != "":
			return "as the mediator, for " + name(party)
		case role == "mediator":
			return "as the mediator"
		case role == "observer":
			return "as an observer"
		}
	case "reservation.set":
		switch detail {
		case "shared":
			return "shared with every member"
		case "private":
			return "private"
		}
	}
	return strings.ReplaceAll(detail, "_", " ")
}

// sayList joins words as a sentence does: "a", "a and b", "a, b and c".
func sayList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
