package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// BenchmarkAnalyzeEnergy runs "parley analyze --json" in process on the
// Energy-sized sample domain, with two and with three profiles: the work
// of the command without the process start-up.
func BenchmarkAnalyzeEnergy(b *testing.B) {
	const dir = "../../examples/research/energy/"
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"2profiles", []string{dir + "energy_domain.xml", dir + "consumer.xml", dir + "producer.xml"}},
		{"2profiles-no-sensitivity", []string{"--no-sensitivity", dir + "energy_domain.xml", dir + "consumer.xml", dir + "producer.xml"}},
		{"3profiles", []string{dir}},
		{"3profiles-no-sensitivity", []string{"--no-sensitivity", dir}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
				if code := run(context.Background(), e, append([]string{"analyze", "--json"}, bc.args...)); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
