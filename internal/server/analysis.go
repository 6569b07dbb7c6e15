package server

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"parley/analysis"
	"parley/internal/access"
	"parley/internal/apperr"
	"parley/internal/negotiation"
	"parley/round"
	"parley/scenario"
)

// analysisCache keeps encoded analyses, least recently used out first.
// Keys name the state they were computed from, so an entry is never
// stale: a new state has new keys.
type analysisCache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[string]*list.Element
	// flight holds the analyses being computed, so that concurrent
	// requests for one state compute it once.
	flight map[string]*flight
}

type cacheItem struct {
	key string
	val []byte
}

type flight struct {
	done chan struct{}
	val  []byte
	err  error
}

func newAnalysisCache(max int) *analysisCache {
	return &analysisCache{max: max, ll: list.New(), items: map[string]*list.Element{}, flight: map[string]*flight{}}
}

func (c *analysisCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*cacheItem).val, true
	}
	return nil, false
}

func (c *analysisCache) put(key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.items[key] = c.ll.PushFront(&cacheItem{key, val})
	for c.ll.Len() > c.max {
		e := c.ll.Back()
		c.ll.Remove(e)
		delete(c.items, e.Value.(*cacheItem).key)
	}
}

// do returns the cached value of key or computes it once.
func (c *analysisCache) do(key string, f func() ([]byte, error)) ([]byte, error) {
	if v, ok := c.get(key); ok {
		return v, nil
	}
	c.mu.Lock()
	if fl, ok := c.flight[key]; ok {
		c.mu.Unlock()
		<-fl.done
		return fl.val, fl.err
	}
	fl := &flight{done: make(chan struct{})}
	c.flight[key] = fl
	c.mu.Unlock()
	fl.val, fl.err = f()
	if fl.err == nil {
		c.put(key, fl.val)
	}
	c.mu.Lock()
	delete(c.flight, key)
	c.mu.Unlock()
	close(fl.done)
	return fl.val, fl.err
}

// analysisView is the analysis of one version as a reader may see it.
type analysisView struct {
	Negotiation string `json:"negotiation"`
	Version     string `json:"version"`
	// Seen are the parties whose positions the analysis uses: for a party
	// or an observer, only its own and those shared with it.
	Seen   []string         `json:"parties_seen"`
	Note   string           `json:"note,omitempty"`
	Result *analysis.Result `json:"analysis"`
}

func (s *Server) analysis(w http.ResponseWriter, r *http.Request, c *call) error {
	const op = "analysis"
	st, rd, err := s.open(r, c)
	if err != nil {
		return err
	}
	if !access.Can(rd, access.Analyze, access.Resource{}) {
		return apperr.E(op, apperr.Forbidden, "%s may not %s", rd.Role.Someone(), access.Analyze.Phrase())
	}
	b, err := s.analysisFor(r.Context(), st, rd, r.URL.Query().Get("version"))
	if err != nil {
		return err
	}
	writeCached(w, b)
	return nil
}

// analysisFor returns the encoded analysis of a version as rd sees it,
// from the cache when it can.
func (s *Server) analysisFor(ctx context.Context, st *negotiation.State, rd access.Reader, version string) ([]byte, error) {
	const op = "analysis"
	// Fast key: this state, this reader, this version.
	fast := fmt.Sprintf("%s@%d|%s|%s|%s", st.ID, st.Rev, rd.Role, rd.Party, version)
	if b, ok := s.cache.get(fast); ok {
		return b, nil
	}
	sc := st.Scenario(rd)
	v, ok := sc.Version(version)
	if !ok {
		return nil, apperr.E(op, apperr.NotFound, "no version %q", version)
	}
	// Content key: what the reader sees, so that a change elsewhere in the
	// negotiation (a comment) reuses the analysis.
	doc, err := json.Marshal(sc)
	if err != nil {
		return nil, apperr.Wrap(op, apperr.Internal, err, "cannot encode the scenario")
	}
	sum := sha256.Sum256(doc)
	content := "content|" + hex.EncodeToString(sum[:]) + "|" + v.ID
	b, err := s.cache.do(content, func() ([]byte, error) { return s.compute(ctx, st.ID, sc, v.ID, rd) })
	if err != nil {
		return nil, err
	}
	s.cache.put(fast, b)
	return b, nil
}

func (s *Server) compute(ctx context.Context, id string, sc *scenario.Scenario, version string, rd access.Reader) ([]byte, error) {
	const op = "analysis"
	p, err := analysis.Compile(sc, version)
	if err != nil {
		return nil, apperr.E(op, apperr.Conflict, "cannot analyse version %s with the positions you can see: %v", version, err)
	}
	// The analysis outlives the request that started it: it is cached.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.AnalysisTimeout)
	defer cancel()
	res, err := analysis.Analyze(ctx, p, analysis.Options{})
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, apperr.E(op, apperr.Conflict, "the analysis took longer than %v", s.cfg.AnalysisTimeout)
	}
	if err != nil {
		return nil, apperr.E(op, apperr.Conflict, "cannot analyse version %s: %v", version, err)
	}
	view := analysisView{Negotiation: id, Version: version, Seen: p.Parties, Result: res}
	if rd.Role != access.Mediator {
		view.Note = "computed over the positions you can see: your own and those shared with you"
	}
	b, err := json.Marshal(view)
	if err != nil {
		return nil, err
	}
	// Fractional numbers as every analysis output writes them: rounded to
	// 12 digits (0.64, not 0.6399999999999999); integers untouched.
	return round.AppendJSON(make([]byte, 0, len(b)), b), nil
}

func writeCached(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(b)
}
