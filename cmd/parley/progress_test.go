package main

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a strings.Builder safe for the bar's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressBar(t *testing.T) {
	defer func(d time.Duration) { progressDelay = d }(progressDelay)
	progressDelay = 0
	var out syncBuffer
	bar := startProgress(&out, "negotiations")
	bar.update(3, 12)
	time.Sleep(250 * time.Millisecond)
	bar.setStage("sensitivity", 0, 0)
	time.Sleep(250 * time.Millisecond)
	bar.stop()
	got := out.String()
	for _, want := range []string{"3/12 negotiations", "sensitivity", "elapsed"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress output %q lacks %q", got, want)
		}
	}
	if !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("the progress line is not cleared at the end: %q", got)
	}
}

func TestProgressBarQuietWhenQuick(t *testing.T) {
	var out syncBuffer
	bar := startProgress(&out, "negotiations")
	bar.update(1, 2)
	bar.stop()
	if got := out.String(); got != "" {
		t.Errorf("a job under a second drew %q", got)
	}
}
