package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"parley/simulate"
)

func init() {
	register(&command{
		name:      "simulate",
		summary:   "simulate negotiations between automated strategies; tournaments",
		makeUsage: func() string { return fmt.Sprintf(simulateUsage, strategyList()) },
		run:       runSimulate,
	})
}

const simulateUsage = `Usage: parley simulate [flags] [DOMAIN...]

Simulates negotiations between automated parties under the stacked
alternating offers protocol: in turn, each party accepts the standing offer,
makes a new one or leaves; an offer is agreed when every other party has
accepted it; without agreement by the deadline each party gets its
reservation value, and discount factors apply as in GENIUS. With several
strategies, domains or repetitions it plays a round-robin tournament: on
every domain, every assignment of the strategies to the parties (each
strategy in each role, against itself too) is negotiated --reps times.

Each DOMAIN is one negotiation problem: a parley scenario file (YAML or
JSON; "-" reads standard input), a GENIUS or GeniusWeb folder, or the files
of one research domain joined by commas (domain.xml,buyer.xml,seller.xml).
Without DOMAIN, parley simulates its embedded default scenario.

Strategies (see docs/simulate.md):
%s  time:E       time-based concession with exponent E (E<1 Boulware,
               E>1 Conceder)

The results are the same for the same seed, whatever the number of workers
(unless --deadline-time or --turn-timeout cuts a negotiation short). A
readable summary per strategy and per domain goes to standard output, or
JSON with --json; --out writes one CSV row per negotiation (or the JSON
report when FILE ends in .json). A progress bar is shown on a terminal.

Flags:
  --strategies LIST      comma-separated strategy names (default: all listed
                         above but time:E)
  --rounds N             deadline in rounds (default 1000)
  --reps R               repetitions of each pairing (default 1)
  --seed S               seed of the tournament (default 1)
  --out FILE             write the results: CSV, or JSON if FILE ends in .json
  --json                 print the full report as JSON instead of the summary
  --workers W            negotiations run at once (default: the number of cores)
  --deadline-time D      also end each negotiation after this wall time
                         (e.g. 200ms)
  --turn-timeout D       drop a party whose turn lasts longer (default 5s;
                         0: never)
  --version ID           the version of a scenario's text (default: the last)
  --real-steps N         values a GENIUS real issue is discretised into
                         (default 11)

Examples:
  parley simulate --strategies boulware,conceder,tft examples/research/holiday
  parley simulate examples/research/holiday --reps 10 --out results.csv
  parley simulate --json --rounds 200 examples/research/*/ | jq .by_strategy
  parley simulate --strategies time:0.5,time:5 examples/research/flights
  # The default scenario, or talks.yaml from parley example: in every
  # version, red lines on territory leave no option that all parties
  # accept, so every negotiation ends without agreement (a note says so).
  parley simulate --strategies boulware,conceder --rounds 200
  parley simulate talks.yaml --strategies boulware,tft,frequency --reps 2
`

