//go:build !linux

package main

import "syscall"

func childAttr() *syscall.SysProcAttr { return nil }

// raise does nothing where signals cannot be raised this way.
func raise(syscall.Signal) {}
