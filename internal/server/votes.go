package server

import (
	"net/http"

	"parley/internal/apperr"
	"parley/internal/negotiation"
)

func (s *Server) listVotes(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st.VotesFor(rd))
	return nil
}

func (s *Server) getVote(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	vv, ok := st.VoteView(rd, r.PathValue("vote"))
	if !ok {
		return apperr.E("vote.get", apperr.NotFound, "no vote %q", r.PathValue("vote"))
	}
	writeJSON(w, http.StatusOK, vv)
	return nil
}

type voteRequest struct {
	Kind     string            `json:"kind"`
	Version  string            `json:"version"`
	Package  map[string]string `json:"package,omitempty"`
	Question string            `json:"question,omitempty"`
}

func (s *Server) callVote(w http.ResponseWriter, r *http.Request, c *call) error {
	var req voteRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	e, err := s.svc.CallVote(r.Context(), c.acct, r.PathValue("n"), negotiation.Vote{Kind: req.Kind, Version: req.Version, Package: req.Package, Question: req.Question})
	if err != nil {
		return err
	}
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	vv, _ := st.VoteView(rd, e.ID)
	writeJSON(w, http.StatusCreated, vv)
	return nil
}

type ballotRequest struct {
	Answer     *bool               `json:"answer,omitempty"`
	Acceptable []map[string]string `json:"acceptable,omitempty"`
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, c *call) error {
	var req ballotRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	vv, err := s.svc.Answer(r.Context(), c.acct, r.PathValue("n"), r.PathValue("vote"), req.Answer, req.Acceptable)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, vv)
	return nil
}
