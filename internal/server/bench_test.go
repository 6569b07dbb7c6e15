package server

import (
	"net/http"
	"net/http/httptest"
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
