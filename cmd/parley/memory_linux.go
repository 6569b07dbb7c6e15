package main

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"syscall"
)

// systemMemoryLimit returns the tightest limit on parley's memory: the
// address-space limit (ulimit -v), the cgroup's memory limit or the
// machine's memory. held reports the memory the runtime has mapped and
// holds now.
func systemMemoryLimit(held func() (mapped, inUse uint64)) (memoryLimit, bool) {
	var best memoryLimit
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil && rl.Cur != math.MaxUint64 {
		// The address space counts the program and the runtime's
		// reservations too: what is left for data is the limit less
		// what is mapped now beyond the runtime's own memory.
		mapped, _ := held()
		if vm := addressSpace(); vm > mapped && vm-mapped < rl.Cur {
			best = memoryLimit{
				bytes:  rl.Cur - (vm - mapped),
				what:   "the address-space limit (ulimit -v) of " + mib(rl.Cur),
				mapped: true,
			}
		}
	}
	physical, what := machineMemory(), "the machine's memory of "
	if n := cgroupMemory(); n > 0 && n < physical {
		physical, what = n, "the memory limit of parley's control group of "
	}
	if physical > 0 && (best.bytes == 0 || physical < best.bytes) {
		best = memoryLimit{bytes: physical, what: what + mib(physical)}
	}
	return best, best.bytes > 0
}

// addressSpace returns the process's virtual memory size, 0 if unknown.
func addressSpace() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	pages, _, _ := bytes.Cut(b, []byte(" "))
	n, err := strconv.ParseUint(string(pages), 10, 64)
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

// cgroupMemory returns the memory limit of parley's control group (v2, or
// v1), 0 if there is none.
func cgroupMemory() uint64 {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64)
		if err != nil { // "max"
			return 0
		}
		return n
	}
	return 0
}
