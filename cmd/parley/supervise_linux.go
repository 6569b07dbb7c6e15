package main

import (
	"os"
	"os/signal"
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
