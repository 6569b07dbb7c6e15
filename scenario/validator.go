package scenario

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// parley validates scenarios against Schema with a small validator of its
// own rather than a general JSON Schema library: the schema uses a handful
// of keywords, and a general library compiles the meta-schemas of every
// draft when the program starts, which every command would pay for. The
// tests check this validator against a general one.

// schemaKeywords are the keywords the validator understands; compiling a
// schema with any other keyword fails, so that the schema cannot silently
// say more than is checked.
var schemaKeywords = map[string]bool{
	"$schema": true, "$id": true, "$defs": true, "$ref": true, "title": true, "description": true,
	"type": true, "const": true, "enum": true, "properties": true, "additionalProperties": true,
	"required": true, "items": true, "minItems": true, "minLength": true, "pattern": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true,
}

// subschema is one compiled schema object.
type subschema struct {
	loc       string // JSON pointer of the subschema in Schema, "" for the root
	types     []string
	ref       string
	refTo     *subschema
	hasConst  bool
	constant  any
	enum      []any
	props     map[string]*subschema
	noExtra   bool       // additionalProperties: false
	extra     *subschema // additionalProperties: a schema
	required  []string
	items     *subschema
	minItems  int // -1 when absent
	minLength int // -1 when absent
	pattern   *regexp.Regexp
	minimum   *big.Rat
	maximum   *big.Rat
	exclMin   *big.Rat
	// floats holds minimum, maximum and exclMin as float64 where that is
	// exact, so that most numbers are compared without big numbers.
	floats     map[*big.Rat]float64
	defs       map[string]*subschema
	schemaRoot *subschema
}

// failureKind names the keyword a value failed.
type failureKind int

const (
	failType failureKind = iota + 1
	failConst
	failEnum
	failRequired
	failAdditional
	failPattern
	failMinimum
	failMaximum
	failExclusiveMinimum
	failMinItems
	failMinLength
)

// schemaFailure is one keyword a value failed.
type schemaFailure struct {
	// instance is the location of the value: field names and indexes.
	instance []string
	// schemaURL is the subschema that failed, as schemaID#pointer.
	schemaURL string
	kind      failureKind
	// names are the missing fields (failRequired) or the unknown ones
	// (failAdditional); want the expected types (failType); got the
	// value's type (failType) or text (failPattern).
	names   []string
	want    []string
	got     string
	value   any      // failConst: the constant; failEnum: unused
	values  []any    // failEnum: the allowed values
	bound   *big.Rat // failMinimum, failMaximum, failExclusiveMinimum
	count   int      // failMinItems, failMinLength
	pattern string   // failPattern
}

