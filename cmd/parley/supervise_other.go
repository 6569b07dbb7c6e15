//go:build !linux

package main

import "syscall"

func childAttr() *syscall.SysProcAttr { return nil }

// raise does nothing where signals cannot be raised this way.
func raise(syscall.Signal) {}

// memoryCapped is true where parley does not know how the system handles
// a process short of memory: the work runs in a child process.
func memoryCapped() bool { return true }
