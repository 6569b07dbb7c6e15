package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"pgregory.net/rapid"
)

// referenceSchema is Schema compiled by a general JSON Schema library, the
// oracle for parley's own validator.
func referenceSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// referenceFailures lists the failed keywords the library reports, one
// line each: the instance location, the kind and, for required and
// additionalProperties, the field names.
func referenceFailures(sch *jsonschema.Schema, v any) []string {
	err := sch.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{"error: " + err.Error()}
	}
	var out []string
	for _, l := range leaves(ve, nil) {
		loc := "/" + strings.Join(l.InstanceLocation, "/")
		switch k := l.ErrorKind.(type) {
		case *kind.Required:
			for _, m := range k.Missing {
				out = append(out, loc+" required "+m)
			}
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				out = append(out, loc+" additionalProperties "+p)
			}
		default:
			out = append(out, fmt.Sprintf("%s %s", loc, l.ErrorKind.KeywordPath()[len(l.ErrorKind.KeywordPath())-1]))
		}
	}
	sort.Strings(out)
	return out
}

func leaves(ve *jsonschema.ValidationError, acc []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return append(acc, ve)
	}
	for _, c := range ve.Causes {
		acc = leaves(c, acc)
	}
	return acc
}

var failureKeyword = map[failureKind]string{
	failType: "type", failConst: "const", failEnum: "enum", failPattern: "pattern",
	failMinimum: "minimum", failMaximum: "maximum", failExclusiveMinimum: "exclusiveMinimum",
	failMinItems: "minItems", failMinLength: "minLength",
}

// ownFailures lists the failed keywords parley's validator reports, in
// the form of referenceFailures.
func ownFailures(v any) []string {
	var out []string
	for _, f := range compiledSchema().check(v, nil, nil) {
		loc := "/" + strings.Join(f.instance, "/")
		switch f.kind {
		case failRequired:
			for _, m := range f.names {
				out = append(out, loc+" required "+m)
			}
		case failAdditional:
			for _, p := range f.names {
				out = append(out, loc+" additionalProperties "+p)
			}
		default:
			out = append(out, loc+" "+failureKeyword[f.kind])
		}
	}
	sort.Strings(out)
	return out
}

// genericValue reads a YAML or JSON document into the generic form Load
// validates.
func genericValue(t testing.TB, data []byte) any {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	l := &loader{file: "test"}
	v := l.value(doc.Content[0], nil)
	if len(l.errs) > 0 {
		t.Fatal(l.errs)
	}
	return v
}

// fataler is what sameFailures needs of a *testing.T or *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func sameFailures(t fataler, what string, v any, sch *jsonschema.Schema) {
	t.Helper()
	want, got := referenceFailures(sch, v), ownFailures(v)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Fatalf("%s: the validator reports\n  %s\nthe reference library\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestValidatorFixtures checks the validator against the library on every
// fixture that parses.
func TestValidatorFixtures(t *testing.T) {
	sch := referenceSchema(t)
	files, _ := filepath.Glob("testdata/*/*.yaml")
	files = append(files, "testdata/example.yaml")
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
			continue
		}
		l := &loader{file: f}
		v := l.value(doc.Content[0], nil)
		if len(l.errs) > 0 {
			continue
		}
		sameFailures(t, f, v, sch)
		n++
	}
	if n < 10 {
		t.Errorf("only %d fixtures checked", n)
	}
}

// TestValidatorMutations checks the validator against the library on
// random changes to the example scenario: values replaced by values of
// other types, fields removed and fields added.
func TestValidatorMutations(t *testing.T) {
	sch := referenceSchema(t)
	data, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	replacements := []any{nil, true, "", "x y", "2025-13-45", "ok-id", int64(-1), int64(0), int64(1), int64(7), 0.5, 1.5, -0.25,
		[]any{}, []any{"a"}, map[string]any{}, map[string]any{"bogus": int64(1)}}
	rapid.Check(t, func(rt *rapid.T) {
		v := genericValue(t, data)
		edits := rapid.IntRange(1, 4).Draw(rt, "edits")
		for range edits {
			// Walk down to a random container.
			cur := v
			for depth := 0; ; depth++ {
				var children int
				switch c := cur.(type) {
				case map[string]any:
					children = len(c)
				case []any:
					children = len(c)
				}
				if children == 0 || depth > 0 && !rapid.Bool().Draw(rt, "deeper") {
					break
				}
				i := rapid.IntRange(0, children-1).Draw(rt, "child")
				var next any
				switch c := cur.(type) {
				case map[string]any:
					keys := make([]string, 0, len(c))
					for k := range c {
						keys = append(keys, k)
					}
					sort.Strings(keys)
					next = c[keys[i]]
				case []any:
					next = c[i]
				}
				switch next.(type) {
				case map[string]any, []any:
					cur = next
					continue
				}
				break
			}
			repl := replacements[rapid.IntRange(0, len(replacements)-1).Draw(rt, "replacement")]
			switch c := cur.(type) {
			case map[string]any:
				keys := make([]string, 0, len(c))
				for k := range c {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				switch rapid.IntRange(0, 2).Draw(rt, "edit") {
				case 0:
					if len(keys) > 0 {
						delete(c, keys[rapid.IntRange(0, len(keys)-1).Draw(rt, "field")])
					}
				case 1:
					if len(keys) > 0 {
						c[keys[rapid.IntRange(0, len(keys)-1).Draw(rt, "field")]] = repl
					}
				case 2:
					c[rapid.SampledFrom([]string{"extra", "weigth", "note"}).Draw(rt, "new field")] = repl
				}
			case []any:
				if len(c) > 0 {
					c[rapid.IntRange(0, len(c)-1).Draw(rt, "index")] = repl
				}
			}
		}
		sameFailures(rt, "mutated example", v, sch)
	})
}

// TestSchemaKeywords checks that the validator compiles Schema, which
// fails on any keyword it does not understand.
func TestSchemaKeywords(t *testing.T) {
	if _, err := compileSchema(Schema); err != nil {
		t.Fatal(err)
	}
	if _, err := compileSchema([]byte(`{"oneOf": []}`)); err == nil || !strings.Contains(err.Error(), `unsupported keyword "oneOf"`) {
		t.Errorf("oneOf: err = %v, want unsupported keyword", err)
	}
}
