package server

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes checks the served description against the
// router: every documented operation answers (not the router's 404 or
// 405), and every route is documented.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t)
	code, body, _ := f.do(t, "X", "GET", "/api/openapi.json", "", "")
	if code != 200 {
		t.Fatalf("openapi: %d", code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+path] = true
			// The router must know the operation: a request reaches a
			// handler, whose problems have a type other than the router's.
			p := regexp.MustCompile(`\{[a-z]+\}`).ReplaceAllString(path, "x")
			code, body, _ := f.do(t, "M", strings.ToUpper(m), p, "", "")
			if code == 405 || (code == 404 && strings.Contains(body, "no such resource")) {
				t.Errorf("%s %s is documented but not routed (%d)", m, path, code)
			}
		}
	}
	for _, rt := range f.srv.routes {
		if !documented[rt.method+" "+rt.path] {
			t.Errorf("route %s %s is not in the OpenAPI description", rt.method, rt.path)
		}
	}
	// A path the router does not know is answered by the fallback.
	if code, body, _ := f.do(t, "M", "GET", "/api/negotiations/"+nid+"/nothing", "", ""); code != 404 || !strings.Contains(body, "no such resource") {
		t.Errorf("unknown path: %d %s", code, body)
	}
}

// TestAPIDocs checks docs/api.md against the routes: every route is
// listed there, and nothing else.
func TestAPIDocs(t *testing.T) {
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile("(?m)^\\| `(GET|POST|PUT|DELETE) ([^`]+)`")
	var inDocs []string
	for _, m := range line.FindAllStringSubmatch(string(b), -1) {
		inDocs = append(inDocs, m[1]+" "+m[2])
	}
	srv := New(nil, Config{Log: quietLog()})
	var inCode []string
	for _, rt := range srv.routes {
		inCode = append(inCode, rt.method+" "+strings.Replace(rt.path, prefix, "/api/negotiations/{n}", 1))
	}
	sort.Strings(inDocs)
	sort.Strings(inCode)
	if strings.Join(inDocs, "\n") != strings.Join(inCode, "\n") {
		t.Errorf("docs/api.md lists\n%s\nthe routes are\n%s", strings.Join(inDocs, "\n"), strings.Join(inCode, "\n"))
	}
}
