package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// The Go runtime ends a process that cannot map more memory with exit
// status 2: parley's status for bad input. Where the system caps the
// address space (ulimit -v) or the memory committed (strict overcommit),
// the runtime's request for its next 64 MiB of heap can fail before the
// memory watchdog (watchMemory) sees parley near the limit. There, and
// only there, parley runs its work in a child process that reports bad
// input with childBadInput, and the parent maps the child's statuses to
// parley's: a child that died of the runtime's 2, or of a signal, is an
// internal failure (1), never bad input. Elsewhere the kernel ends a
// process short of memory with a signal, and the watchdog stops parley
// with status 1 before that; only one allocation larger than the
// machine's memory could still meet the runtime's failure, and parley's
// limits on its input keep allocations far below that.

// childEnv marks the child process.
const childEnv = "PARLEY_CHILD_PROCESS"

// childBadInput is the child's exit status for bad input.
const childBadInput = 3

// supervise runs parley's arguments in a child process and returns the
// exit status to end with; ok is false when no child could be started,
// and parley then does the work itself.
func supervise() (code int, ok bool) {
	self, err := os.Executable()
	if err != nil {
		return 0, false
	}
	cmd := exec.Command(self, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.SysProcAttr = childAttr()
	// Ctrl-C reaches the child from the terminal; an interrupt sent to the
	// parent alone is passed on (the child takes the two copies of one
	// Ctrl-C as one). The child decides when to stop; the parent waits.
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	if err := cmd.Start(); err != nil {
		return 0, false
	}
	go func() {
		for s := range sig {
			cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, true
	case !errors.As(err, &ee):
		fmt.Fprintf(os.Stderr, "parley: %v\n", err)
		return 1, true
	}
	if ws, isWS := ee.Sys().(syscall.WaitStatus); isWS && ws.Signaled() {
		switch ws.Signal() {
		case syscall.SIGINT:
			return exitInterrupted, true
		case syscall.SIGPIPE:
			// The reader of standard output went away (parley … | head):
			// end as quietly as a process that wrote there itself.
			raise(syscall.SIGPIPE)
			return 141, true
		}
		fmt.Fprintf(os.Stderr, "parley: ended by signal %v (out of memory?)\n", ws.Signal())
		return 1, true
	}
	switch c := ee.ExitCode(); c {
	case childBadInput:
		return 2, true
	case 2:
		fmt.Fprintln(os.Stderr, "parley: internal failure (out of memory, or a bug): exit status 1, not 2, as the input was not found bad")
		return 1, true
	default:
		return c, true
	}
}
