package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchGet measures one route served in process (no network), as the
// mediator.
func benchGet(b *testing.B, path string) {
	f := newFixture(b)
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["M"])
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req) // the first computes; the rest are cached
	if w.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", path, w.Code, w.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d", w.Code)
		}
	}
}

func BenchmarkCachedAnalysis(b *testing.B) { benchGet(b, "/api/negotiations/"+nid+"/analysis") }

func BenchmarkNegotiation(b *testing.B) { benchGet(b, "/api/negotiations/"+nid) }

// BenchmarkPutPosition measures a party's position update served in
// process on SQLite, one writer: the server's own cost of an update,
// beside the store's (BenchmarkUpdates in internal/store/…).
func BenchmarkPutPosition(b *testing.B) {
	f := newFixture(b)
	path := "/api/negotiations/" + nid + "/positions/ua"
	get := httptest.NewRequest("GET", path, nil)
	get.Header.Set("Authorization", "Bearer "+f.tokens["A"])
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, get)
	if w.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", path, w.Code, w.Body)
	}
	body := w.Body.String()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("PUT", path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.tokens["A"])
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
