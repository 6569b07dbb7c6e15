package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"parley/genius"
	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/scenario"
)

// open reads the negotiation of the path for the caller.
func (s *Server) open(r *http.Request, c *call) (*negotiation.State, access.Reader, error) {
	return s.svc.Open(r.Context(), c.acct, r.PathValue("n"))
}

type negotiationSummary struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Rev   int64  `json:"rev"`
}

func (s *Server) listNegotiations(w http.ResponseWriter, r *http.Request, c *call) error {
	ns, err := s.store.Negotiations(r.Context(), c.acct.ID)
	if err != nil {
		return err
	}
	out := []negotiationSummary{}
	for _, n := range ns {
		out = append(out, negotiationSummary{n.ID, n.Title, n.Rev})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// scenarioError turns a scenario's load errors into a problem with the
// file's field paths and lines.
func scenarioError(op string, err error) error {
	var es scenario.Errors
	if errors.As(err, &es) {
		ae := &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "the scenario is not valid"}
		for _, e := range es {
			ae.Fields = append(ae.Fields, apperr.Field{Path: e.Path, Detail: e.Error()})
		}
		return ae
	}
	return apperr.Wrap(op, apperr.Invalid, err, "the scenario is not valid: "+err.Error())
}

func (s *Server) createNegotiation(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "negotiation.create"
	data, mt, err := readBody(r, maxScenarioBody, "application/yaml", "application/x-yaml", "text/yaml", "application/json")
	if err != nil {
		return err
	}
	name := "scenario.yaml"
	if mt == "application/json" {
		name = "scenario.json"
	}
	sc, err := scenario.Load(name, data)
	if err != nil {
		return scenarioError(op, err)
	}
	st, err := s.svc.Create(r.Context(), c.acct, sc)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/negotiations/"+st.ID)
	return s.writeNegotiation(w, st, st.Reader(c.acct.ID), http.StatusCreated)
}

type importFile struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

type importRequest struct {
	// Files are the domain first, then the profiles in party order.
	Files []importFile `json:"files"`
	// ID names the new negotiation (default: from the domain).
	ID string `json:"id,omitempty"`
}

func (s *Server) importNegotiation(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "negotiation.import"
	data, _, err := readBody(r, maxScenarioBody, "application/json")
	if err != nil {
		return err
	}
	var req importRequest
	if err := unmarshalStrict(data, &req); err != nil {
		return err
	}
	if len(req.Files) < 2 {
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "nothing to import", Fields: []apperr.Field{{Path: "files", Detail: "give the domain and at least one profile"}}}
	}
	dir, err := os.MkdirTemp("", "parley-import-")
	if err != nil {
		return apperr.Wrap(op, apperr.Internal, err, "cannot stage the files")
	}
	defer os.RemoveAll(dir)
	var paths []string
	for i, f := range req.Files {
		base := filepath.Base(f.Name)
		if base != f.Name || base == "." || base == ".." || base == "" {
			return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "bad file name", Fields: []apperr.Field{{Path: "files[" + itoa(i) + "].name", Detail: "a plain file name, such as domain.xml"}}}
		}
		p := filepath.Join(dir, base)
		if err := os.WriteFile(p, []byte(f.Content), 0o600); err != nil {
			return apperr.Wrap(op, apperr.Internal, err, "cannot stage the files")
		}
		paths = append(paths, p)
	}
	d, err := genius.Load(paths, genius.Options{})
	if err != nil {
		return apperr.E(op, apperr.Invalid, "%s", stripDir(err.Error(), dir))
	}
	sc := d.Scenario
	if sc == nil {
		return apperr.E(op, apperr.Invalid, "profiles %v are not linear additive: parley cannot hold them as positions", d.Nonlinear)
	}
	if req.ID != "" {
		sc.ID = req.ID
	}
	if sc.ID == "" {
		sc.ID = "imported-" + time.Now().UTC().Format("20060102150405")
	}
	st, err := s.svc.Create(r.Context(), c.acct, sc)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/negotiations/"+st.ID)
	return s.writeNegotiation(w, st, st.Reader(c.acct.ID), http.StatusCreated)
}

type versionSummary struct {
	ID        string              `json:"id"`
	Title     string              `json:"title"`
	Date      string              `json:"date,omitempty"`
	Parent    string              `json:"parent,omitempty"`
	Published *time.Time          `json:"published,omitempty"`
	Draft     bool                `json:"draft"`
	Audience  []negotiation.Share `json:"audience"`
	Rev       int64               `json:"rev"`
}

