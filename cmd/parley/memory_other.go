//go:build !linux

package main

// systemMemoryLimit finds no limit where parley cannot read one; the
// runtime's own failure then ends parley.
func systemMemoryLimit(func() (mapped, inUse uint64)) (memoryLimit, bool) {
	return memoryLimit{}, false
}
