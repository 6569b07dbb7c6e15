package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// pruneAt is how many elements of a list are checked together with the
// element holding the list. The elements after them are checked one at a
// time against the list's item schema, so that validation can stop once
// MaxErrors problems are known, however long the list: a file of a
// million wrong elements costs a million checks, not a million errors.
const pruneAt = 4

// subschemas compiles the item schemas of Schema, by JSON pointer, for the
// elements checked one at a time.
var subschemas = sync.OnceValue(func() *subschemaCache {
	return &subschemaCache{compiled: map[string]*jsonschema.Schema{}}
})

type subschemaCache struct {
	mu       sync.Mutex
	c        *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

func (sc *subschemaCache) get(ptr string) *jsonschema.Schema {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if s, ok := sc.compiled[ptr]; ok {
		return s
	}
	if sc.c == nil {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
		if err != nil {
			panic(fmt.Sprintf("scenario: embedded schema: %v", err))
		}
		sc.c = jsonschema.NewCompiler()
		if err := sc.c.AddResource(schemaID, doc); err != nil {
			panic(fmt.Sprintf("scenario: embedded schema: %v", err))
		}
	}
	s, err := sc.c.Compile(schemaID + "#" + ptr)
	if err != nil {
		panic(fmt.Sprintf("scenario: embedded schema at %s: %v", ptr, err))
	}
	sc.compiled[ptr] = s
	return s
}

// schemaJob is a value to check against the schema at a JSON pointer into
// Schema ("" for the whole schema); at is the value's place in the file.
// A job for the elements of a list cut off by prune has list set instead:
// its elements from index from on, each checked alone.
type schemaJob struct {
	v    any
	ptr  string
	at   path
	list []any
	from int
}

// validateBounded checks v, the generic form of the document rooted at
// root, against the schema, recording an error per failed keyword and
// stopping once MaxErrors are recorded. Long lists are checked in pieces
// (see pruneAt).
func (l *loader) validateBounded(root *yaml.Node, v any) {
	jobs := []schemaJob{{v: v}}
	for len(jobs) > 0 && !l.full() {
		j := &jobs[len(jobs)-1]
		if j.list != nil {
			if j.from == len(j.list) {
				jobs = jobs[:len(jobs)-1]
				continue
			}
			j.from++
			jobs = l.validateOne(root, schemaJob{v: j.list[j.from-1], ptr: j.ptr, at: j.at.with(j.from - 1)}, jobs)
			continue
		}
		one := *j
		jobs = l.validateOne(root, one, jobs[:len(jobs)-1])
	}
}

// validateOne checks one value, adding jobs for the parts it cuts off.
func (l *loader) validateOne(root *yaml.Node, j schemaJob, jobs []schemaJob) []schemaJob {
	sch := compiledSchema()
	if j.ptr != "" {
		sch = subschemas().get(j.ptr)
	}
	pruned, _ := prune(j.v, j.ptr, j.at, &jobs)
	err := sch.Validate(pruned)
	if err == nil {
		return jobs
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		l.errorAt(nil, j.at, "schema: %v", err)
		return jobs
	}
	for _, leaf := range leaves(ve, nil) {
		if l.full() {
			break
		}
		l.schemaErrorAt(root, j.at, leaf)
	}
	return jobs
}

// prune returns v, which the schema at ptr describes, with every list cut
// to its first pruneAt elements; the elements cut off become a job. Only
// what holds a cut list is copied: changed reports whether v was.
func prune(v any, ptr string, at path, jobs *[]schemaJob) (pruned any, changed bool) {
	sch, ptr := schemaAt(ptr)
	if sch == nil {
		return v, false
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := sch["properties"].(map[string]any)
		if props == nil {
			return v, false
		}
		var m map[string]any
		for k, c := range v {
			if _, ok := props[k]; !ok {
				continue // an unknown field: the schema refuses it unread
			}
			pc, ch := prune(c, ptr+"/properties/"+escapePointer(k), at.with(k), jobs)
			if !ch {
				continue
			}
			if m == nil {
				m = make(map[string]any, len(v))
				for k2, c2 := range v {
					m[k2] = c2
				}
			}
			m[k] = pc
		}
		if m == nil {
			return v, false
		}
		return m, true
	case []any:
		if _, ok := sch["items"].(map[string]any); !ok {
			return v, false
		}
		items := ptr + "/items"
		head := v[:min(len(v), pruneAt)]
		var s []any
		for i, c := range head {
			pc, ch := prune(c, items, at.with(i), jobs)
			if ch && s == nil {
				s = append(make([]any, 0, len(head)), head...)
			}
			if s != nil {
				s[i] = pc
			}
		}
		if len(v) > pruneAt {
			*jobs = append(*jobs, schemaJob{list: v, from: pruneAt, ptr: items, at: at})
			if s == nil {
				s = head
			}
			return s, true
		}
		if s == nil {
			return v, false
		}
		return s, true
	}
	return v, false
}

// schemaAt returns the schema object at ptr in Schema, following a "$ref"
// that is local, and the pointer of what it returns.
func schemaAt(ptr string) (map[string]any, string) {
	if r, ok := schemaAtCache.Load(ptr); ok {
		r := r.(resolved)
		return r.sch, r.ptr
	}
	sch, at := resolveSchema(ptr)
	schemaAtCache.Store(ptr, resolved{sch, at})
	return sch, at
}

type resolved struct {
	sch map[string]any
	ptr string
}

// schemaAtCache holds what schemaAt found: a scenario has a few dozen
// distinct schema places and many elements at each.
var schemaAtCache sync.Map

var unescapePointer = strings.NewReplacer("~1", "/", "~0", "~")

func resolveSchema(ptr string) (map[string]any, string) {
	for range 8 {
		var sub any = schemaDoc()
		for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
			if tok == "" {
				continue
			}
			tok = unescapePointer.Replace(tok)
			m, ok := sub.(map[string]any)
			if !ok {
				return nil, ptr
			}
			sub = m[tok]
		}
		m, _ := sub.(map[string]any)
		ref, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#/") {
			return m, ptr
		}
		ptr = strings.TrimPrefix(ref, "#")
	}
	return nil, ptr
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// schemaErrorAt records ve, found checking the value at the path at.
func (l *loader) schemaErrorAt(root *yaml.Node, at path, ve *jsonschema.ValidationError) {
	if len(at) == 0 {
		l.schemaError(root, ve)
		return
	}
	loc := make([]string, 0, len(at)+len(ve.InstanceLocation))
	for _, e := range at {
		switch e := e.(type) {
		case int:
			loc = append(loc, strconv.Itoa(e))
		case string:
			loc = append(loc, e)
		}
	}
	c := *ve
	c.InstanceLocation = append(loc, ve.InstanceLocation...)
	l.schemaError(root, &c)
}
