package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestBadInput sends malformed requests: each gets a 4xx problem that
// says what is wrong, never a 500.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	pos := "/api/negotiations/" + nid + "/positions/ua"
	big := `{"body":"` + strings.Repeat("x", maxJSONBody) + `","point":"territory"}`
	tests := []struct {
		name, method, path, ctype, body string
		hdr                             []string
		want                            int
		field                           string // an error path expected in the problem
	}{
		{"no content type", "POST", "/comments", "", `{"point":"territory","body":"x"}`, nil, 415, ""},
		{"wrong content type", "POST", "/comments", "text/plain", `{"point":"territory","body":"x"}`, nil, 415, ""},
		{"other charset", "POST", "/comments", "application/json; charset=latin1", `{"point":"territory","body":"x"}`, nil, 415, ""},
		{"unknown field", "POST", "/comments", "application/json", `{"point":"territory","body":"x","secret":1}`, nil, 422, "secret"},
		{"wrong type", "POST", "/comments", "application/json", `{"point":"territory","body":7}`, nil, 422, "body"},
		{"malformed", "POST", "/comments", "application/json", `{"point":`, nil, 422, ""},
		{"empty", "POST", "/comments", "application/json", ``, nil, 422, ""},
		{"two values", "POST", "/comments", "application/json", `{"point":"territory","body":"x"}{}`, nil, 422, ""},
		{"bad UTF-8", "POST", "/comments", "application/json", "{\"point\":\"territory\",\"body\":\"\xff\xfe\"}", nil, 422, ""},
		{"too large", "POST", "/comments", "application/json", big, nil, 413, ""},
		{"unknown point", "POST", "/comments", "application/json", `{"point":"nowhere","body":"x"}`, nil, 422, "point"},
		{"bad If-Match", "PUT", pos, "application/json", `{"positions":[]}`, []string{"If-Match", "yesterday"}, 422, "If-Match"},
		{"stale If-Match", "PUT", pos, "application/json", `{"positions":[{"points":[]}]}`, []string{"If-Match", `"99"`}, 412, ""},
		{"bad weight", "PUT", pos, "application/json", `{"positions":[{"points":[{"point":"territory","weight":-1,"options":[]}]}]}`, nil, 422, "positions[0].points[0].weight"},
		{"bad stance", "PUT", pos, "application/json", `{"positions":[{"points":[{"point":"territory","weight":1,"options":[{"option":"anchorage","stance":"maybe"}]}]}]}`, nil, 422, "positions[0].points[0].options[0].stance"},
		{"bad utility", "PUT", pos, "application/json", `{"positions":[{"points":[{"point":"territory","weight":1,"options":[{"option":"anchorage","stance":"accept","utility":2}]}]}]}`, nil, 422, "positions[0].points[0].options[0].utility"},
		{"unknown option", "PUT", pos, "application/json", `{"positions":[{"points":[{"point":"territory","weight":1,"options":[{"option":"moon","stance":"accept"}]}]}]}`, nil, 422, "positions[0].points[0].options[0].option"},
		{"two undated positions", "PUT", pos, "application/json", `{"positions":[{"points":[]},{"points":[]}]}`, nil, 422, "positions[1].as_of"},
		{"reservation above 1", "PUT", "/api/negotiations/" + nid + "/reservations/ua", "application/json", `{"value":1.5}`, nil, 422, "value"},
		{"bad job id", "POST", "/jobs/x1/cancel", "", "", nil, 404, ""},
		{"no such job", "GET", "/jobs/99999", "", "", nil, 404, ""},
		{"no such version", "GET", "/versions/nope", "", "", nil, 404, ""},
		{"no such amendment", "GET", "/amendments/99999", "", "", nil, 404, ""},
		{"id with slash", "GET", "/versions/a%2Fb", "", "", nil, 404, ""},
		{"bad status", "PUT", "/points/territory/status", "application/json", `{"status":"done"}`, nil, 422, "status"},
		{"bad audit query", "GET", "/audit?limit=0", "", "", nil, 422, "limit"},
		{"bad scenario", "POST", "/api/negotiations", "application/yaml", "parley: 1\nid: x\n", nil, 422, ""},
		{"scenario as text", "POST", "/api/negotiations", "text/plain", "parley: 1", nil, 415, ""},
		{"no such route", "GET", "/api/nothing", "", "", nil, 404, ""},
		{"wrong method", "DELETE", "/versions", "", "", nil, 405, ""},
		{"bad vote package", "POST", "/votes", "application/json", `{"kind":"package","version":"v4","package":{"territory":"moon"}}`, nil, 422, "package.territory"},
		{"bad bearer", "GET", "/versions", "", "", []string{"Authorization", "Basic abc"}, 401, ""},
	}
	for _, tt := range tests {
		path := tt.path
		if !strings.HasPrefix(path, "/api/") {
			path = "/api/negotiations/" + nid + path
		}
		code, body, h := f.do(t, "M", tt.method, path, tt.ctype, tt.body, tt.hdr...)
		if code != tt.want {
			t.Errorf("%s: expected %d got %d: %s", tt.name, tt.want, code, trim(body))
			continue
		}
		if ct := h.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q", tt.name, ct)
		}
		var p Problem
		if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != code || p.Detail == "" || p.Type == "" {
			t.Errorf("%s: not a problem: %s", tt.name, trim(body))
		}
		if tt.field != "" {
			found := false
			for _, e := range p.Errors {
				found = found || e.Path == tt.field
			}
			if !found {
				t.Errorf("%s: expected an error at %q, got %+v", tt.name, tt.field, p.Errors)
			}
		}
	}
}

