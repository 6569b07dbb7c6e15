package server

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"parley/examples"
	"parley/internal/negotiation"
	"parley/scenario"
)

// roles are the callers of the authorization table: the mediator, the
// delegates of parties ua (A) and ru (B), an observer, a signed-in
// stranger and a signed-out client.
var roles = []string{"M", "A", "B", "O", "S", "X"}

// authzCase is one call of a route: the path values, the body and the
// status expected for each role, written "M200 A403 …".
type authzCase struct {
	params  map[string]string
	ctype   string
	body    string
	ifMatch string
	want    string
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// authzTable has at least one case for every route.
func authzTable(t *testing.T, ids map[string]string) map[string][]authzCase {
	sc, err := scenario.Load(examples.DefaultName, examples.Default)
	if err != nil {
		t.Fatal(err)
	}
	var ua negotiation.PositionDoc
	for _, q := range sc.Positions {
		if q.Party == "ua" {
			ua.Positions = append(ua.Positions, q)
		}
	}
	v4, _ := sc.Version("v4")
	nv := *v4
	nv.ID, nv.Parent = "v9", "v4"
	draft := *v4
	draft.ID, draft.Title, draft.Parent = "d-secret", "edited draft", "v4"
	other := strings.Replace(string(examples.Default), "id: ukraine-2025", "id: other-talks", 1)
	small := func() string {
		var files []map[string]string
		for _, f := range []string{"small_domain.xml", "a.xml", "b.xml"} {
			b, err := os.ReadFile("../../genius/testdata/small/" + f)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, map[string]string{"name": f, "content": string(b)})
		}
		return jsonOf(t, map[string]any{"files": files})
	}()
	j := "application/json"
	p := func(kv ...string) map[string]string {
		m := map[string]string{"n": nid}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	return map[string][]authzCase{
		"GET /healthz":                  {{want: "M200 A200 B200 O200 S200 X200"}},
		"GET /metrics":                  {{want: "M200 A200 B200 O200 S200 X200"}},
		"GET /api/openapi.json":         {{want: "M200 A200 B200 O200 S200 X200"}},
		"POST /api/login":               {{ctype: j, body: `{"code":"psi_wrong"}`, want: "M401 A401 B401 O401 S401 X401"}},
		"POST /api/logout":              {{want: "M204 A204 B204 O204 S204 X401"}},
		"GET /api/me":                   {{want: "M200 A200 B200 O200 S200 X401"}},
		"PUT /api/me/password":          {{ctype: j, body: `{"password":"correct horse battery"}`, want: "M204 A204 B204 O204 S204 X401"}},
		"POST /api/tokens":              {{want: "M201 A201 B201 O201 S201 X401"}},
		"GET /api/negotiations":         {{want: "M200 A200 B200 O200 S200 X401"}},
		"POST /api/negotiations":        {{ctype: "application/yaml", body: other, want: "M201 A201 B201 O201 S201 X401"}},
		"POST /api/negotiations/import": {{ctype: j, body: small, want: "M201 A201 B201 O201 S201 X401"}},

		"GET " + prefix:                    {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"GET " + prefix + "/scenario.yaml": {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"GET " + prefix + "/scenario.json": {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"GET " + prefix + "/members":       {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/members":      {{params: p(), ctype: j, body: `{"name":"new-delegate","role":"party","party":"e3"}`, want: "M201 A403 B403 O403 S404 X401"}},

		"GET " + prefix + "/versions":  {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/versions": {{params: p(), ctype: j, body: jsonOf(t, nv), want: "M201 A403 B403 O403 S404 X401"}},
		"GET " + prefix + "/versions/{v}": {
			{params: p("v", "v4"), want: "M200 A200 B200 O200 S404 X401"},
			{params: p("v", "d-secret"), want: "M200 A404 B404 O404 S404 X401"},
			{params: p("v", "p-ru"), want: "M200 A404 B200 O404 S404 X401"},
		},
		"PUT " + prefix + "/versions/{v}": {
			{params: p("v", "d-secret"), ctype: j, body: jsonOf(t, draft), want: "M200 A403 B403 O403 S404 X401"},
			{params: p("v", "v4"), ctype: j, body: jsonOf(t, *v4), want: "M409 A403 B403 O403 S404 X401"},
		},
		"POST " + prefix + "/versions/{v}/publish": {{params: p("v", "d-secret"), want: "M200 A403 B403 O403 S404 X401"}},
		"POST " + prefix + "/versions/{v}/share":   {{params: p("v", "p-ru"), ctype: j, body: `{"parties":["ua"]}`, want: "M200 A403 B403 O403 S404 X401"}},

		"GET " + prefix + "/positions": {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"GET " + prefix + "/positions/{party}": {
			{params: p("party", "ua"), want: "M200 A200 B404 O404 S404 X401"},
			{params: p("party", "ru"), want: "M200 A404 B200 O404 S404 X401"},
		},
		"PUT " + prefix + "/positions/{party}": {{params: p("party", "ua"), ctype: j, body: jsonOf(t, ua), want: "M200 A200 B403 O403 S404 X401"}},
		"GET " + prefix + "/positions/{party}/history": {
			{params: p("party", "ru"), want: "M200 A404 B200 O404 S404 X401"},
		},
		"PUT " + prefix + "/reservations/{party}": {{params: p("party", "ua"), ctype: j, body: `{"value":0.3}`, want: "M200 A200 B403 O403 S404 X401"}},

		"GET " + prefix + "/amendments":  {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/amendments": {{params: p(), ctype: j, body: `{"version":"v4","point":"territory","kind":"critique","reason":"too vague"}`, want: "M403 A201 B201 O403 S404 X401"}},
		"GET " + prefix + "/amendments/{a}": {
			{params: p("a", ids["ru-amendment"]), want: "M200 A404 B200 O404 S404 X401"},
			{params: p("a", ids["ua-amendment"]), want: "M200 A200 B404 O404 S404 X401"},
		},
		"POST " + prefix + "/amendments/{a}/decision": {{params: p("a", ids["ru-amendment"]), ctype: j, body: `{"decision":"reject","reason":"out of scope"}`, want: "M200 A404 B403 O404 S404 X401"}},
		"POST " + prefix + "/amendments/{a}/publish":  {{params: p("a", ids["ua-amendment"]), want: "M200 A403 B404 O404 S404 X401"}},

		"GET " + prefix + "/comments":              {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/comments":             {{params: p(), ctype: j, body: `{"point":"territory","body":"a remark"}`, want: "M201 A201 B201 O403 S404 X401"}},
		"POST " + prefix + "/comments/{c}/publish": {{params: p("c", ids["ru-comment"]), want: "M200 A404 B403 O404 S404 X401"}},
		"PUT " + prefix + "/points/{point}/status": {{params: p("point", "territory"), ctype: j, body: `{"status":"disputed"}`, want: "M200 A403 B403 O403 S404 X401"}},
		"GET " + prefix + "/timeline":              {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/timeline":             {{params: p(), ctype: j, body: timelineEvent, want: timelineWant}},
		"GET " + prefix + "/votes":                 {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/votes":                {{params: p(), ctype: j, body: `{"kind":"package","version":"v4","package":{"territory":"anchorage"}}`, want: "M201 A403 B403 O403 S404 X401"}},
		"GET " + prefix + "/votes/{vote}":          {{params: p("vote", ids["vote"]), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/votes/{vote}/ballot":  {{params: p("vote", ids["vote"]), ctype: j, body: `{"answer":false}`, want: "M403 A200 B409 O403 S404 X401"}},
		"GET " + prefix + "/analysis":              {{params: p(), want: "M200 A200 B200 O409 S404 X401"}},
		"POST " + prefix + "/jobs":                 {{params: p(), ctype: j, body: `{"kind":"analysis","version":"v4"}`, want: "M409 A409 B409 O409 S404 X401"}},
		"GET " + prefix + "/jobs/{job}":            {{params: p("job", "1"), want: "M404 A404 B404 O404 S404 X401"}},
		"GET " + prefix + "/jobs":                  {{params: p(), want: "M200 A200 B200 O200 S404 X401"}},
		"POST " + prefix + "/jobs/{job}/cancel":    {{params: p("job", "1"), want: "M404 A404 B404 O404 S404 X401"}},
		"GET " + prefix + "/audit":                 {{params: p(), want: "M200 A403 B403 O403 S404 X401"}},
	}
}

// The timeline is part of the model only in builds that have it.
var timelineEvent = `{"id":"test-round","date":"2025-11-23","title":"A round in Geneva","place":"Geneva","version":"v3"}`
var timelineWant = func() string {
	if _, ok := reflect.TypeOf(scenario.Scenario{}).FieldByName("Timeline"); ok {
		return "M201 A403 B403 O403 S404 X401"
	}
	return "M422 A403 B403 O403 S404 X401"
}()

func expand(path string, params map[string]string) string {
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	return path
}

func parseWant(t *testing.T, s string) map[string]int {
	m := map[string]int{}
	for _, f := range strings.Fields(s) {
		n, err := strconv.Atoi(f[1:])
		if err != nil {
			t.Fatalf("bad expectation %q", s)
		}
		m[f[:1]] = n
	}
	if len(m) != len(roles) {
		t.Fatalf("expectation %q does not cover every role", s)
	}
	return m
}

// TestAuthorizationTable calls every route as every role, each call on a
// fresh copy of the fixture, and checks the status and that no response
// to anyone but ru and the mediator carries ru's private data.
func TestAuthorizationTable(t *testing.T) {
	f0 := newFixture(t)
	table := authzTable(t, f0.ids)
	for _, rt := range f0.srv.routes {
		key := rt.method + " " + rt.path
		if len(table[key]) == 0 {
			t.Errorf("route %s has no entry in the authorization table", key)
		}
	}
	for key, cases := range table {
		method, path, _ := strings.Cut(key, " ")
		found := false
		for _, rt := range f0.srv.routes {
			found = found || (rt.method == method && rt.path == path)
		}
		if !found {
			t.Errorf("the authorization table has %s, which is not a route", key)
		}
		for i, c := range cases {
			want := parseWant(t, c.want)
			for _, role := range roles {
				t.Run(fmt.Sprintf("%s#%d/%s", key, i, role), func(t *testing.T) {
					t.Parallel()
					f := newFixture(t)
					var hdr []string
					if c.ifMatch != "" {
						hdr = []string{"If-Match", c.ifMatch}
					}
					code, body, h := f.do(t, role, method, expand(path, c.params), c.ctype, c.body, hdr...)
					if code != want[role] {
						t.Errorf("%s as %s: expected %d got %d: %s", key, role, want[role], code, trim(body))
					}
					if code >= 400 && !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
						t.Errorf("%s as %s: error with Content-Type %q", key, role, h.Get("Content-Type"))
					}
					if code == 500 {
						t.Errorf("%s as %s: 500", key, role)
					}
					if role != "M" && role != "B" {
						for _, s := range secrets {
							if strings.Contains(body, s) {
								t.Errorf("%s as %s: response carries %s: %s", key, role, s, trim(body))
							}
						}
					}
				})
			}
		}
	}
}

func trim(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