// strategyList is the usage text's list of registered strategies.
func strategyList() string {
	var b strings.Builder
	for _, n := range simulate.Names() {
		line := fmt.Sprintf("  %-12s", n)
		for _, w := range strings.Fields(simulate.Summary(n)) {
			if len(line)+1+len(w) > 78 {
				b.WriteString(line + "\n")
				line = strings.Repeat(" ", 14)
			}
			line += " " + w
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func runSimulate(ctx context.Context, e *env, args []string) error {
	c := commands["simulate"]
	fs := newFlags(c, e)
	names := fs.String("strategies", strings.Join(simulate.Names(), ","), "")
	rounds := fs.Int("rounds", 1000, "")
	reps := fs.Int("reps", 1, "")
	seed := fs.Uint64("seed", 1, "")
	out := fs.String("out", "", "")
	asJSON := fs.Bool("json", false, "")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "")
	deadline := fs.Duration("deadline-time", 0, "")
	turnTimeout := fs.Duration("turn-timeout", 5*time.Second, "")
	version := fs.String("version", "", "")
	realSteps := fs.Int("real-steps", 0, "")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *rounds < 1:
		return usagef("--rounds must be at least 1, got %d", *rounds)
	case *reps < 1:
		return usagef("--reps must be at least 1, got %d", *reps)
	case *workers < 1:
		return usagef("--workers must be at least 1, got %d", *workers)
	case *deadline < 0:
		return usagef("--deadline-time must not be negative, got %v", *deadline)
	case *turnTimeout < 0:
		return usagef("--turn-timeout must not be negative, got %v", *turnTimeout)
	case *realSteps < 0:
		return usagef("--real-steps must not be negative, got %d", *realSteps)
	}
	strategies, err := parseStrategies(*names)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := checkWritable(*out); err != nil {
			return usagef("--out: %v", err)
		}
	}

	var domains []*simulate.Domain
	var groups [][]string
	for _, p := range paths {
		groups = append(groups, strings.Split(p, ","))
	}
	if len(groups) == 0 {
		groups = [][]string{nil}
	}
	taken := make(map[string]int)
	closed := make(map[*simulate.Domain]string) // domains whose zone is closed, said up front
	for _, g := range groups {
		in, err := loadInput(g, inputOptions{version: *version, stdin: e.stdin, realSteps: *realSteps})
		if err != nil {
			return err
		}
		name := domainName(in, g)
		if taken[name]++; taken[name] > 1 {
			name = fmt.Sprintf("%s(%d)", name, taken[name])
		}
		d, err := simulate.NewDomain(name, in.Problem, in.Discount)
		if err != nil {
			return badInput(err)
		}
		d.Notes = in.Notes
		if d.Reference, err = simulate.ComputeReference(ctx, in.Problem); err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		if eps := d.Reference.Epsilon; eps > 0 {
			d.Notes = append(d.Notes, fmt.Sprintf("the Pareto frontier is approximated within ε = %g, and so are distances to it", eps))
		}
		if why := closedZone(d); why != "" {
			// Said up front, before a long run; --json keeps it among the
			// domain's notes for the record.
			l := e.layout(0, 0)
			l.para(e.stderr, "parley simulate: ", strings.Repeat(" ", len("parley simulate: ")), s("note: "+d.Name+": "+why+"."))
			d.Notes = append(d.Notes, why)
			closed[d] = why
		}
		domains = append(domains, d)
	}

	t := &simulate.Tournament{
		Domains: domains, Strategies: strategies, Reps: *reps, Rounds: *rounds,
		Deadline: *deadline, TurnTimeout: *turnTimeout, Seed: *seed, Workers: *workers,
	}
	if n := t.Negotiations(); n > simulate.MaxNegotiations {
		return usagef("%.0f negotiations (pairings of strategies × --reps %d): at most %d in one run", n, *reps, simulate.MaxNegotiations)
	}
	var bar *progressBar
	if e.terminal {
		bar = startProgress(e.progressOut(), "negotiations")
		t.Progress = bar.update
	}
	rep, err := t.Run(ctx)
	if bar != nil {
		bar.stop()
	}
	if err != nil && (rep == nil || ctx.Err() == nil) {
		return err
	}
	interrupted := err != nil

	if *out != "" {
		if err := writeResults(*out, rep); err != nil {
			return err
		}
	}
	if interrupted {
		msg := fmt.Sprintf("interrupted after %d of %d negotiations", len(rep.Records), rep.Planned)
		if *out != "" {
			msg += fmt.Sprintf("; the finished ones are in %s", *out)
		}
		fmt.Fprintf(e.stderr, "parley simulate: %s\n", msg)
		if *asJSON {
			rep.WriteJSON(e.stdout)
		} else {
			rep.WriteSummaryWidth(e.stdout, e.layout(0, 0).width)
		}
		return errors.New("interrupted")
	}
	if *asJSON {
		return rep.WriteJSON(e.stdout)
	}
	if err := rep.WriteSummaryWidth(e.stdout, e.layout(0, 0).width); err != nil {
		return err
	}
	l := e.layout(0, 0)
	for _, d := range domains {
		for _, n := range d.Notes {
			if n != closed[d] {
				l.para(e.stdout, "note: ", "  ", s(d.Name+": "+n))
			}
		}
	}
	return nil
}

// parseStrategies looks up a comma-separated list of strategy names.
func parseStrategies(list string) ([]simulate.Entry, error) {
	var entries []simulate.Entry
	seen := make(map[string]bool)
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if seen[n] {
			return nil, usagef("--strategies: %q listed twice", n)
		}
		seen[n] = true
		f, err := simulate.Lookup(n)
		if err != nil {
			return nil, usagef("--strategies: %v", err)
		}
		entries = append(entries, simulate.Entry{Name: n, New: f})
	}
	if len(entries) == 0 {
		return nil, usagef("--strategies: no strategy given (known: %s, time:E)", strings.Join(simulate.Names(), ", "))
	}
	return entries, nil
}

// domainName names a domain in the results: a research folder by its own
// name, a scenario by its id, anything else by the name it was read under.
func domainName(in *input, paths []string) string {
	if len(paths) == 1 {
		if fi, err := os.Stat(paths[0]); err == nil && fi.IsDir() {
			return filepath.Base(filepath.Clean(paths[0]))
		}
	}
	if in.Scenario != nil && in.Scenario.ID != "" {
		return in.Scenario.ID
	}
	return in.Name
}

// writeResults writes the report to path: JSON for a .json file, CSV
// otherwise.
func writeResults(path string, rep *simulate.Report) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return rep.WriteJSON(f)
	}
	return rep.WriteCSV(f)
}

// checkWritable makes sure, before a long run, that path can be written:
// its folder exists and takes new files, and path is not a folder or a
// file that cannot be written. It leaves no file behind.
func checkWritable(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a folder", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		return f.Close()
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".parley-out-*")
	if err != nil {
		return fmt.Errorf("cannot write into %s: %w", filepath.Dir(path), err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
