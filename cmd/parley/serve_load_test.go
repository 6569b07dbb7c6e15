package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley/internal/loadgen"
)

// TestLoad measures the server, run as its own process, from this
// process over loopback. It runs only with PARLEY_LOAD=1 (it takes about
// a minute per database and wants the machine to itself):
//
//	PARLEY_LOAD=1 go test -run TestLoad -v ./cmd/parley
//
// The figures are in BENCHMARKS.md.
func TestLoad(t *testing.T) {
	if os.Getenv("PARLEY_LOAD") == "" {
		t.Skip("set PARLEY_LOAD=1 to run the load test")
	}
	secs, _ := strconv.Atoi(os.Getenv("PARLEY_LOAD_SECONDS"))
	if secs <= 0 {
		secs = 10
	}
	d := time.Duration(secs) * time.Second
	for name, db := range serveDatabases(t) {
		t.Run(name, func(t *testing.T) {
			p := startServer(t, db(t))
			tokens := map[string]string{}
			for _, a := range []string{"mediator", "ukraine", "russia", "europe"} {
				tokens[a] = p.token(t, a)
			}
			get := func(c *http.Client, path, tok string) (int, []byte, string) {
				req, _ := http.NewRequest("GET", p.url+path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := c.Do(req)
				if err != nil {
					return 0, nil, ""
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, b, resp.Header.Get("ETag")
			}
			ctx := context.Background()
			readers := []string{"ukraine", "russia", "europe", "mediator"}
			r := loadgen.Run(ctx, 8, d, func(c *http.Client, w int) bool {
				code, _, _ := get(c, demoPath, tokens[readers[w%len(readers)]])
				return code == 200
			})
			t.Logf("%s reads of the negotiation (8 clients): %v", name, r)

			// Position updates: each party rewrites its own position;
			// afterwards its history must hold one revision per
			// acknowledged update.
			parties := map[string]string{"ukraine": "ua", "russia": "ru", "europe": "e3"}
			names := []string{"ukraine", "russia", "europe"}
			bodies := map[string]string{}
			before := map[string]int{}
			for _, n := range names {
				_, b, _ := get(http.DefaultClient, demoPath+"/positions/"+parties[n], tokens[n])
				bodies[n] = string(b)
				_, h, _ := get(http.DefaultClient, demoPath+"/positions/"+parties[n]+"/history", tokens[n])
				var hs []json.RawMessage
				json.Unmarshal(h, &hs)
				before[n] = len(hs)
			}
			acks := map[string]*int{"ukraine": new(int), "russia": new(int), "europe": new(int)}
			var mu = make(chan struct{}, 1)
			mu <- struct{}{}
			r = loadgen.Run(ctx, 6, d, func(c *http.Client, w int) bool {
				n := names[w%len(names)]
				req, _ := http.NewRequest("PUT", p.url+demoPath+"/positions/"+parties[n], strings.NewReader(bodies[n]))
				req.Header.Set("Authorization", "Bearer "+tokens[n])
				req.Header.Set("Content-Type", "application/json")
				resp, err := c.Do(req)
				if err != nil {
					return false
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					return false
				}
				<-mu
				*acks[n]++
				mu <- struct{}{}
				return true
			})
			t.Logf("%s position updates (6 clients, 3 parties): %v", name, r)
			for _, n := range names {
				_, h, _ := get(http.DefaultClient, demoPath+"/positions/"+parties[n]+"/history", tokens[n])
				var hs []json.RawMessage
				json.Unmarshal(h, &hs)
				if len(hs) != before[n]+*acks[n] {
					t.Errorf("%s: %d acknowledged updates of %s, %d new revisions", name, *acks[n], parties[n], len(hs)-before[n])
				}
			}

			// Cached analysis: one client, after a first computation.
			start := time.Now()
			if code, b, _ := get(http.DefaultClient, demoPath+"/analysis", tokens["mediator"]); code != 200 {
				t.Fatalf("analysis: %d %s", code, b)
			}
			first := time.Since(start)
			r = loadgen.Run(ctx, 1, d/2, func(c *http.Client, w int) bool {
				code, _, _ := get(c, demoPath+"/analysis", tokens["mediator"])
				return code == 200
			})
			t.Logf("%s analysis of the default scenario: first %v; cached: %v", name, first.Round(time.Millisecond), r)
		})
	}
}