// compileSchema compiles the JSON Schema in data.
func compileSchema(data []byte) (*subschema, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	root, err := compileNode(doc, "", nil)
	if err != nil {
		return nil, err
	}
	var resolve func(s *subschema, seen map[*subschema]bool) error
	resolve = func(s *subschema, seen map[*subschema]bool) error {
		if s == nil || seen[s] {
			return nil
		}
		seen[s] = true
		if s.ref != "" {
			ptr, ok := strings.CutPrefix(s.ref, "#/$defs/")
			if !ok || root.defs[ptr] == nil {
				return fmt.Errorf("%s: unsupported or unknown $ref %q", s.loc, s.ref)
			}
			s.refTo = root.defs[ptr]
		}
		for _, c := range s.props {
			if err := resolve(c, seen); err != nil {
				return err
			}
		}
		for _, c := range s.defs {
			if err := resolve(c, seen); err != nil {
				return err
			}
		}
		if err := resolve(s.extra, seen); err != nil {
			return err
		}
		return resolve(s.items, seen)
	}
	if err := resolve(root, map[*subschema]bool{}); err != nil {
		return nil, err
	}
	return root, nil
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func compileNode(v any, loc string, root *subschema) (*subschema, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a subschema must be an object", loc)
	}
	s := &subschema{loc: loc, minItems: -1, minLength: -1, schemaRoot: root}
	if root == nil {
		s.schemaRoot = s
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !schemaKeywords[k] {
			return nil, fmt.Errorf("%s: unsupported keyword %q", loc, k)
		}
		val := m[k]
		var err error
		switch k {
		case "type":
			switch t := val.(type) {
			case string:
				s.types = []string{t}
			case []any:
				for _, x := range t {
					str, ok := x.(string)
					if !ok {
						return nil, fmt.Errorf("%s/type: want strings", loc)
					}
					s.types = append(s.types, str)
				}
			default:
				return nil, fmt.Errorf("%s/type: want a string or a list", loc)
			}
		case "$ref":
			s.ref, ok = val.(string)
			if !ok {
				return nil, fmt.Errorf("%s/$ref: want a string", loc)
			}
		case "const":
			s.hasConst, s.constant = true, plainJSON(val)
		case "enum":
			list, ok := val.([]any)
			if !ok {
				return nil, fmt.Errorf("%s/enum: want a list", loc)
			}
			for _, x := range list {
				s.enum = append(s.enum, plainJSON(x))
			}
		case "properties", "$defs":
			pm, ok := val.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s/%s: want an object", loc, k)
			}
			out := make(map[string]*subschema, len(pm))
			for name, sub := range pm {
				out[name], err = compileNode(sub, loc+"/"+k+"/"+escapePointer(name), s.schemaRoot)
				if err != nil {
					return nil, err
				}
			}
			if k == "properties" {
				s.props = out
			} else {
				s.defs = out
			}
		case "additionalProperties":
			switch a := val.(type) {
			case bool:
				s.noExtra = !a
			default:
				if s.extra, err = compileNode(a, loc+"/additionalProperties", s.schemaRoot); err != nil {
					return nil, err
				}
			}
		case "required":
			list, ok := val.([]any)
			if !ok {
				return nil, fmt.Errorf("%s/required: want a list", loc)
			}
			for _, x := range list {
				str, ok := x.(string)
				if !ok {
					return nil, fmt.Errorf("%s/required: want strings", loc)
				}
				s.required = append(s.required, str)
			}
		case "items":
			if s.items, err = compileNode(val, loc+"/items", s.schemaRoot); err != nil {
				return nil, err
			}
		case "minItems", "minLength":
			n, ok := val.(json.Number)
			i, err := strconv.Atoi(string(n))
			if !ok || err != nil || i < 0 {
				return nil, fmt.Errorf("%s/%s: want a non-negative integer", loc, k)
			}
			if k == "minItems" {
				s.minItems = i
			} else {
				s.minLength = i
			}
		case "pattern":
			str, ok := val.(string)
			if !ok {
				return nil, fmt.Errorf("%s/pattern: want a string", loc)
			}
			if s.pattern, err = regexp.Compile(str); err != nil {
				return nil, fmt.Errorf("%s/pattern: %v", loc, err)
			}
		case "minimum", "maximum", "exclusiveMinimum":
			n, ok := val.(json.Number)
			r, ok2 := new(big.Rat).SetString(string(n))
			if !ok || !ok2 {
				return nil, fmt.Errorf("%s/%s: want a number", loc, k)
			}
			if f, exact := r.Float64(); exact {
				if s.floats == nil {
					s.floats = map[*big.Rat]float64{}
				}
				s.floats[r] = f
			}
			switch k {
			case "minimum":
				s.minimum = r
			case "maximum":
				s.maximum = r
			default:
				s.exclMin = r
			}
		}
	}
	return s, nil
}

// plainJSON turns the json.Numbers of a decoded schema value into float64.
func plainJSON(v any) any {
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		return f
	}
	return v
}

// numberValue returns the exact value of a number of a document.
func numberValue(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(x), true
	case int64:
		return new(big.Rat).SetInt64(x), true
	case uint64:
		return new(big.Rat).SetUint64(x), true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	}
	return nil, false
}

// jsonType is the JSON type of a document value, numbers being "number".
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	switch x := v.(type) {
	case float64:
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			return "number"
		}
	case int64, uint64, int:
		return "number"
	}
	return "invalid"
}

// sameJSON tells whether two JSON values are equal, numbers by value.
func sameJSON(a, b any) bool {
	ra, oka := numberValue(a)
	rb, okb := numberValue(b)
	if oka || okb {
		return oka && okb && ra.Cmp(rb) == 0
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !sameJSON(xv, yv) {
				return false
			}
		}
		return true
	}
	return a == b
}

