package genius

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// addSeeds adds the fixtures and shared files with the given extension.
func addSeeds(f *testing.F, ext string) {
	for _, pat := range []string{"testdata/*/*" + ext, filepath.Join(sharedData, "*", "*", "*"+ext)} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
}

func FuzzReadDomainXML(f *testing.F) {
	addSeeds(f, ".xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := readDomainXML("f.xml", data, Options{RealSteps: DefaultRealSteps}, nil)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v is a %T", err, err)
			}
			return
		}
		if len(d.issues) == 0 {
			t.Fatal("a domain without issues")
		}
		for _, is := range d.issues {
			if len(is.values) == 0 {
				t.Fatalf("issue %q without values", is.name)
			}
		}
	})
}

func FuzzReadProfileXML(f *testing.F) {
	addSeeds(f, ".xml")
	var domains [][]*issue
	for _, file := range []string{"testdata/numeric/numeric_domain.xml", "testdata/nonlinear/grid_domain.xml", "testdata/small/small_domain.xml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		d, err := readDomainXML(file, data, Options{RealSteps: 5}, nil)
		if err != nil {
			f.Fatal(err)
		}
		domains = append(domains, d.issues)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, issues := range domains {
			p, err := readProfileXML("f.xml", "f", data, issues)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error %v is a %T", err, err)
				}
				continue
			}
			pkg := make([]int, len(issues))
			u := p.utility(pkg)
			if math.IsNaN(u) || math.IsInf(u, 0) {
				t.Fatalf("utility %v", u)
			}
			if p.nonlinear != nil {
				continue
			}
			for i, ev := range p.evals {
				if len(ev) != len(issues[i].values) {
					t.Fatalf("issue %q: %d evaluations for %d values", issues[i].name, len(ev), len(issues[i].values))
				}
				for _, e := range ev {
					if e < 0 || e > 1 {
						t.Fatalf("evaluation %v outside [0,1]", e)
					}
				}
				if p.weights[i] < 0 {
					t.Fatalf("negative weight %v", p.weights[i])
				}
			}
		}
	})
}

func FuzzReadGeniusWeb(f *testing.F) {
	addSeeds(f, ".json")
	data, err := os.ReadFile("testdata/trip/trip.json")
	if err != nil {
		f.Fatal(err)
	}
	n, err := parseJSON("trip.json", data)
	if err != nil {
		f.Fatal(err)
	}
	_, trip, err := readDomainJSON("trip.json", n, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := parseJSON("f.json", data)
		if err != nil {
			return
		}
		role, err := classifyJSON("f.json", n)
		if err != nil {
			return
		}
		if role == jsonDomain {
			if _, issues, err := readDomainJSON("f.json", n, nil); err == nil && len(issues) == 0 {
				t.Fatal("a domain without issues")
			}
			return
		}
		for _, issues := range [][]*issue{nil, trip} {
			p, _, _, err := readProfileJSON("f.json", n, issues, nil)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error %v is a %T", err, err)
				}
				continue
			}
			for _, ev := range p.evals {
				for _, e := range ev {
					if e < 0 || e > 1 {
						t.Fatalf("utility %v outside [0,1]", e)
					}
				}
			}
			if math.IsNaN(p.reservation) || math.IsInf(p.reservation, 0) {
				t.Fatalf("reservation %v", p.reservation)
			}
		}
	})
}

// FuzzSniffJSON checks the quick look at a GeniusWeb file's top-level keys
// that orders an import's files: whatever it says of a file the reader
// reads is what the reader finds, and it never fails on any input.
func FuzzSniffJSON(f *testing.F) {
	addSeeds(f, ".json")
	f.Add([]byte(`{"issuesValues": {}, "LinearAdditiveUtilitySpace": {}}`))
	f.Add([]byte(`{"parley": 1, "issuesValues": {}}`))
	f.Add([]byte("\uFEFF{\"LinearAdditiveUtilitySpace\": {\"domain\": 1}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		role := sniffJSON(data)
		if role == 0 {
			return
		}
		n, err := parseJSON("f.json", data)
		if err != nil {
			return
		}
		if got, err := classifyJSON("f.json", n); err != nil || got != role {
			t.Fatalf("sniffed as %d, read as %d (%v)", role, got, err)
		}
	})
}
