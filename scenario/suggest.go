package scenario

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// didYouMean returns a hint naming the id of known closest to the unknown
// id name, as ` (did you mean "x"?)`, or "" when none is close. An id is
// close when a few letters typed wrong would give it; one that differs
// only in its digits is another id ("v9" is not a typo of "v1"), not a
// suggestion. Two ids equally close are both named; more than two make
// the guess worthless, and there is then no hint.
func didYouMean[V any](name string, known map[string]V) string {
	if len(name) > 64 {
		return ""
	}
	lower := strings.ToLower(name)
	var best []string
	bestDist := len(name)/2 + 1
	for id := range known {
		if id == name || otherNumber(lower, strings.ToLower(id)) {
			continue
		}
		d := editDistance(lower, strings.ToLower(id))
		switch {
		case d < bestDist:
			best, bestDist = []string{id}, d
		case d == bestDist && best != nil:
			best = append(best, id)
		}
	}
	slices.Sort(best)
	switch len(best) {
	case 1:
		return fmt.Sprintf(" (did you mean %q?)", best[0])
	case 2:
		return fmt.Sprintf(" (did you mean %q or %q?)", best[0], best[1])
	}
	return ""
}

// otherNumber reports whether a and b differ only in their digits: the
// same name with another number.
func otherNumber(a, b string) bool {
	digit := func(r rune) bool { return unicode.IsDigit(r) }
	letters := func(s string) string {
		return strings.Map(func(r rune) rune {
			if digit(r) {
				return -1
			}
			return r
		}, s)
	}
	return a != b && strings.ContainsFunc(a, digit) && letters(a) == letters(b)
}

// DidYouMean returns a hint naming the id of ids closest to the unknown id
// name, as ` (did you mean "x"?)`, or "" when none is close (see
// didYouMean).
func DidYouMean(name string, ids []string) string {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return didYouMean(name, m)
}