// audienceFor is the part of a version's audience a reader may know: all
// of it for the mediator, its own receipt for a party, and nothing for an
// observer — a mediator may show a draft to one side first.
func audienceFor(r access.Reader, shares []negotiation.Share) []negotiation.Share {
	out := []negotiation.Share{}
	for _, sh := range shares {
		if r.Role == access.Mediator || (r.Role == access.Party && sh.Party == r.Party) {
			out = append(out, sh)
		}
	}
	return out
}

func versionsFor(st *negotiation.State, r access.Reader) []versionSummary {
	out := []versionSummary{}
	aud := st.Audience()
	for _, v := range st.Versions {
		if !access.SeesVersion(r, v.ID, aud, st.Head.Doc.Parties) {
			continue
		}
		parent := v.Doc.Version.Parent
		if !access.SeesVersion(r, parent, aud, st.Head.Doc.Parties) {
			parent = ""
		}
		out = append(out, versionSummary{ID: v.ID, Title: v.Doc.Version.Title, Date: v.Doc.Version.Date, Parent: parent,
			Published: v.Doc.Published, Draft: v.Doc.Published == nil, Audience: audienceFor(r, v.Doc.Audience), Rev: v.Rev})
	}
	return out
}

type negotiationView struct {
	ID          string                             `json:"id"`
	Title       string                             `json:"title"`
	Description string                             `json:"description,omitempty"`
	Disclaimer  string                             `json:"disclaimer,omitempty"`
	Rev         int64                              `json:"rev"`
	Role        access.Role                        `json:"role"`
	Party       string                             `json:"party,omitempty"`
	Parties     []scenario.Party                   `json:"parties"`
	Versions    []versionSummary                   `json:"versions"`
	Statuses    map[string]negotiation.PointStatus `json:"statuses"`
}

func (s *Server) writeNegotiation(w http.ResponseWriter, st *negotiation.State, r access.Reader, code int) error {
	w.Header().Set("ETag", etag(st.Rev))
	writeJSON(w, code, s.negotiationView(st, r))
	return nil
}

func (s *Server) negotiationView(st *negotiation.State, r access.Reader) negotiationView {
	sc := st.Scenario(r)
	v := negotiationView{ID: st.ID, Title: st.Title, Description: sc.Description, Disclaimer: sc.Disclaimer, Rev: st.Rev,
		Role: r.Role, Party: r.Party, Parties: sc.Parties, Versions: versionsFor(st, r), Statuses: map[string]negotiation.PointStatus{}}
	for id, e := range st.Statuses {
		v.Statuses[id] = e.Doc
	}
	return v
}

func (s *Server) getNegotiation(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	if r.Header.Get("If-None-Match") == etag(st.Rev) {
		w.Header().Set("ETag", etag(st.Rev))
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	key := fmt.Sprintf("%s@%d|%s|%s", st.ID, st.Rev, rd.Role, rd.Party)
	b, err := s.views.do(key, func() ([]byte, error) { return json.Marshal(s.negotiationView(st, rd)) })
	if err != nil {
		return apperr.Wrap("negotiation.get", apperr.Internal, err, "cannot encode the negotiation")
	}
	w.Header().Set("ETag", etag(st.Rev))
	writeCached(w, b)
	return nil
}

func (s *Server) export(w http.ResponseWriter, r *http.Request, c *call, format, ctype string) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	if !access.Can(rd, access.ExportScenario, access.Resource{}) {
		return apperr.E("export", apperr.Forbidden, "%s may not %s", rd.Role.Someone(), access.ExportScenario.Phrase())
	}
	b, err := scenario.Marshal(st.Scenario(rd), format)
	if err != nil {
		return apperr.Wrap("export", apperr.Internal, err, "cannot write the scenario")
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("ETag", etag(st.Rev))
	w.Header().Set("Content-Disposition", `attachment; filename="`+st.ID+"."+format+`"`)
	w.Write(b)
	return nil
}

func (s *Server) exportYAML(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.export(w, r, c, "yaml", "application/yaml; charset=utf-8")
}

func (s *Server) exportJSON(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.export(w, r, c, "json", "application/json")
}

func itoa(i int) string { return strconv.Itoa(i) }

// stripDir removes the staging folder from a message.
func stripDir(msg, dir string) string {
	return strings.ReplaceAll(msg, dir+string(filepath.Separator), "")
}
