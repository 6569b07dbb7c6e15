package server

import (
	"encoding/json"
	"net/http"
	"time"

	"parley/internal/apperr"
	"parley/internal/negotiation"
)

func (s *Server) listPositions(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	out := map[string]negotiation.PositionDoc{}
	for _, p := range st.Head.Doc.Parties {
		if doc, _, ok := st.PositionsOf(rd, p.ID); ok {
			out[p.ID] = doc
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getPosition(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	party := r.PathValue("party")
	doc, rev, ok := st.PositionsOf(rd, party)
	if !ok {
		return apperr.E("position.get", apperr.NotFound, "no position of %q", party)
	}
	// The ETag is the revision of the party's record: only the party and
	// the mediator, who see all of it, may write it.
	w.Header().Set("ETag", etag(rev))
	writeJSON(w, http.StatusOK, doc)
	return nil
}

func (s *Server) putPosition(w http.ResponseWriter, r *http.Request, c *call) error {
	rev, err := ifMatch(r)
	if err != nil {
		return err
	}
	var doc negotiation.PositionDoc
	if err := decodeJSON(r, &doc); err != nil {
		return err
	}
	party := r.PathValue("party")
	for i := range doc.Positions {
		if doc.Positions[i].Party == "" {
			doc.Positions[i].Party = party
		}
	}
	newRev, err := s.svc.PutPositions(r.Context(), c.acct, r.PathValue("n"), party, doc, rev)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(newRev))
	writeJSON(w, http.StatusOK, doc)
	return nil
}

type revisionView struct {
	Rev       int64           `json:"rev"`
	At        time.Time       `json:"at"`
	By        string          `json:"by"`
	ByName    string          `json:"by_name"` // the account's display name
	Positions json.RawMessage `json:"positions"`
}

func (s *Server) positionHistory(w http.ResponseWriter, r *http.Request, c *call) error {
	hs, err := s.svc.PositionHistory(r.Context(), c.acct, r.PathValue("n"), r.PathValue("party"))
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(hs))
	for _, h := range hs {
		ids = append(ids, h.By)
	}
	names, err := s.svc.Names(r.Context(), ids...)
	if err != nil {
		return err
	}
	out := []revisionView{}
	for _, h := range hs {
		var doc struct {
			Positions json.RawMessage `json:"positions"`
		}
		json.Unmarshal(h.Doc, &doc)
		out = append(out, revisionView{Rev: h.Rev, At: h.At, By: h.By, ByName: names[h.By], Positions: doc.Positions})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
