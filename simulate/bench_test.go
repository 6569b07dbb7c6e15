package simulate

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"parley/analysis"
	"parley/genius"
)

// bigDomain has 8 issues of 5 options: 390,625 packages.
func bigDomain(b *testing.B) *Domain {
	p := genProblem(rand.New(rand.NewPCG(1, 1)), 2, []int{5, 5, 5, 5, 5, 5, 5, 5})
	return mustDomain(b, p, nil)
}

// BenchmarkUtility measures the evaluation of one package for one party.
func BenchmarkUtility(b *testing.B) {
	d := bigDomain(b)
	self := newSelf(d, 0, 10, rand.New(rand.NewPCG(1, 1)))
	pkgs := make([]analysis.Package, 1024)
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range pkgs {
		pkgs[i] = make(analysis.Package, 8)
		for j := range pkgs[i] {
			pkgs[i][j] = rng.IntN(5)
		}
	}
	b.ReportAllocs()
	sum := 0.0
	m := startMeter()
	for i := 0; b.Loop(); i++ {
		sum += self.Utility(pkgs[i&1023])
	}
	m.report(b, self.Evaluations())
	_ = sum
}

// BenchmarkSearch measures the search for packages near a target utility
// in the 390,625-package domain: 8 candidates in a band of 2% of the range.
func BenchmarkSearch(b *testing.B) {
	d := bigDomain(b)
	self := newSelf(d, 0, 10, rand.New(rand.NewPCG(1, 1)))
	pick := newPicker(self, 8)
	hi, _, _ := self.Max()
	lo := self.Min()
	b.ReportAllocs()
	m := startMeter()
	for i := 0; b.Loop(); i++ {
		target := lo + (hi-lo)*float64(i%100)/100
		pick.near(target, 0.02*(hi-lo), nil)
	}
	m.report(b, self.Evaluations())
}

// BenchmarkNegotiation measures whole negotiations of 1,000 rounds in the
// 390,625-package domain on one core, counting every package the parties
// evaluate.
func BenchmarkNegotiation(b *testing.B) {
	d := bigDomain(b)
	pairs := [][2]string{{"boulware", "frequency"}, {"hardheaded", "tft"}, {"conceder", "linear"}}
	for _, pair := range pairs {
		b.Run(pair[0]+"-"+pair[1], func(b *testing.B) {
			b.ReportAllocs()
			var evals int64
			var seed uint64
			m := startMeter()
			for b.Loop() {
				seed++
				r, err := Negotiate(context.Background(), d, mustStrategies(b, pair[0], pair[1]), Options{Rounds: 1000, Seed: seed})
				if err != nil {
					b.Fatal(err)
				}
				evals += r.Evaluations[0] + r.Evaluations[1]
			}
			m.report(b, evals)
		})
	}
}

// meter measures a single-goroutine benchmark's throughput both per second
// of wall time and per second of CPU time, which stays meaningful when
// other processes share the cores.
type meter struct {
	start time.Time
	cpu   float64
}

func startMeter() meter { return meter{time.Now(), cpuSeconds()} }

func (m meter) report(b *testing.B, offers int64) {
	b.ReportMetric(float64(offers)/time.Since(m.start).Seconds(), "offers/s")
	if cpu := cpuSeconds() - m.cpu; cpu > 0 {
		b.ReportMetric(float64(offers)/cpu, "offers/cpu-s")
	}
}

const geniusDir = "../../shared/data/genius"

// BenchmarkTournamentGenius plays the round robin of six strategies over
// the GENIUS domains, 10 repetitions of 1,000 rounds, on two workers.
func BenchmarkTournamentGenius(b *testing.B) {
	entries, err := os.ReadDir(geniusDir)
	if err != nil {
		b.Skipf("GENIUS domains not available: %v", err)
	}
	var domains []*Domain
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		g, err := genius.Load([]string{filepath.Join(geniusDir, e.Name())}, genius.Options{})
		if err != nil {
			b.Fatalf("%s: %v", e.Name(), err)
		}
		d, err := NewDomain(e.Name(), g.Problem, g.Discount)
		if err != nil {
			b.Fatal(err)
		}
		if d.Reference, err = ComputeReference(context.Background(), g.Problem); err != nil {
			b.Fatal(err)
		}
		domains = append(domains, d)
	}
	var strategies []Entry
	for _, n := range []string{"boulware", "conceder", "tft", "hardheaded", "random", "frequency"} {
		f, err := Lookup(n)
		if err != nil {
			b.Fatal(err)
		}
		strategies = append(strategies, Entry{n, f})
	}
	b.ReportAllocs()
	var negotiations int
	cpu := cpuSeconds()
	for b.Loop() {
		t := &Tournament{Domains: domains, Strategies: strategies, Reps: 10, Rounds: 1000, Seed: 1, Workers: 2}
		rep, err := t.Run(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		negotiations = len(rep.Records)
	}
	// CPU time tells the work done when other processes share the cores.
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(len(domains)), "domains")
	b.ReportMetric(float64(negotiations), "negotiations")
}