// TestCSRF checks that a browser session must echo its CSRF token on
// unsafe requests and that a foreign Origin is refused.
func TestCSRF(t *testing.T) {
	f := newFixture(t)
	code, body, _ := f.do(t, "X", "PUT", "/api/me/password", "", "")
	if code != 401 {
		t.Fatalf("signed out: %d %s", code, body)
	}
	// Sign in with a password to get a cookie session.
	f.do(t, "A", "PUT", "/api/me/password", "application/json", `{"password":"correct horse battery"}`)
	req, _ := http.NewRequest("POST", f.ts.URL+"/api/login", strings.NewReader(`{"name":"name-A","password":"correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.ts.Client().Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, resp.Status)
	}
	var lr loginResponse
	json.NewDecoder(resp.Body).Decode(&lr)
	resp.Body.Close()
	cookie := resp.Cookies()[0]
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Errorf("session cookie: %+v", cookie)
	}
	send := func(csrf, origin string) int {
		req, _ := http.NewRequest("POST", f.ts.URL+"/api/negotiations/"+nid+"/comments", strings.NewReader(`{"point":"territory","body":"hello"}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(cookie)
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := f.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := send("", ""); c != 403 {
		t.Errorf("without the CSRF token: %d", c)
	}
	if c := send("wrong", ""); c != 403 {
		t.Errorf("with a wrong CSRF token: %d", c)
	}
	if c := send(lr.CSRFToken, "https://evil.example"); c != 403 {
		t.Errorf("from a foreign origin: %d", c)
	}
	if c := send(lr.CSRFToken, f.ts.URL); c != 201 {
		t.Errorf("with the CSRF token: %d", c)
	}
	// A safe request needs no token.
	req, _ = http.NewRequest("GET", f.ts.URL+"/api/me", nil)
	req.AddCookie(cookie)
	resp, _ = f.ts.Client().Do(req)
	if resp.StatusCode != 200 {
		t.Errorf("GET with the cookie: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	limited := false
	for i := range 15 {
		code, _, h := f.do(t, "X", "POST", "/api/login", "application/json", `{"name":"name-A","password":"wrong password"}`)
		if code == 429 {
			limited = true
			if h.Get("Retry-After") == "" || i < 10 {
				t.Errorf("429 after %d attempts, Retry-After %q", i, h.Get("Retry-After"))
			}
			break
		}
		if code != 401 {
			t.Fatalf("attempt %d: %d", i, code)
		}
	}
	if !limited {
		t.Error("15 failed sign-ins in a row were not limited")
	}
}

func TestPasswords(t *testing.T) {
	h := HashPassword("correct horse")
	if !strings.HasPrefix(h, "$argon2id$v=19$") || strings.Contains(h, "correct") {
		t.Errorf("hash %q", h)
	}
	if !checkPassword(h, "correct horse") || checkPassword(h, "correct horsE") || checkPassword("", "") || checkPassword("$argon2id$v=19$m=1,t=1,p=1$$", "") {
		t.Error("checkPassword accepts what it should not, or refuses the right password")
	}
	if h1, h2 := HashPassword("x"), HashPassword("x"); h1 == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
}
