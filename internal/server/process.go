package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/internal/store"
	"parley/scenario"
)

// amendmentView is an amendment as the API shows it. The model keeps the
// mediator's reason in its Decision field; the API says what was decided
// under "decision" (accept, reject or fold) and why under
// "decision_reason", beside the proposer's own "reason".
type amendmentView struct {
	ID string `json:"id"`
	negotiation.Amendment
	// Decision is the mediator's decision, once made: the verb a decision
	// request sends.
	Decision string `json:"decision,omitempty"`
	// DecisionReason is the reason the mediator gave with it.
	DecisionReason string `json:"decision_reason,omitempty"`
}

// decisions maps a decided amendment's status to the decision that made it.
var decisions = map[string]string{
	negotiation.Accepted: "accept",
	negotiation.Rejected: "reject",
	negotiation.Folded:   "fold",
}

func amendmentOut(e negotiation.Entry[negotiation.Amendment]) amendmentView {
	return amendmentView{ID: e.ID, Amendment: e.Doc, Decision: decisions[e.Doc.Status], DecisionReason: e.Doc.Decision}
}

func (s *Server) listAmendments(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	out := []amendmentView{}
	for _, a := range st.AmendmentsFor(rd) {
		out = append(out, amendmentOut(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getAmendment(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	a, ok := st.Amendment(rd, r.PathValue("a"))
	if !ok {
		return apperr.E("amendment.get", apperr.NotFound, "no amendment %q", r.PathValue("a"))
	}
	writeJSON(w, http.StatusOK, amendmentOut(a))
	return nil
}

type amendmentRequest struct {
	Version string `json:"version"`
	Point   string `json:"point"`
	Kind    string `json:"kind"`
	Option  string `json:"option,omitempty"`
	Text    string `json:"text,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

func (s *Server) propose(w http.ResponseWriter, r *http.Request, c *call) error {
	var req amendmentRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.svc.Propose(r.Context(), c.acct, r.PathValue("n"), negotiation.Amendment{
		Version: req.Version, Point: req.Point, Kind: req.Kind, Option: req.Option, Text: req.Text, Reason: req.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, amendmentOut(a))
	return nil
}

type decisionRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason,omitempty"`
	Into     string `json:"into,omitempty"`
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, c *call) error {
	var req decisionRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.svc.Decide(r.Context(), c.acct, r.PathValue("n"), r.PathValue("a"), req.Decision, req.Reason, req.Into)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, amendmentOut(a))
	return nil
}

func (s *Server) publishAmendment(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := s.svc.PublishAmendment(r.Context(), c.acct, r.PathValue("n"), r.PathValue("a"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, amendmentOut(a))
	return nil
}

type commentView struct {
	ID string `json:"id"`
	negotiation.Comment
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	out := []commentView{}
	for _, cm := range st.CommentsFor(rd, r.URL.Query().Get("point")) {
		out = append(out, commentView{cm.ID, cm.Doc})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type commentRequest struct {
	Point  string `json:"point"`
	Parent string `json:"parent,omitempty"`
	Body   string `json:"body"`
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request, c *call) error {
	var req commentRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	cm, err := s.svc.AddComment(r.Context(), c.acct, r.PathValue("n"), negotiation.Comment{Point: req.Point, Parent: req.Parent, Body: req.Body})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, commentView{cm.ID, cm.Doc})
	return nil
}

func (s *Server) publishComment(w http.ResponseWriter, r *http.Request, c *call) error {
	cm, err := s.svc.PublishComment(r.Context(), c.acct, r.PathValue("n"), r.PathValue("c"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, commentView{cm.ID, cm.Doc})
	return nil
}

type statusRequest struct {
	Status scenario.Status `json:"status"`
}

func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, c *call) error {
	var req statusRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	e, err := s.svc.SetStatus(r.Context(), c.acct, r.PathValue("n"), r.PathValue("point"), req.Status)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e.Doc)
	return nil
}

func (s *Server) getTimeline(w http.ResponseWriter, r *http.Request, c *call) error {
	st, _, err := s.open(r, c)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(st.Timeline())
	return nil
}

func (s *Server) addEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	var ev map[string]any
	if err := decodeJSON(r, &ev); err != nil {
		return err
	}
	b, _ := json.Marshal(ev)
	if err := s.svc.AddEvent(r.Context(), c.acct, r.PathValue("n"), b); err != nil {
		return err
	}
	st, _, err := s.open(r, c)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	w.Write(st.Timeline())
	return nil
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	after, limit := int64(0), 1000
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return &apperr.Error{Op: "audit", Kind: apperr.Invalid, Msg: "bad query", Fields: []apperr.Field{{Path: "after", Detail: "must be a number ≥ 0"}}}
		}
		after = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return &apperr.Error{Op: "audit", Kind: apperr.Invalid, Msg: "bad query", Fields: []apperr.Field{{Path: "limit", Detail: "must be 1 to 10000"}}}
		}
		limit = n
	}
	es, err := s.svc.Audit(r.Context(), c.acct, r.PathValue("n"), after, limit)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(es))
	for _, e := range es {
		ids = append(ids, e.Actor)
	}
	names, err := s.svc.Names(r.Context(), ids...)
	if err != nil {
		return err
	}
	// actor_name is added beside the account id: the name people know.
	type entry struct {
		store.AuditEntry
		ActorName string `json:"actor_name"`
	}
	out := make([]entry, 0, len(es))
	for _, e := range es {
		out = append(out, entry{e, names[e.Actor]})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
