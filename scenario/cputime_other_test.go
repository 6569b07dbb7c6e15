//go:build !unix

package scenario

import "time"

// cpuTime is not measured here: the benchmarks report wall-clock time only.
func cpuTime() time.Duration { return 0 }