// check validates v against s and returns the keywords it fails, leaves
// only: a value of the wrong type, or not the constant or one of the
// values allowed, fails that alone; otherwise every keyword that applies
// to its type is checked, and those of a referenced subschema too.
//
// It stops looking once it has found more than MaxErrors failures, so that
// a file of a million wrong elements costs no more than a few.
func (s *subschema) check(v any, at []string, out []schemaFailure) []schemaFailure {
	if len(out) > MaxErrors {
		return out
	}
	fail := func(f schemaFailure) {
		f.instance = append([]string(nil), at...)
		f.schemaURL = schemaID + "#" + s.loc
		out = append(out, f)
	}
	t := jsonType(v)
	if len(s.types) > 0 {
		ok := false
		for _, want := range s.types {
			if want == t || want == "integer" && t == "number" && isIntegral(v) {
				ok = true
			}
		}
		if !ok {
			fail(schemaFailure{kind: failType, want: s.types, got: t})
			return out
		}
	}
	if s.hasConst && !sameJSON(v, s.constant) {
		fail(schemaFailure{kind: failConst, value: s.constant})
		return out
	}
	if s.enum != nil {
		ok := false
		for _, e := range s.enum {
			ok = ok || sameJSON(v, e)
		}
		if !ok {
			fail(schemaFailure{kind: failEnum, values: s.enum})
			return out
		}
	}
	if s.refTo != nil {
		out = s.refTo.check(v, at, out)
	}
	switch x := v.(type) {
	case map[string]any:
		var missing []string
		for _, r := range s.required {
			if _, ok := x[r]; !ok {
				missing = append(missing, r)
			}
		}
		if missing != nil {
			fail(schemaFailure{kind: failRequired, names: missing})
		}
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		var extra []string
		for _, k := range names {
			if len(out) > MaxErrors {
				break
			}
			switch sub, ok := s.props[k]; {
			case ok:
				out = sub.check(x[k], append(at, k), out)
			case s.extra != nil:
				out = s.extra.check(x[k], append(at, k), out)
			case s.noExtra:
				extra = append(extra, k)
			}
		}
		if extra != nil {
			fail(schemaFailure{kind: failAdditional, names: extra})
		}
	case []any:
		if s.minItems >= 0 && len(x) < s.minItems {
			fail(schemaFailure{kind: failMinItems, count: s.minItems})
		}
		if s.items != nil {
			for i, e := range x {
				if len(out) > MaxErrors {
					break // enough found: a million more elements need not be looked at
				}
				out = s.items.check(e, append(at, strconv.Itoa(i)), out)
			}
		}
	case string:
		if s.minLength >= 0 && len([]rune(x)) < s.minLength {
			fail(schemaFailure{kind: failMinLength, count: s.minLength})
		}
		if s.pattern != nil && !s.pattern.MatchString(x) {
			fail(schemaFailure{kind: failPattern, got: x, pattern: s.pattern.String()})
		}
	default:
		if jsonType(v) == "number" {
			if s.minimum != nil && s.compareBound(v, s.minimum) < 0 {
				fail(schemaFailure{kind: failMinimum, bound: s.minimum})
			}
			if s.maximum != nil && s.compareBound(v, s.maximum) > 0 {
				fail(schemaFailure{kind: failMaximum, bound: s.maximum})
			}
			if s.exclMin != nil && s.compareBound(v, s.exclMin) <= 0 {
				fail(schemaFailure{kind: failExclusiveMinimum, bound: s.exclMin})
			}
		}
	}
	return out
}

func isIntegral(v any) bool {
	switch x := v.(type) {
	case float64:
		return !math.IsInf(x, 0) && x == math.Trunc(x)
	case int64, uint64, int:
		return true
	}
	return false
}

// compareBound compares the number v with a bound of s: -1, 0 or +1.
func (s *subschema) compareBound(v any, bound *big.Rat) int {
	if b, ok := s.floats[bound]; ok {
		switch x := v.(type) {
		case float64:
			return cmp.Compare(x, b)
		case int64:
			if x > -1<<53 && x < 1<<53 { // exact as a float64
				return cmp.Compare(float64(x), b)
			}
		}
	}
	r, _ := numberValue(v)
	return r.Cmp(bound)
}
