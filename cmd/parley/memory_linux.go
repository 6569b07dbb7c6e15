package main

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// systemMemoryLimit returns the tighter of the memory limit of parley's
// cgroup and the machine's memory.
func systemMemoryLimit() (memoryLimit, bool) {
	lim := memoryLimit{bytes: machineMemory(), what: "the machine's memory of "}
	if n := cgroupMemory(); n > 0 && (lim.bytes == 0 || n < lim.bytes) {
		lim = memoryLimit{bytes: n, what: "the memory limit of parley's cgroup of "}
	}
	lim.what += mib(lim.bytes)
	return lim, lim.bytes > 0
}

// residentMemory returns the memory the process holds, 0 if unknown.
func residentMemory() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	// statm: size resident shared text lib data dt, in pages.
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	n, err := strconv.ParseUint(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return n * uint64(os.Getpagesize())
}

// machineMemory returns the machine's memory, 0 if unknown.
func machineMemory() uint64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return uint64(si.Totalram) * uint64(si.Unit)
}

// cgroupMemory returns the memory limit of parley's cgroup (v2, or v1), 0
// if there is none.
func cgroupMemory() uint64 {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64)
		if err != nil { // "max": no limit
			return 0
		}
		return n
	}
	return 0
}
