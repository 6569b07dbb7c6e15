package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

// interruptGrace is how long a command has to stop on its own after the
// first Ctrl-C (its context is cancelled at once) before parley ends the
// process: reading and parsing do not look at the context, and Ctrl-C must
// stop parley within 100 ms.
const interruptGrace = 80 * time.Millisecond

// sameInterrupt is how close two interrupts are taken to be one.
const sameInterrupt = 20 * time.Millisecond

// exitInterrupted is the exit status after Ctrl-C, as shells report it.
const exitInterrupted = 130

// handleInterrupts cancels the context on the first Ctrl-C and ends the
// process, removing unfinished output files, on the second or when the
// command has not stopped within interruptGrace. stop undoes it.
func handleInterrupts(cancel context.CancelFunc, stderr io.Writer) (stop func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt)
	quit := make(chan struct{})
	go func() {
		select {
		case <-ch:
		case <-quit:
			return
		}
		cancel()
		// The same Ctrl-C can arrive twice: from the terminal and
		// forwarded by the parent process (see supervise). A second one
		// counts only after sameInterrupt.
		same := time.After(sameInterrupt)
		grace := time.After(interruptGrace)
	wait:
		for {
			select {
			case <-ch:
				select {
				case <-same:
					break wait
				default:
				}
			case <-grace:
				break wait
			case <-quit:
				return
			}
		}
		removeTemps()
		fmt.Fprintln(stderr, "parley: interrupted")
		os.Exit(exitInterrupted)
	}()
	return func() {
		signal.Stop(ch)
		close(quit)
	}
}
