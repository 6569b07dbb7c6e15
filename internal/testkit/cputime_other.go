//go:build !unix

package testkit

import "time"

// CPUTime is not measured here: benchmarks report wall-clock time only.
func CPUTime() time.Duration { return 0 }
