package round

import "strconv"

// AppendJSON appends to dst the JSON document src with every fractional
// number — one written with a decimal point or an exponent — rewritten by
// Append, so that a document encoding/json wrote from float64 values reads
// as if each had been rounded by Float first. Integers are copied digit
// for digit (a count can exceed 2^53, which a float64 does not hold), and
// so are strings, keys and the layout. src is expected to be valid JSON, as
// encoding/json writes it; a number that does not parse is copied as it is.
func AppendJSON(dst, src []byte) []byte {
	start := 0 // the first byte of src not yet copied
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '"':
			i++
			for i < len(src) && src[i] != '"' {
				if src[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case c == '-' || '0' <= c && c <= '9':
			j, frac := i+1, false
			for ; j < len(src); j++ {
				d := src[j]
				if d == '.' || d == 'e' || d == 'E' {
					frac = true
				} else if !('0' <= d && d <= '9' || d == '+' || d == '-') {
					break
				}
			}
			if frac {
				if x, err := strconv.ParseFloat(string(src[i:j]), 64); err == nil {
					dst = append(dst, src[start:i]...)
					dst = Append(dst, x)
					start = j
				}
			}
			i = j
		default:
			i++
		}
	}
	return append(dst, src[start:]...)
}
