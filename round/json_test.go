package round

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestAppendJSONExamples(t *testing.T) {
	tests := []struct{ in, want string }{
		{`0.6399999999999999`, `0.64`},
		{`[0.30000000000000004,-0.020000000000000004,1e-7,2.5e-13]`, `[0.3,-0.02,1e-7,0]`},
		{`{"n":9007199254740993,"m":-12,"x":1.0000000000000002}`, `{"n":9007199254740993,"m":-12,"x":1}`},
		{`{"0.30000000000000004":"0.30000000000000004 \"0.1\" \\","y":[ 0.1 , true, null ]}`, `{"0.30000000000000004":"0.30000000000000004 \"0.1\" \\","y":[ 0.1 , true, null ]}`},
		{"{\n  \"a\": 0.9699999999999999,\n  \"b\": \"x\"\n}", "{\n  \"a\": 0.97,\n  \"b\": \"x\"\n}"},
		{`1.2345678901234567e+21`, `1.23456789012e+21`},
		{``, ``},
	}
	for _, tt := range tests {
		if got := string(AppendJSON(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("%q: expected %s got %s", tt.in, tt.want, got)
		}
	}
	if got := string(AppendJSON([]byte("x"), []byte("[0.1]"))); got != "x[0.1]" {
		t.Errorf("AppendJSON appends: got %s", got)
	}
}

// jsonValue draws a JSON value as encoding/json takes it: objects, arrays,
// strings that look like numbers, integers beyond 2^53 and floats.
func jsonValue(depth int) *rapid.Generator[any] {
	leaves := []*rapid.Generator[any]{
		rapid.Map(numbers(), func(x float64) any { return x }),
		rapid.Map(rapid.Int64(), func(n int64) any { return n }),
		rapid.Map(rapid.Uint64(), func(n uint64) any { return n }),
		rapid.Map(rapid.OneOf(rapid.String(), rapid.SampledFrom([]string{"0.30000000000000004", `\"1.5e3`, "-0.1", "\\"})), func(s string) any { return s }),
		rapid.Map(rapid.Bool(), func(b bool) any { return b }),
		rapid.Just[any](nil),
	}
	if depth == 0 {
		return rapid.OneOf(leaves...)
	}
	return rapid.OneOf(append(leaves,
		rapid.Map(rapid.SliceOfN(jsonValue(depth-1), 0, 4), func(xs []any) any { return xs }),
		rapid.Map(rapid.MapOfN(rapid.String(), jsonValue(depth-1), 0, 4), func(m map[string]any) any { return m }),
	)...)
}

// TestAppendJSONRoundsFloatsOnly checks AppendJSON against the decoded
// document: every string and integer is as it was, and every float is
// what Float makes of it.
func TestAppendJSONRoundsFloatsOnly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := jsonValue(3).Draw(t, "v")
		src, err := json.Marshal(v)
		if err != nil {
			t.Skip() // NaN or an infinity
		}
		if rapid.Bool().Draw(t, "indent") {
			var b bytes.Buffer
			if err := json.Indent(&b, src, "", "  "); err != nil {
				t.Fatal(err)
			}
			src = b.Bytes()
		}
		got := AppendJSON(nil, src)
		if err := checkRounded(src, got); err != nil {
			t.Fatalf("%s\nbecame %s\n%v", src, got, err)
		}
	})
}

// checkRounded decodes src and got, numbers as written, and compares them
// with sameRounded.
func checkRounded(src, got []byte) error {
	var orig, back any
	for _, p := range []struct {
		b []byte
		v *any
	}{{src, &orig}, {got, &back}} {
		d := json.NewDecoder(bytes.NewReader(p.b))
		d.UseNumber()
		if err := d.Decode(p.v); err != nil {
			return fmt.Errorf("%s: %v", p.b, err)
		}
	}
	return sameRounded(orig, back)
}

// sameRounded compares two decoded documents: b must be a with each
// fractional number rounded.
func sameRounded(a, b any) error {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return fmt.Errorf("object %v became %v", a, b)
		}
		for k, v := range a {
			if err := sameRounded(v, bm[k]); err != nil {
				return fmt.Errorf("%q: %w", k, err)
			}
		}
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return fmt.Errorf("array %v became %v", a, b)
		}
		for i := range a {
			if err := sameRounded(a[i], bs[i]); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return fmt.Errorf("number %v became %v", a, b)
		}
		if !strings.ContainsAny(string(a), ".eE") {
			if a != bn {
				return fmt.Errorf("integer %s became %s", a, bn)
			}
			return nil
		}
		x, err := a.Float64()
		if err != nil {
			// Beyond a float64 (1e400): left as it is.
			if a != bn {
				return fmt.Errorf("%s became %s", a, bn)
			}
			return nil
		}
		y, err := bn.Float64()
		if err != nil || math.Float64bits(y) != math.Float64bits(exact(x)+0) && !(y == 0 && exact(x) == 0) {
			return fmt.Errorf("%s became %s, want %v", a, bn, exact(x))
		}
	default:
		if a != b {
			return fmt.Errorf("%v became %v", a, b)
		}
	}
	return nil
}

func BenchmarkAppendJSON(b *testing.B) {
	var src []byte
	for i := range 1000 {
		src = fmt.Appendf(src, `{"name":"p%d","count":%d,"u":[%v,%v]},`, i, i*1000003, float64(i)/997*0.3, 1-float64(i)/991)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var dst []byte
	for b.Loop() {
		dst = AppendJSON(dst[:0], src)
	}
}

// FuzzAppendJSON checks that AppendJSON never fails on any input, and
// that on valid JSON it keeps a valid document with the same strings and
// integers, each fractional number rounded.
func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{`{"a":[0.6399999999999999,12,"0.1"]}`, `"\\"0.30000000000000004"`, `-1e-400`, `1e400`, `[1.5e+308,-0,0.0]`, `"unterminated \`, `0.`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got := AppendJSON(nil, src)
		if !json.Valid(src) {
			return
		}
		if err := checkRounded(src, got); err != nil {
			t.Fatalf("%q became %q: %v", src, got, err)
		}
	})
}
