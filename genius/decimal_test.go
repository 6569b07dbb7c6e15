package genius

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestParseDecimal(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0.5", "1/2"},
		{"-1.25e2", "-125"},
		{" 3 ", "3"},
		{".5", "1/2"},
		{"1.", "1"},
		{"+2E-1", "1/5"},
		{"0." + strings.Repeat("0", 90) + "1", "1/1" + strings.Repeat("0", 91)},
	} {
		got, err := parseDecimal(tt.in)
		if err != nil || got.RatString() != tt.want {
			t.Errorf("parseDecimal(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "-", ".", "e5", "1e", "1e+-5", "0x1", "1_000", "NaN", "Infinity", "1e401", "1.2.3", "--1",
		"0.5" + strings.Repeat("0", 848) + "1", "0." + strings.Repeat("0", 2000) + "1"} {
		if got, err := parseDecimal(in); err == nil {
			t.Errorf("parseDecimal(%.40q) = %v, want an error", in, got)
		}
	}
}

// decimalSyntax is the grammar parseDecimal accepts, written separately.
var decimalSyntax = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$`)

// FuzzParseDecimal checks parseDecimal against math/big's own reading of
// decimals: whatever it accepts has the same value, and every short number
// of the grammar with a small exponent is accepted.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"0.5", "-1.25e2", ".5", "1.", "1e400", "0.0001", "123456789012345678901234567890"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseDecimal(s)
		want, ok := new(big.Rat).SetString(strings.TrimSpace(s))
		if err == nil {
			if !ok || got.Cmp(want) != 0 {
				t.Fatalf("parseDecimal(%q) = %v, big.Rat reads %v (%v)", s, got, want, ok)
			}
			return
		}
		trimmed := strings.TrimSpace(s)
		if decimalSyntax.MatchString(trimmed) && len(trimmed) <= maxDecimalLen {
			var exp int
			if i := strings.IndexAny(trimmed, "eE"); i >= 0 {
				fmt.Sscan(strings.TrimPrefix(trimmed[i+1:], "+"), &exp)
			}
			if exp <= maxExponent && exp >= -maxExponent {
				t.Fatalf("parseDecimal(%q) refused a decimal: %v", s, err)
			}
		}
	})
}

// TestStepValuesLongDecimals: a low of 0.5 followed by many zeros and a 1
// once gave values of 5e-51 instead of 0.5, 1.5, ...
func TestStepValuesLongDecimals(t *testing.T) {
	lo, _ := parseDecimal("0.5" + strings.Repeat("0", 80) + "1")
	step, _ := parseDecimal("1")
	got := stepValues(lo, step, 3)
	for k, want := range []float64{0.5, 1.5, 2.5} {
		if got[k] != want {
			t.Errorf("value %d = %v, want %v", k, got[k], want)
		}
	}
}

// TestLoadLargeGeniusWeb reads a GeniusWeb domain of one issue with 30,000
// values whose names all clean up to the same id. Parsing once rescanned
// the file for every token, and naming the options tried every suffix
// from 2: both quadratic, more than a minute for this domain.
func TestLoadLargeGeniusWeb(t *testing.T) {
	const n = 30_000
	var values, utils []string
	for i := range n {
		v := string([]rune{rune(0x4E00 + i%20000), rune(0x4E00 + i/20000)})
		values = append(values, fmt.Sprintf("%q", v))
		utils = append(utils, fmt.Sprintf("%q: %d.%d", v, i%2, i%10*(1-i%2)))
	}
	dom := `{"name": "big", "issuesValues": {"issue": {"values": [` + strings.Join(values, ", ") + `]}}}`
	prof := `{"LinearAdditiveUtilitySpace": {"domain": ` + dom + `, "name": "p",
		"issueUtilities": {"issue": {"discreteutils": {"valueUtilities": {` + strings.Join(utils, ", ") + `}}}},
		"issueWeights": {"issue": 1}}}`
	dir := t.TempDir()
	paths := []string{filepath.Join(dir, "big.json"), filepath.Join(dir, "p1.json"), filepath.Join(dir, "p2.json")}
	for i, data := range []string{dom, prof, prof} {
		if err := os.WriteFile(paths[i], []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Load(paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := d.Scenario.Versions[0].Blocks[0].Points[0].Options
	seen := map[string]bool{}
	for _, o := range opts {
		if seen[o.ID] {
			t.Fatalf("option id %q given twice", o.ID)
		}
		seen[o.ID] = true
	}
	if len(opts) != n {
		t.Errorf("%d options, want %d", len(opts), n)
	}
}

func TestUnitDecimalAgreesWithParseDecimal(t *testing.T) {
	piece := rapid.SampledFrom([]string{"", "-", "+", "0", "00", "1", "5", "9", "10", ".", "e", "E-", " ", "x", "0000000000000000000001", "999999999999999999"})
	rapid.Check(t, func(rt *rapid.T) {
		s := strings.Join(rapid.SliceOfN(piece, 0, 8).Draw(rt, "pieces"), "")
		f, ok := unitDecimal(s)
		if !ok {
			return
		}
		r, err := parseDecimal(s)
		if err != nil {
			t.Fatalf("unitDecimal(%q) = %v; parseDecimal: %v", s, f, err)
		}
		if r.Sign() < 0 || r.Cmp(big.NewRat(1, 1)) > 0 {
			t.Fatalf("unitDecimal(%q) accepted %s, outside [0, 1]", s, r.RatString())
		}
		if want, _ := r.Float64(); math.Float64bits(f) != math.Float64bits(want) {
			t.Fatalf("unitDecimal(%q) = %v, want %v", s, f, want)
		}
	})
	for _, s := range []string{"0", "1", "0.5", "1.000", "-0", "-0.00", ".25", "0.1234567890123456789"} {
		if _, ok := unitDecimal(s); !ok {
			t.Errorf("unitDecimal(%q) refused", s)
		}
	}
}
