package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"parley/internal/apperr"
	"parley/internal/store"
)

// The session cookie's name.
const sessionCookie = "parley_session"

// argon2id parameters (OWASP's minimum: 19 MiB, two passes, one lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of password with a fresh
// salt.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b.EncodeToString(salt), b.EncodeToString(key))
}

// checkPassword reports whether password matches an encoded hash.
func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<21 || t > 16 {
		return false
	}
	b := base64.RawStdEncoding
	salt, err1 := b.DecodeString(parts[4])
	want, err2 := b.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewSecret returns a random secret for a token: prefix + 32 random bytes.
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how a token is stored: never the secret itself.
func hashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// IssueToken stores a new token of a kind for acct and returns its secret.
func IssueToken(ctx context.Context, st store.Store, acct *store.Account, kind string, ttl time.Duration) (secret string, csrf string, err error) {
	prefix := map[string]string{store.TokenSession: "pss_", store.TokenAPI: "pat_", store.TokenSignIn: "psi_"}[kind]
	secret = NewSecret(prefix)
	if kind == store.TokenSession {
		csrf = NewSecret("")
	}
	t := &store.Token{Hash: hashToken(secret), AccountID: acct.ID, Kind: kind, CSRF: csrf, Expires: time.Now().Add(ttl)}
	return secret, csrf, st.CreateToken(ctx, t)
}

// authenticate finds the caller: a bearer token, else a session cookie.
// No credentials is not an error (c.acct is nil); bad ones are.
func (s *Server) authenticate(r *http.Request) (*call, error) {
	secret := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return &call{}, apperr.E("auth", apperr.Unauthorized, "the Authorization header must be \"Bearer TOKEN\"")
		}
		secret = strings.TrimSpace(tok)
	} else if c, err := r.Cookie(sessionCookie); err == nil {
		secret = c.Value
	}
	if secret == "" {
		return &call{}, nil
	}
	hash := hashToken(secret)
	if c, ok := s.tokens.get(hash); ok {
		return c, nil
	}
	tok, acct, err := s.store.TokenAccount(r.Context(), hash, time.Now())
	if apperr.Is(err, apperr.NotFound) || (err == nil && tok.Kind == store.TokenSignIn) {
		return &call{}, apperr.E("auth", apperr.Unauthorized, "the session or token is unknown or has expired: sign in again")
	}
	if err != nil {
		return &call{}, err
	}
	c := &call{acct: acct, tok: tok}
	s.tokens.put(hash, c)
	return c, nil
}

// tokenCache remembers recently seen tokens for a few seconds, so that
// a busy client does not cost a database read per request. A token
// revoked on another replica stays usable here until its entry expires.
type tokenCache struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]cachedCall
}

type cachedCall struct {
	c       *call
	expires time.Time
}

const tokenCacheTTL = 5 * time.Second

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, m: map[string]cachedCall{}}
}

func (tc *tokenCache) get(hash string) (*call, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	e, ok := tc.m[hash]
	now := time.Now()
	if !ok || now.After(e.expires) || now.After(e.c.tok.Expires) {
		return nil, false
	}
	return e.c, true
}

func (tc *tokenCache) put(hash string, c *call) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if len(tc.m) > 10000 {
		now := time.Now()
		for k, e := range tc.m {
			if now.After(e.expires) {
				delete(tc.m, k)
			}
		}
	}
	tc.m[hash] = cachedCall{c, time.Now().Add(tc.ttl)}
}

func (tc *tokenCache) forget(hash string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	delete(tc.m, hash)
}

// checkCSRF guards a cookie-authenticated unsafe request: the browser
// must send the session's CSRF token (header X-CSRF-Token, or form field
// "csrf" in a form post), and its Origin, if any, must be this host.
func checkCSRF(r *http.Request, tok *store.Token) error {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return apperr.E("csrf", apperr.Forbidden, "cross-origin request refused")
		}
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(nil, r.Body, maxJSONBody)
		got = r.PostFormValue("csrf")
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(tok.CSRF)) != 1 {
		return apperr.E("csrf", apperr.Forbidden, "missing or wrong CSRF token: send the csrf_token from sign-in as X-CSRF-Token")
	}
	return nil
}

