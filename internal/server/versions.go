package server

import (
	"net/http"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/scenario"
)

func (s *Server) listVersions(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, versionsFor(st, rd))
	return nil
}

type versionView struct {
	Version   scenario.Version `json:"version"`
	Draft     bool             `json:"draft"`
	Published any              `json:"published,omitempty"`
	Audience  any              `json:"audience"`
	Rev       int64            `json:"rev"`
}

func writeVersion(w http.ResponseWriter, rd access.Reader, e negotiation.Entry[negotiation.VersionDoc], code int) {
	w.Header().Set("ETag", etag(e.Rev))
	v := versionView{Version: e.Doc.Version, Draft: e.Doc.Published == nil, Audience: audienceFor(rd, e.Doc.Audience), Rev: e.Rev}
	if e.Doc.Published != nil {
		v.Published = e.Doc.Published
	}
	writeJSON(w, code, v)
}

func (s *Server) getVersion(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	id := r.PathValue("v")
	e, ok := st.Version(id)
	if !ok || !access.SeesVersion(rd, id, st.Audience(), st.Head.Doc.Parties) {
		return apperr.E("version.get", apperr.NotFound, "no version %q", id)
	}
	// The parent is named only if the reader may see it.
	if !access.SeesVersion(rd, e.Doc.Version.Parent, st.Audience(), st.Head.Doc.Parties) {
		e.Doc.Version.Parent = ""
	}
	writeVersion(w, rd, e, http.StatusOK)
	return nil
}

func (s *Server) createVersion(w http.ResponseWriter, r *http.Request, c *call) error {
	var v scenario.Version
	if err := decodeJSON(r, &v); err != nil {
		return err
	}
	e, err := s.svc.CreateDraft(r.Context(), c.acct, r.PathValue("n"), v)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/negotiations/"+r.PathValue("n")+"/versions/"+e.ID)
	writeVersion(w, access.Reader{Role: access.Mediator}, e, http.StatusCreated)
	return nil
}

func (s *Server) editVersion(w http.ResponseWriter, r *http.Request, c *call) error {
	rev, err := ifMatch(r)
	if err != nil {
		return err
	}
	var v scenario.Version
	if err := decodeJSON(r, &v); err != nil {
		return err
	}
	if v.ID == "" {
		v.ID = r.PathValue("v")
	}
	if v.ID != r.PathValue("v") {
		return &apperr.Error{Op: "version.edit", Kind: apperr.Invalid, Msg: "the id does not match the path", Fields: []apperr.Field{{Path: "id", Detail: "must be " + r.PathValue("v")}}}
	}
	e, err := s.svc.EditDraft(r.Context(), c.acct, r.PathValue("n"), v, rev)
	if err != nil {
		return err
	}
	writeVersion(w, access.Reader{Role: access.Mediator}, e, http.StatusOK)
	return nil
}

func (s *Server) publishVersion(w http.ResponseWriter, r *http.Request, c *call) error {
	e, err := s.svc.Publish(r.Context(), c.acct, r.PathValue("n"), r.PathValue("v"))
	if err != nil {
		return err
	}
	writeVersion(w, access.Reader{Role: access.Mediator}, e, http.StatusOK)
	return nil
}

type shareRequest struct {
	Parties []string `json:"parties"`
}

func (s *Server) shareVersion(w http.ResponseWriter, r *http.Request, c *call) error {
	var req shareRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	e, err := s.svc.Share(r.Context(), c.acct, r.PathValue("n"), r.PathValue("v"), req.Parties)
	if err != nil {
		return err
	}
	writeVersion(w, access.Reader{Role: access.Mediator}, e, http.StatusOK)
	return nil
}
