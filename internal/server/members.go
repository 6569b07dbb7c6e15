package server

import (
	"net/http"
	"regexp"
	"sync"
	"time"

	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/store"
)

type memberView struct {
	Account string    `json:"account"`
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Party   string    `json:"party,omitempty"`
	Added   time.Time `json:"added"`
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request, c *call) error {
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	if !access.Can(rd, access.ReadMembers, access.Resource{}) {
		return apperr.E("members.list", apperr.Forbidden, "%s may not %s", rd.Role.Someone(), access.ReadMembers.Phrase())
	}
	out := []memberView{}
	for _, m := range st.Members {
		name := ""
		if a, err := s.store.Account(r.Context(), m.Account); err == nil {
			name = a.Name
		}
		out = append(out, memberView{m.Account, name, m.Role, m.Party, m.Added})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type inviteRequest struct {
	// Name is the account's name; an account is made for a new name.
	Name  string `json:"name"`
	Role  string `json:"role"`
	Party string `json:"party,omitempty"`
}

type inviteResponse struct {
	Member memberView `json:"member"`
	// SignInCode is a one-time sign-in for a new account, to pass on to
	// the invitee; it lasts a week.
	SignInCode string `json:"signin_code,omitempty"`
}

// namePattern is compiled on first use: its Unicode classes cost
// megabytes that no command but the server needs.
var namePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}_.@-]{0,63}$`)
})

func (s *Server) invite(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "members.invite"
	var req inviteRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	_, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	if !access.Can(rd, access.InviteMember, access.Resource{}) {
		return apperr.E(op, apperr.Forbidden, "%s may not %s", rd.Role.Someone(), access.InviteMember.Phrase())
	}
	if !namePattern().MatchString(req.Name) {
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "bad name", Fields: []apperr.Field{{Path: "name", Detail: "letters, digits, '_', '.', '@' or '-', at most 64"}}}
	}
	acct, err := s.store.AccountByName(r.Context(), req.Name)
	created := false
	if apperr.Is(err, apperr.NotFound) {
		acct = &store.Account{ID: NewSecret("acc_")[:20], Name: req.Name}
		if err = s.store.CreateAccount(r.Context(), acct); err != nil {
			return err
		}
		created = true
	} else if err != nil {
		return err
	}
	m := store.Member{Account: acct.ID, Role: req.Role, Party: req.Party}
	if err := s.svc.AddMember(r.Context(), c.acct, r.PathValue("n"), m); err != nil {
		return err
	}
	resp := inviteResponse{Member: memberView{acct.ID, acct.Name, req.Role, req.Party, time.Now().UTC()}}
	if created {
		if resp.SignInCode, _, err = IssueToken(r.Context(), s.store, acct, store.TokenSignIn, 7*24*time.Hour); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}
