package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progressBar shows on a terminal how a long job is going, ten times a
// second on one line that it clears when done. It stays silent for the
// first second, so quick jobs print nothing.
type progressBar struct {
	w           io.Writer
	unit        string // what is counted, e.g. "negotiations"
	done, total atomic.Int64
	stage       atomic.Pointer[string]
	start       time.Time
	quit        chan struct{}
	wg          sync.WaitGroup
}

// progressDelay is how long a job runs before its progress is shown.
var progressDelay = time.Second

func startProgress(w io.Writer, unit string) *progressBar {
	b := &progressBar{w: w, unit: unit, start: time.Now(), quit: make(chan struct{})}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		drawn := false
		for {
			select {
			case <-b.quit:
				if drawn {
					fmt.Fprint(b.w, "\r\033[K")
				}
				return
			case <-tick.C:
				if time.Since(b.start) >= progressDelay {
					b.draw()
					drawn = true
				}
			}
		}
	}()
	return b
}

// update records progress; it may be called from several goroutines.
func (b *progressBar) update(done, total int) {
	b.total.Store(int64(total))
	for {
		old := b.done.Load()
		if int64(done) <= old || b.done.CompareAndSwap(old, int64(done)) {
			return
		}
	}
}

// setStage names what the job is doing now and resets the count.
func (b *progressBar) setStage(stage string, done, total int) {
	b.stage.Store(&stage)
	b.done.Store(int64(done))
	b.total.Store(int64(total))
}

func (b *progressBar) draw() {
	done, total := b.done.Load(), b.total.Load()
	elapsed := time.Since(b.start)
	label := ""
	if st := b.stage.Load(); st != nil {
		label = *st + " "
	}
	if total == 0 {
		spin := `|/-\`[int(elapsed/(100*time.Millisecond))%4]
		fmt.Fprintf(b.w, "\r%c %s%s elapsed\033[K", spin, label, elapsed.Round(time.Second))
		return
	}
	const width = 30
	filled := int(done * width / total)
	eta := "?"
	if done > 0 {
		eta = (time.Duration(float64(elapsed) * float64(total-done) / float64(done))).Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r%s[%s%s] %d/%d %s, %s elapsed, %s left\033[K", label,
		strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total, b.unit,
		elapsed.Round(time.Second), eta)
}

func (b *progressBar) stop() {
	close(b.quit)
	b.wg.Wait()
}
