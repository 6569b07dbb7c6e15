package genius

import (
	"bytes"
	"encoding/json"
	"strings"
)

// isGeniusWebJSON reports whether data is a JSON object that GeniusWeb
// would write: a domain (with "issuesValues") or a profile (a single key
// naming its type, such as "LinearAdditiveUtilitySpace"), without the
// "parley" key of a scenario. Only the top-level keys are read.
func isGeniusWebJSON(data []byte) bool {
	d := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	research := false
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return false
		}
		key, _ := t.(string)
		switch {
		case key == "parley":
			return false
		case key == "issuesValues", strings.HasSuffix(key, "Space"):
			research = true
		}
		if err := skipValue(d); err != nil {
			return false
		}
	}
	return research
}

// skipValue reads past the next value of d.
func skipValue(d *json.Decoder) error {
	depth := 0
	for {
		t, err := d.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
