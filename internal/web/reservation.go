package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/scenario"
)

// reservationRow is one party's reservation value as the mediator's desk
// shows and sets it.
type reservationRow struct {
	Party, Name string
	Value       float64
	// Set is whether the value was set in parley (by the party or the
	// mediator) rather than read from the scenario file; Shared, Rev, By
	// and At are that setting's.
	Set     bool
	Shared  bool
	Rev     int64
	By, At  string
	WhoSees []string
}

// reservationRows lists the reservation value of every party that
// bargains (the mediator's own party too, when it does) for the mediator,
// with who can see each.
func (u *UI) reservationRows(ctx context.Context, q *req, sc *scenario.Scenario) ([]reservationRow, error) {
	var rows []reservationRow
	var by []string
	for _, p := range sc.Parties {
		if !p.Counted() {
			continue
		}
		r := reservationRow{Party: p.ID, Name: p.Name, Value: p.Reservation, WhoSees: []string{"the mediator"}}
		if p.Role == scenario.RoleParty || delegated(q.st, p.ID) {
			r.WhoSees = []string{"the delegation of " + p.Name, "the mediator"}
		}
		if e, ok := q.st.Reservations[p.ID]; ok {
			r.Set, r.Shared, r.Rev, r.Value = true, e.Doc.Shared, e.Rev, e.Doc.Value
			r.By, r.At = e.Rec.By, e.Rec.Updated.UTC().Format("2006-01-02 15:04")
			by = append(by, e.Rec.By)
			if e.Doc.Shared {
				r.WhoSees = append(r.WhoSees, "every member of the negotiation (shared)")
			}
		} else if q.st.ReservationOpen(p.ID) {
			r.WhoSees = append(r.WhoSees, "every member of the negotiation (it goes with "+p.Name+"'s shared positions until it is set here)")
		}
		rows = append(rows, r)
	}
	names, err := u.svc.Names(ctx, by...)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if rows[i].By != "" {
			rows[i].By = names[rows[i].By]
		}
	}
	return rows, nil
}

// delegated reports whether some member is a delegate of party: a
// mediator's own party usually has none, the mediator speaking for it.
func delegated(st *negotiation.State, party string) bool {
	for _, m := range st.Members {
		if access.Role(m.Role) == access.Party && m.Party == party {
			return true
		}
	}
	return false
}

// saveReservation sets a reservation value and its share switch: a
// party's delegate its own, from the workspace; the mediator any party's,
// from the desk.
func (u *UI) saveReservation(q *req) error {
	const op = "reservation.save"
	f := q.r.PostForm
	party, field, to := q.rd.Party, "reservation value", q.base()+"/workspace#res-h"
	var name string
	switch q.rd.Role {
	case access.Party:
	case access.Mediator:
		party = f.Get("party")
		if _, ok := q.st.Scenario(q.rd).Party(party); !ok {
			return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid reservation value",
				Fields: []apperr.Field{{Path: "party", Detail: "pick a party of the negotiation"}}}
		}
		field, to = "reservation value of "+party, q.base()+"/desk?reservation="+url.QueryEscape(party)+"#rv-"+party
		p, _ := q.st.Scenario(q.rd).Party(party)
		name = p.Name
	default:
		return apperr.E(op, apperr.Forbidden, "%s may not set a reservation value", q.rd.Role.Someone())
	}
	doc, rev, err := reservationForm(f, field)
	if err != nil {
		return err
	}
	if _, err := u.svc.SetReservation(q.r.Context(), q.acct, q.st.ID, party, doc, rev); err != nil {
		return err
	}
	if q.rd.Role == access.Mediator {
		who := "the mediator"
		if p, _ := q.st.Scenario(q.rd).Party(party); p.Role == scenario.RoleParty || delegated(q.st, party) {
			who = "the delegation of " + name + " and the mediator"
		}
		if doc.Shared {
			who = "every member of the negotiation"
		}
		return back(q, to, "Reservation value of "+name+" saved. Who can see it: "+who+".")
	}
	who := "your delegation and the mediator"
	if doc.Shared {
		who = "every member of the negotiation"
	}
	return back(q, to, "Reservation value saved. Who can see it: "+who+".")
}

// reservationHistory lists the values of a party's reservation value the
// reader may see, newest first, each with who set it.
func (u *UI) reservationHistory(q *req, party string) ([]reservationChange, error) {
	hs, err := u.svc.ReservationHistory(q.r.Context(), q.acct, q.st.ID, party)
	if err != nil {
		return nil, err
	}
	var by []string
	for _, h := range hs {
		by = append(by, h.By)
	}
	names, err := u.svc.Names(q.r.Context(), by...)
	if err != nil {
		return nil, err
	}
	var out []reservationChange
	for i := len(hs) - 1; i >= 0; i-- {
		var doc negotiation.ReservationDoc
		if err := json.Unmarshal(hs[i].Doc, &doc); err != nil {
			return nil, apperr.Wrap("reservation.history", apperr.Internal, err, "stored reservation value is unreadable")
		}
		out = append(out, reservationChange{At: hs[i].At.UTC().Format("2006-01-02 15:04"), Value: doc.Value, Shared: doc.Shared, By: names[hs[i].By]})
	}
	return out, nil
}

// reservationForm reads a reservation form: the value, a number from 0 to
// 1 (field names it in the error), the share switch, and the revision the
// form was drawn from (0, whatever is current, when absent or unreadable;
// the store refuses any other that is not current as stale).
func reservationForm(f url.Values, field string) (negotiation.ReservationDoc, int64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(f.Get("value")), 64)
	if err != nil || !(v >= 0 && v <= 1) { // NaN too
		return negotiation.ReservationDoc{}, 0, &apperr.Error{Op: "reservation.save", Kind: apperr.Invalid, Msg: "invalid reservation value",
			Fields: []apperr.Field{{Path: field, Detail: "a number from 0 to 1"}}}
	}
	rev, _ := strconv.ParseInt(f.Get("rev"), 10, 64)
	return negotiation.ReservationDoc{Value: v, Shared: f.Get("shared") == "on"}, rev, nil
}
