package genius

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"parley/scenario"
)

// xmlCharsets are the encodings an XML file may declare besides UTF-8,
// by their usual names.
var xmlCharsets = map[string]*charmap.Charmap{
	"iso-8859-1":   charmap.ISO8859_1,
	"iso8859-1":    charmap.ISO8859_1,
	"iso_8859-1":   charmap.ISO8859_1,
	"latin1":       charmap.ISO8859_1,
	"l1":           charmap.ISO8859_1,
	"iso-8859-15":  charmap.ISO8859_15,
	"iso8859-15":   charmap.ISO8859_15,
	"latin9":       charmap.ISO8859_15,
	"windows-1252": charmap.Windows1252,
	"cp1252":       charmap.Windows1252,
}

// charsetReader decodes the text of an XML file that declares an encoding
// other than UTF-8: US-ASCII, ISO-8859-1, ISO-8859-15 or Windows-1252.
// Other encodings are refused, saying which are read.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if l == "us-ascii" || l == "ascii" || l == "utf8" {
		return input, nil
	}
	if cm, ok := xmlCharsets[l]; ok {
		return cm.NewDecoder().Reader(input), nil
	}
	return nil, fmt.Errorf("encoding %q is not supported: parley reads UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 and Windows-1252", scenario.Clip(label))
}
