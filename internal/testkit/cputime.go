package testkit

import (
	"testing"
	"time"
)

// ReportCPUThroughput adds the CPU time per operation and the bytes per
// CPU-second to a benchmark: on a shared, busy machine they say more than
// the wall-clock figures. start is CPUTime() before the loop.
func ReportCPUThroughput(b *testing.B, start time.Duration, bytes int) {
	cpu := CPUTime() - start
	if cpu <= 0 || b.N == 0 {
		return
	}
	perOp := float64(cpu.Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp, "cpu-ns/op")
	b.ReportMetric(float64(bytes)/perOp*1e3, "cpu-MB/s")
}
