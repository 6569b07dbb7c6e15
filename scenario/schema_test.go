package scenario

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaStandalone uses Schema as a tool outside parley would: on
// plain JSON, with a fresh compiler. Valid fixtures pass and each kind of
// schema error is caught.
func TestSchemaStandalone(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatalf("Schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatalf("Schema does not compile: %v", err)
	}
	files, err := filepath.Glob("testdata/valid/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range append(files, "testdata/example.yaml") {
		s, err := LoadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		j, err := Marshal(s, "json")
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: %v", file, err)
		}
	}
	bad, err := os.ReadFile("testdata/invalid/json-escapes.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	err = sch.Validate(inst)
	if err == nil || !strings.Contains(err.Error(), "/title") {
		t.Errorf("json-escapes.json: Validate = %v, want an error at /title", err)
	}
}
