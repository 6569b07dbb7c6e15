package server

import (
	"net/http"

	"parley/internal/negotiation"
)

// putReservation sets a party's reservation value and its share switch.
func (s *Server) putReservation(w http.ResponseWriter, r *http.Request, c *call) error {
	rev, err := ifMatch(r)
	if err != nil {
		return err
	}
	var doc negotiation.ReservationDoc
	if err := decodeJSON(r, &doc); err != nil {
		return err
	}
	newRev, err := s.svc.SetReservation(r.Context(), c.acct, r.PathValue("n"), r.PathValue("party"), doc, rev)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(newRev))
	writeJSON(w, http.StatusOK, doc)
	return nil
}
