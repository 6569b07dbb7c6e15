package scenario

// MaxNodes bounds the values (mappings, lists, field names and scalars) of
// a scenario file. The YAML parser builds every one before parley can look
// at them, at some 200 bytes each, so 16 MiB of one-byte list elements
// would take 2 GB; a real 16 MiB scenario has about 1.5 million.
const MaxNodes = 4_000_000

// countNodes returns an upper estimate of the YAML nodes of data, read in
// one quick pass before the parser runs: one per line, one per sequence
// entry ("- ") and two per mapping entry (": ") outside quoted text and
// comments, and in flow collections one per "[", "{" and "," and two per
// ":". A
// quote opens quoted text only where a scalar can start, and quoted text
// is taken to end with its line, so that a quote inside a block of text
// cannot hide what follows it.
func countNodes(data []byte) int {
	n, flow := 0, 0
	var quote byte
	lineStart := true
	prev := byte('\n') // the byte before data[i]
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			quote, lineStart, prev = 0, true, c
			continue
		}
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				i++
			case c == quote:
				quote = 0
			}
			prev = c
			continue
		}
		if lineStart && c != ' ' && c != '\t' {
			lineStart = false
			n++
		}
		next := byte('\n')
		if i+1 < len(data) {
			next = data[i+1]
		}
		tokenStart := prev == ' ' || prev == '\t' || prev == '\n' || prev == '[' || prev == '{' || prev == ',' || prev == ':' || prev == '-'
		switch {
		case c == '#' && (prev == ' ' || prev == '\t' || prev == '\n'):
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case (c == '"' || c == '\'') && tokenStart:
			quote = c
		case c == '[' || c == '{':
			flow++
			n++
		case (c == ']' || c == '}') && flow > 0:
			flow--
		case c == ',' && flow > 0:
			n++
		case c == ':' && flow > 0:
			n += 2 // a pair in a flow list is a mapping of its own
		case c == ':' && (next == ' ' || next == '\n' || next == '\t' || next == '\r'):
			n += 2
		case c == '-' && tokenStart && (next == ' ' || next == '\n' || next == '\t' || next == '\r'):
			n++
		case c == '?' && tokenStart && (next == ' ' || next == '\n' || next == '\t' || next == '\r'):
			n += 2 // a complex key: a pair
		}
		prev = c
	}
	return n
}
