package main

import (
	"math"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// childAttr ends the child if the parent dies.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// raise ends the process with sig, as if sig had reached it.
func raise(sig syscall.Signal) {
	signal.Reset(sig)
	syscall.Kill(os.Getpid(), sig)
}

// memoryCapped reports whether the system limits the address space
// (ulimit -v) or refuses to overcommit memory: there, running out of
// memory can end the Go runtime with status 2 before the watchdog acts.
func memoryCapped() bool {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) != nil || rl.Cur != math.MaxUint64 {
		return true
	}
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err != nil || strings.TrimSpace(string(b)) == "2"
}
