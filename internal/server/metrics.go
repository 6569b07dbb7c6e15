package server

import (
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"time"
)

// metrics counts requests by route and status and sums their durations,
// exposed in the Prometheus text format.
//
// The exposition is written here rather than with Prometheus's client
// library (github.com/prometheus/client_golang), which would give the same
// metric names: linked into the binary, that library's package
// initialisation (its protobuf descriptors and procfs) runs at the start of
// every parley command, and it added 2.7 ms (fastest of 40 runs; median
// 4.1 ms) to the start-up of `parley version` as measured with
// GODEBUG=inittrace=1 (BENCHMARKS.md, "The server"), more than the 1 ms a
// command-line tool can spare for a server feature. Four metric families
// in the text format are little code.
type metrics struct {
	mu    sync.Mutex
	count map[[2]string]uint64
	secs  map[string]float64
	hist  map[string]*[len(buckets) + 1]uint64
	start time.Time
}

var buckets = [...]float64{0.001, 0.005, 0.025, 0.1, 0.5, 2.5}

func newMetrics() *metrics {
	return &metrics{count: map[[2]string]uint64{}, secs: map[string]float64{}, hist: map[string]*[len(buckets) + 1]uint64{}, start: time.Now()}
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	if code == 0 {
		code = 200
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.count[[2]string{route, fmt.Sprint(code)}]++
	m.secs[route] += d.Seconds()
	h := m.hist[route]
	if h == nil {
		h = new([len(buckets) + 1]uint64)
		m.hist[route] = h
	}
	i := sort.SearchFloat64s(buckets[:], d.Seconds())
	h[i]++
}

func (m *metrics) write(w http.ResponseWriter) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintln(w, "# HELP parley_http_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE parley_http_requests_total counter")
	keys := make([][2]string, 0, len(m.count))
	for k := range m.count {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "parley_http_requests_total{route=%q,code=%q} %d\n", k[0], k[1], m.count[k])
	}
	fmt.Fprintln(w, "# HELP parley_http_request_duration_seconds Time to answer, by route.")
	fmt.Fprintln(w, "# TYPE parley_http_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		var cum uint64
		for i, b := range buckets {
			cum += m.hist[r][i]
			fmt.Fprintf(w, "parley_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", r, b, cum)
		}
		cum += m.hist[r][len(buckets)]
		fmt.Fprintf(w, "parley_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, cum)
		fmt.Fprintf(w, "parley_http_request_duration_seconds_sum{route=%q} %g\n", r, m.secs[r])
		fmt.Fprintf(w, "parley_http_request_duration_seconds_count{route=%q} %d\n", r, cum)
	}
	fmt.Fprintln(w, "# HELP parley_goroutines Goroutines running.")
	fmt.Fprintln(w, "# TYPE parley_goroutines gauge")
	fmt.Fprintf(w, "parley_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintln(w, "# HELP parley_uptime_seconds Seconds since the server started.")
	fmt.Fprintln(w, "# TYPE parley_uptime_seconds gauge")
	fmt.Fprintf(w, "parley_uptime_seconds %g\n", time.Since(m.start).Seconds())
}
