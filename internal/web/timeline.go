package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"parley/internal/apperr"
	"parley/scenario"
)

// addEvent puts a meeting or round on the timeline (the mediator's).
// The event's id is made from its date, unique on the timeline.
func (u *UI) addEvent(q *req) error {
	const op = "timeline.add"
	f := q.r.PostForm
	e := scenario.Event{Date: strings.TrimSpace(f.Get("date")), End: strings.TrimSpace(f.Get("end")),
		Title: strings.TrimSpace(f.Get("title")), Place: strings.TrimSpace(f.Get("place")),
		Version: f.Get("version"), Outcome: strings.TrimSpace(f.Get("outcome")),
		Approximate: f.Get("approximate") == "on"}
	// Each party once, whatever the form sent.
	for _, p := range f["party"] {
		if !slices.Contains(e.Parties, p) {
			e.Parties = append(e.Parties, p)
		}
	}
	bad := &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid meeting or round"}
	if e.Date == "" {
		bad.Fields = append(bad.Fields, apperr.Field{Path: "date", Detail: "give the first day"})
	}
	if e.Title == "" {
		bad.Fields = append(bad.Fields, apperr.Field{Path: "title", Detail: "give a title"})
	}
	if len(bad.Fields) > 0 {
		return bad
	}
	taken := map[string]bool{}
	for _, ev := range q.st.Scenario(q.rd).Timeline {
		taken[ev.ID] = true
	}
	e.ID = "event-" + e.Date
	for i := 2; taken[e.ID]; i++ {
		e.ID = fmt.Sprintf("event-%s-%d", e.Date, i)
	}
	doc, err := json.Marshal(e)
	if err != nil {
		return apperr.Wrap(op, apperr.Internal, err, "the event cannot be encoded")
	}
	if err := u.svc.AddEvent(q.r.Context(), q.acct, q.st.ID, doc); err != nil {
		return err
	}
	return back(q, q.base()+"/text#tl-h", fmt.Sprintf("%s on %s is on the timeline.", e.Title, e.Date))
}
