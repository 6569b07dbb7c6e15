package negotiation

import (
	"context"
	"encoding/json"
	"math"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/store"
)

// ReservationDoc is a party's reservation value (its utility of no
// agreement, in [0,1]) as the party itself set it. It is private to the
// party and the mediator unless Shared. Each change is a new revision of
// the record, so the history of the value is the record's history, as
// with positions.
type ReservationDoc struct {
	Value  float64 `json:"value"`
	Shared bool    `json:"shared"`
}

// SetReservation sets a party's reservation value and whether it is
// shared; ifRev is the revision the writer read (0: whatever is current).
// The party's delegate and the mediator may set it. The old values stay
// in the history and the audit log records each change.
func (s *Service) SetReservation(ctx context.Context, acct *store.Account, id, party string, doc ReservationDoc, ifRev int64) (int64, error) {
	const op = "reservation.set"
	st, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return 0, err
	}
	if _, ok := st.full.Party(party); !ok {
		return 0, apperr.E(op, apperr.NotFound, "no party %q", party)
	}
	if !access.Can(r, access.WritePosition, access.Resource{Owner: party}) {
		return 0, apperr.E(op, apperr.Forbidden, "%s may not set the reservation value of %q", r.Role.Someone(), party)
	}
	if math.IsNaN(doc.Value) || doc.Value < 0 || doc.Value > 1 {
		return 0, &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "invalid reservation value",
			Fields: []apperr.Field{{Path: "value", Detail: "must be a number from 0 to 1"}}}
	}
	// The audit log says who changed the value and whether it is shared,
	// never the value itself.
	act := store.Act{Actor: acct.ID, Action: op, Target: "reservation/" + party, Detail: "private"}
	if doc.Shared {
		act.Detail = "shared"
	}
	cur, exists := st.Reservations[party]
	if !exists {
		rec, err := s.Store.CreateRecord(ctx, id, store.Record{Kind: KindReservation, ID: party, Owner: party, Doc: encode(doc), By: acct.ID}, act)
		if apperr.Is(err, apperr.Conflict) {
			return 0, apperr.E(op, apperr.Stale, "the reservation value of %q was set meanwhile: read it again and redo the change", party)
		}
		return rec.Rev, err
	}
	if ifRev == 0 {
		ifRev = cur.Rev
	}
	rec, err := s.Store.UpdateRecord(ctx, id, KindReservation, party, ifRev, encode(doc), acct.ID, act)
	return rec.Rev, err
}

// ReservationHistory lists the values a party has set that r may see:
// all of them for the party and the mediator; for others, only those that
// were shared at the time.
func (s *Service) ReservationHistory(ctx context.Context, acct *store.Account, id, party string) ([]store.Revision, error) {
	const op = "reservation.history"
	_, r, err := s.Open(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	revs, err := s.Store.History(ctx, id, KindReservation, party)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	var out []store.Revision
	for _, h := range revs {
		var doc ReservationDoc
		if err := json.Unmarshal(h.Doc, &doc); err != nil {
			return nil, apperr.Wrap(op, apperr.Internal, err, "stored reservation value is unreadable")
		}
		if access.Can(r, access.ReadPosition, access.Resource{Owner: party, Published: doc.Shared}) {
			out = append(out, h)
		}
	}
	return out, nil
}
