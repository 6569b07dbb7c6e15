//go:build !unix

package genius

import "time"

// cpuTime is not measured here: the benchmarks report wall-clock time only.
func cpuTime() time.Duration { return 0 }