// limiter allows n events per key in each window.
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	seen   map[string][]time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: map[string][]time.Time{}}
}

// allow records an event for key and reports whether it is within the
// limit.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 10000 { // forget old keys rather than grow without bound
		for k, ts := range l.seen {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > l.window {
				delete(l.seen, k)
			}
		}
	}
	ts := l.seen[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) >= l.n {
		l.seen[key] = ts
		return false
	}
	l.seen[key] = append(ts, now)
	return true
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type loginRequest struct {
	Name     string `json:"name,omitempty"`
	Password string `json:"password,omitempty"`
	// Code is a one-time sign-in code, instead of a name and password.
	Code string `json:"code,omitempty"`
	// Token asks for an API token in the answer instead of a cookie.
	Token bool `json:"token,omitempty"`
}

type accountView struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

type loginResponse struct {
	Account   accountView `json:"account"`
	CSRFToken string      `json:"csrf_token,omitempty"`
	Token     string      `json:"token,omitempty"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "login"
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	now := time.Now()
	if !s.limiter.allow("addr "+clientAddr(r), now) || (req.Name != "" && !s.limiter.allow("name "+req.Name, now)) {
		w.Header().Set("Retry-After", "60")
		return apperr.E(op, apperr.TooMany, "too many sign-in attempts: wait a minute")
	}
	bad := apperr.E(op, apperr.Unauthorized, "wrong name, password or code")
	var acct *store.Account
	switch {
	case req.Code != "":
		a, err := s.store.ConsumeToken(r.Context(), hashToken(req.Code), store.TokenSignIn, now)
		if apperr.Is(err, apperr.NotFound) {
			return bad
		}
		if err != nil {
			return err
		}
		acct = a
	case req.Name != "" && req.Password != "":
		a, err := s.store.AccountByName(r.Context(), req.Name)
		if apperr.Is(err, apperr.NotFound) {
			checkPassword(dummyHash(), req.Password) // take as long as for a real account
			return bad
		}
		if err != nil {
			return err
		}
		if !checkPassword(a.PasswordHash, req.Password) {
			return bad
		}
		acct = a
	default:
		return &apperr.Error{Op: op, Kind: apperr.Invalid, Msg: "give a name and password, or a code",
			Fields: []apperr.Field{{Path: "code", Detail: "or name and password"}}}
	}
	resp := loginResponse{Account: accountView{acct.ID, acct.Name, acct.Admin}}
	if req.Token {
		secret, _, err := IssueToken(r.Context(), s.store, acct, store.TokenAPI, 90*24*time.Hour)
		if err != nil {
			return err
		}
		resp.Token = secret
	} else {
		secret, csrf, err := IssueToken(r.Context(), s.store, acct, store.TokenSession, s.cfg.SessionTTL)
		if err != nil {
			return err
		}
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
			Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionTTL.Seconds())})
		resp.CSRFToken = csrf
	}
	s.log.Info("signed in", "account", acct.ID)
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// dummyHash is hashed on first use, not at start-up: an argon2id hash costs
// about 19 MiB and a tenth of a second, which every parley command would
// otherwise pay.
var dummyHash = sync.OnceValue(func() string { return HashPassword("parley") })

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.store.DeleteToken(r.Context(), c.tok.Hash); err != nil {
		return err
	}
	s.tokens.forget(c.tok.Hash)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, c *call) error {
	writeJSON(w, http.StatusOK, accountView{c.acct.ID, c.acct.Name, c.acct.Admin})
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, c *call) error {
	secret, _, err := IssueToken(r.Context(), s.store, c.acct, store.TokenAPI, 90*24*time.Hour)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"token": secret})
	return nil
}

type passwordRequest struct {
	Password string `json:"password"`
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request, c *call) error {
	var req passwordRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.Password) < 10 || len(req.Password) > 1024 {
		return &apperr.Error{Op: "password", Kind: apperr.Invalid, Msg: "weak password",
			Fields: []apperr.Field{{Path: "password", Detail: "must be 10 to 1024 characters"}}}
	}
	if err := s.store.SetPassword(r.Context(), c.acct.ID, HashPassword(req.Password)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
