package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The Go runtime ends a process that cannot get more memory with exit
// status 2: parley's status for bad input. So a command that works on
// input is watched: when the memory it holds comes near the limit the
// system sets (ulimit -v, a cgroup, the machine's memory), parley stops
// with exit status 1 and says so, before the runtime fails. The garbage
// collector is told the same limit, so that garbage is collected before
// the watchdog counts it.

// memoryLimit is the memory parley may use and where that limit comes from.
type memoryLimit struct {
	// bytes is the memory the runtime may map for parley's data: the
	// limit less what the process held before its work began.
	bytes uint64
	// what names the limit for the message, e.g. "the address-space
	// limit (ulimit -v) of 781 MiB".
	what string
	// mapped is true when the limit counts address space, memory
	// returned to the system included (ulimit -v); false when it counts
	// the memory actually held (a cgroup, the machine).
	mapped bool
}

// Fractions of the limit: the garbage collector aims to stay below
// gcShare; the watchdog stops parley above stopShare, leaving room for
// what is allocated between two checks.
const (
	gcShare    = 0.6
	stopShare  = 0.8
	watchEvery = 2 * time.Millisecond
)

// memoryMetrics are the runtime figures the watchdog reads.
var memoryMetrics = []string{
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
}

// watchMemory starts the watchdog for command name; messages go to stderr.
// Finding the limit is left to the watchdog's goroutine, off the path of
// the command's own start.
func watchMemory(name string, stderr io.Writer) {
	go func() {
		samples := make([]metrics.Sample, len(memoryMetrics))
		for i, n := range memoryMetrics {
			samples[i].Name = n
		}
		held := func() (mapped, inUse uint64) {
			metrics.Read(samples)
			total, released := samples[0].Value.Uint64(), samples[1].Value.Uint64()
			return total, total - released
		}
		lim, ok := systemMemoryLimit(held)
		if !ok {
			return
		}
		if debug.SetMemoryLimit(-1) == math.MaxInt64 { // GOMEMLIMIT unset
			debug.SetMemoryLimit(int64(float64(lim.bytes) * gcShare))
		}
		stop := uint64(float64(lim.bytes) * stopShare)
		check := func() {
			mapped, inUse := held()
			used := inUse
			if lim.mapped {
				used = mapped
			}
			if used > stop {
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
	fmt.Fprintf(stderr, "parley %s: out of memory: %s leaves %s for the work, of which %s is in use; stopped before the limit is reached (an internal failure, exit status 1: the input was not found bad)\n",
		name, lim.what, mib(lim.bytes), mib(used))
	os.Exit(1)
}

// mib formats a number of bytes in MiB.
func mib(n uint64) string {
	return fmt.Sprintf("%d MiB", n>>20)
}
