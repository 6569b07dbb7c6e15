package genius

import (
	"bytes"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// isGeniusWebJSON reports whether data is a JSON object that GeniusWeb
// would write: a domain (with "issuesValues") or a profile (a single key
// naming its type, such as "LinearAdditiveUtilitySpace"), without the
// "parley" key of a scenario. Only the top-level keys are read; the values
// are skipped without being built, so that sniffing a large scenario
// costs little.
func isGeniusWebJSON(data []byte) bool {
	d := jsontext.NewDecoder(bytes.NewBuffer(bytes.TrimPrefix(data, []byte("\uFEFF"))),
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if t, err := d.ReadToken(); err != nil || t.Kind() != '{' {
		return false
	}
	research := false
	for d.PeekKind() != '}' {
		t, err := d.ReadToken()
		if err != nil || t.Kind() != '"' {
			return false
		}
		switch key := t.String(); {
		case key == "parley":
			return false
		case key == "issuesValues", strings.HasSuffix(key, "Space"):
			research = true
		}
		if err := d.SkipValue(); err != nil {
			return false
		}
	}
	return research
}
