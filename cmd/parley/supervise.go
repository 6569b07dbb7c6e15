package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// The Go runtime ends a process that runs out of memory, or panics, with
// exit status 2: parley's status for bad input. So parley runs its work
// in a child process that reports bad input with childBadInput instead,
// and the parent maps the child's statuses to parley's: a child that died
// of the runtime's 2, or of a signal, is an internal failure (1), never
// bad input.

// needsChild reports whether the command args name works on input and
// so runs in a child process. The commands that read no input (version,
// help, schema, example) start at once, and the server, which runs for
// days and must receive its signals itself, runs in the process started.
func needsChild(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "version", "-v", "--version", "help", "-h", "-help", "--help", "schema", "example", "serve":
		return false
	}
	return true
}

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
