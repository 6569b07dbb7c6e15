package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"time"
)

// A command that works on input has its memory watched: when the memory
// parley holds comes near the limit the system sets (the memory limit of
// its cgroup, or the machine's memory), parley stops with exit status 1
// and says so, instead of being killed without a word. The garbage
// collector is told a lower limit, so that garbage is collected before
// the watchdog counts it. Where the address space is capped (ulimit -v),
// a child process guards the exit status too (see supervise).

// memoryLimit is the memory parley may hold and where that limit comes
// from.
type memoryLimit struct {
	bytes uint64
	// what names the limit in the message, e.g. "the machine's memory
	// of 23 GiB".
	what string
}

// Fractions of the limit: the garbage collector aims to stay below
// gcShare; the watchdog stops parley above stopShare, leaving room for
// what is allocated between two checks.
const (
	gcShare    = 0.6
	stopShare  = 0.8
	watchEvery = 5 * time.Millisecond
)

// memoryLimitOf finds the limit; tests set a small one.
var memoryLimitOf = systemMemoryLimit

// watchMemory starts the watchdog for command name; its message goes to
// stderr. Finding the limit is left to the watchdog's goroutine, off the
// path of the command's own start.
func watchMemory(name string, stderr io.Writer) {
	go func() {
		lim, ok := memoryLimitOf()
		if !ok {
			return
		}
		if debug.SetMemoryLimit(-1) == math.MaxInt64 { // GOMEMLIMIT unset
			debug.SetMemoryLimit(int64(float64(lim.bytes) * gcShare))
		}
		over := overLimit(lim, residentMemory)
		check := func() {
			if used, ok := over(); ok {
				outOfMemory(stderr, name, used, lim)
			}
		}
		// A check after every garbage collection follows the heap as it
		// grows, however fast; the ticker covers the time between.
		afterGC(check)
		tick := time.NewTicker(watchEvery)
		for range tick.C {
			check()
		}
	}()
}

// overLimit returns the watchdog's test: whether the memory that held
// reports is above the share of lim at which parley stops.
func overLimit(lim memoryLimit, held func() uint64) func() (used uint64, over bool) {
	stop := uint64(float64(lim.bytes) * stopShare)
	return func() (uint64, bool) {
		used := held()
		return used, used > stop
	}
}

// afterGC calls f after every garbage collection.
func afterGC(f func()) {
	var arm func()
	arm = func() {
		// Not a tiny object: those share a block, and their cleanups may
		// never run.
		runtime.AddCleanup(new([32]byte), func(struct{}) {
			f()
			arm()
		}, struct{}{})
	}
	arm()
}

// outOfMemory ends parley with exit status 1, removing unfinished output
// files.
func outOfMemory(stderr io.Writer, name string, used uint64, lim memoryLimit) {
	removeTemps()
	fmt.Fprintf(stderr, "parley %s: out of memory: %s in use, near %s; stopped before the limit (an internal failure, exit status 1: the input was not found bad)\n",
		name, mib(used), lim.what)
	os.Exit(1)
}

// mib formats a number of bytes in MiB.
func mib(n uint64) string {
	return fmt.Sprintf("%d MiB", n>>20)
}
