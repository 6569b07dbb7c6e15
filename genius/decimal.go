package genius

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// maxDecimalLen bounds the length of a number read exactly: no GeniusWeb
// file needs more, and a longer one could cost time out of proportion to
// its size.
const maxDecimalLen = 100

// maxExponent bounds the decimal exponent of an exact number, so that a
// hostile file cannot ask for a number with millions of digits.
const maxExponent = 400

// parseDecimal reads s, a decimal number as GeniusWeb writes them
// ([-]digits[.digits][e[+-]digits], surrounding spaces allowed), exactly.
func parseDecimal(s string) (*big.Rat, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxDecimalLen {
		return nil, fmt.Errorf("a number of %d characters: at most %d are read", len(s), maxDecimalLen)
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || !isDigits(strings.TrimLeft(s[i+1:], "+-")) || strings.Count(s[i+1:], "-")+strings.Count(s[i+1:], "+") > 1 {
			return nil, errors.New("not a decimal number")
		}
		if e > maxExponent || e < -maxExponent {
			return nil, fmt.Errorf("exponent %d out of range (at most %d)", e, maxExponent)
		}
		exp = e
	}
	neg := false
	switch {
	case strings.HasPrefix(mant, "-"):
		neg, mant = true, mant[1:]
	case strings.HasPrefix(mant, "+"):
		mant = mant[1:]
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" && frac == "" || !isDigits(whole) || !isDigits(frac) {
		return nil, errors.New("not a decimal number")
	}
	digits, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok {
		return nil, errors.New("not a decimal number")
	}
	if neg {
		digits.Neg(digits)
	}
	exp -= len(frac)
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil)
	r := new(big.Rat)
	if exp >= 0 {
		return r.SetInt(digits.Mul(digits, pow)), nil
	}
	return r.SetFrac(digits, pow), nil
}

// unitDecimal reads s quickly when it is a plain decimal ([-]digits[.digits],
// no exponent, no spaces) of at most maxDecimalLen characters whose exact
// value lies in [0, 1], as nearly every utility in a GeniusWeb file is. It
// returns the nearest float64, as parseDecimal's would be. For anything
// else it reports false, and parseDecimal decides.
func unitDecimal(s string) (float64, bool) {
	if len(s) > maxDecimalLen {
		return 0, false
	}
	digits := strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(digits, ".")
	if whole == "" && frac == "" || !isDigits(whole) || !isDigits(frac) {
		return 0, false
	}
	whole = strings.TrimLeft(whole, "0")
	zeroFrac := strings.Trim(frac, "0") == ""
	switch {
	case whole == "" && zeroFrac:
		return 0, true // also for -0, which is 0 exactly
	case len(digits) < len(s): // negative
		return 0, false
	case whole == "", whole == "1" && zeroFrac:
	default: // more than 1
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
