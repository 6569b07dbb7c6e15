package main

import (
	"flag"
	"math"
	"strconv"
	"strings"
	"time"

	"parley/analysis"
)

// textFlagsUsage documents the flags of textFlags, for the usage texts of
// analyze and improve.
const textFlagsUsage = `  --as-of DATE         judge with the positions held on DATE (YYYY-MM-DD;
                       default: the version's date, or the latest positions)
  --count IDS          count these parties (comma-separated) in the fair
                       packages instead of those that bargain (by default
                       the parties with role party)
  --lift P:POINT=OPT   what if party P lifted its red line on POINT=OPT
  --reservation P=V    what if party P's reservation value were V
  --weight P:POINT=W   what if party P's weight on POINT were W
                       (the what-if flags may be repeated; the output
                       states every change applied)
`

// listFlag is a flag that may be repeated.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// textFlags are the flags that choose the positions' date, who is counted
// and what-if changes.
type textFlags struct {
	asOf, count                  *string
	lifts, reservations, weights listFlag
}

func addTextFlags(fs *flag.FlagSet) *textFlags {
	f := &textFlags{asOf: fs.String("as-of", "", ""), count: fs.String("count", "", "")}
	fs.Var(&f.lifts, "lift", "")
	fs.Var(&f.reservations, "reservation", "")
	fs.Var(&f.weights, "weight", "")
	return f
}

// options turns the flags into compile options; bad values are usage
// errors.
func (f *textFlags) options() (analysis.CompileOptions, error) {
	var opt analysis.CompileOptions
	if *f.asOf != "" {
		if _, err := time.Parse("2006-01-02", *f.asOf); err != nil {
			return opt, usagef("--as-of must be a date YYYY-MM-DD, got %q", *f.asOf)
		}
		opt.AsOf = *f.asOf
	}
	if *f.count != "" {
		opt.Count = []string{}
		for _, id := range strings.Split(*f.count, ",") {
			if id = strings.TrimSpace(id); id == "" {
				return opt, usagef("--count: empty party id in %q", *f.count)
			}
			opt.Count = append(opt.Count, id)
		}
	}
	for _, l := range f.lifts {
		party, point, option, ok := splitPartyPoint(l)
		if !ok {
			return opt, usagef("--lift must be PARTY:POINT=OPTION, got %q", l)
		}
		opt.Changes = append(opt.Changes, analysis.Change{Kind: analysis.LiftChange, Party: party, Point: point, Option: option})
	}
	for _, r := range f.reservations {
		party, val, ok := strings.Cut(r, "=")
		v, err := strconv.ParseFloat(val, 64)
		if !ok || party == "" || err != nil || v < 0 || v > 1 || math.IsNaN(v) {
			return opt, usagef("--reservation must be PARTY=VALUE with VALUE in [0,1], got %q", r)
		}
		opt.Changes = append(opt.Changes, analysis.Change{Kind: analysis.ReservationChange, Party: party, To: &v})
	}
	for _, w := range f.weights {
		party, point, val, ok := splitPartyPoint(w)
		v, err := strconv.ParseFloat(val, 64)
		if !ok || err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return opt, usagef("--weight must be PARTY:POINT=WEIGHT with WEIGHT ≥ 0, got %q", w)
		}
		opt.Changes = append(opt.Changes, analysis.Change{Kind: analysis.WeightChange, Party: party, Point: point, To: &v})
	}
	return opt, nil
}

// splitPartyPoint splits "PARTY:POINT=VALUE".
func splitPartyPoint(s string) (party, point, value string, ok bool) {
	party, rest, ok1 := strings.Cut(s, ":")
	point, value, ok2 := strings.Cut(rest, "=")
	ok = ok1 && ok2 && party != "" && point != "" && value != ""
	return party, point, value, ok
}

// parsePairs parses --compare values "A,B".
func parsePairs(vals []string) ([][2]string, error) {
	var out [][2]string
	for _, v := range vals {
		a, b, ok := strings.Cut(v, ",")
		if !ok || a == "" || b == "" || strings.Contains(b, ",") {
			return nil, usagef("--compare must be two version ids, A,B, got %q", v)
		}
		out = append(out, [2]string{a, b})
	}
	return out, nil
}
