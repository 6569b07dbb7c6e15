//go:build !linux

package main

// systemMemoryLimit finds no limit where parley cannot read one; such
// systems run the work in a child process (see memoryCapped).
func systemMemoryLimit() (memoryLimit, bool) { return memoryLimit{}, false }

func residentMemory() uint64 { return 0 }
