package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/jobs"
)

type jobRequest struct {
	Kind    string `json:"kind"`
	Version string `json:"version,omitempty"`
}

func (s *Server) createJob(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "job.create"
	var req jobRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	if !access.Can(rd, access.Analyze, access.Resource{}) {
		return apperr.E(op, apperr.Forbidden, "a %s may not analyse", rd.Role)
	}
	if req.Kind != "analysis" {
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "unknown job", Fields: []apperr.Field{{Path: "kind", Detail: "must be analysis"}}}
	}
	if _, ok := st.Scenario(rd).Version(req.Version); !ok {
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "unknown version", Fields: []apperr.Field{{Path: "version", Detail: "no version " + strconv.Quote(req.Version)}}}
	}
	if s.jobs == nil {
		return apperr.E(op, apperr.Conflict, "this server runs no background jobs")
	}
	id, err := s.jobs.Enqueue(r.Context(), jobs.AnalysisArgs{Negotiation: st.ID, Version: req.Version, Account: c.acct.ID})
	if err != nil {
		return err
	}
	loc := "/api/negotiations/" + st.ID + "/jobs/" + strconv.FormatInt(id, 10)
	w.Header().Set("Location", loc)
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "state": "available", "href": loc})
	return nil
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "job.get"
	st, _, err := s.open(r, c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("job"), 10, 64)
	if err != nil || s.jobs == nil {
		return apperr.E(op, apperr.NotFound, "no job %q", r.PathValue("job"))
	}
	j, err := s.jobs.Job(r.Context(), id)
	if err != nil {
		return err
	}
	// A job is its requester's: its result is what they may see.
	if j.Args.Negotiation != st.ID || j.Args.Account != c.acct.ID {
		return apperr.E(op, apperr.NotFound, "no job %d", id)
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// RunAnalysis is the work of an analysis job: the analysis of a version as
// the requesting member sees the negotiation now.
func (s *Server) RunAnalysis(ctx context.Context, args jobs.AnalysisArgs) (json.RawMessage, error) {
	acct, err := s.store.Account(ctx, args.Account)
	if err != nil {
		return nil, err
	}
	st, rd, err := s.svc.Open(ctx, acct, args.Negotiation)
	if err != nil {
		return nil, err
	}
	b, err := s.analysisFor(ctx, st, rd, args.Version)
	return b, err
}
