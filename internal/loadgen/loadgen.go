// Package loadgen drives an HTTP server with concurrent clients for a
// fixed time and reports throughput and latency percentiles. It is the
// load generator of parley's server benchmarks (BENCHMARKS.md); run it in
// a process other than the server's.
package loadgen

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Result sums up a run.
type Result struct {
	Requests int
	Errors   int // transport errors and statuses the check refused
	Elapsed  time.Duration
	P50, P99 time.Duration
	Max      time.Duration
}

// PerSecond is the rate of successful requests.
func (r Result) PerSecond() float64 {
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

func (r Result) String() string {
	return fmt.Sprintf("%d requests in %.1fs: %.0f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d errors",
		r.Requests, r.Elapsed.Seconds(), r.PerSecond(), ms(r.P50), ms(r.P99), ms(r.Max), r.Errors)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Run has workers clients call do in a loop for d. do makes one request
// with the client and reports whether it succeeded. worker is the
// client's number.
func Run(ctx context.Context, workers int, d time.Duration, do func(c *http.Client, worker int) bool) Result {
	tr := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				t0 := time.Now()
				ok := do(client, w)
				mine = append(mine, time.Since(t0))
				if !ok {
					bad++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	r := Result{Requests: len(lat), Errors: errs, Elapsed: time.Since(start)}
	if len(lat) > 0 {
		slices.Sort(lat)
		r.P50 = lat[len(lat)/2]
		r.P99 = lat[len(lat)*99/100]
		r.Max = lat[len(lat)-1]
	}
	return r
}
