package genius

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"parley/analysis"
	"parley/scenario"
)

// Load reads a GENIUS or GeniusWeb domain with its profiles. paths is
// either one folder, which must hold one domain and its profiles (taken in
// file-name order), or files: the domain first, then the profiles in party
// order. GeniusWeb profiles embed their domain, so the domain file may be
// left out. Errors in the input are *Error values.
func Load(paths []string, opt Options) (*Domain, error) {
	if opt.RealSteps == 0 {
		opt.RealSteps = DefaultRealSteps
	}
	if opt.RealSteps < 2 {
		return nil, fmt.Errorf("real steps must be at least 2, not %d", opt.RealSteps)
	}
	if len(paths) == 0 {
		return nil, errors.New("no domain or profile files given")
	}
	files, folder, err := expand(paths)
	if err != nil {
		return nil, err
	}
	sp, err := read(files, folder, opt)
	if err != nil {
		return nil, err
	}
	if err := sp.checkScenarioSize(opt.ScenarioLimit); err != nil {
		return nil, err
	}
	return sp.domain()
}

// expand lists the files of a folder, or returns the files given.
func expand(paths []string) ([]string, bool, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, false, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		if len(paths) > 1 {
			return nil, false, fmt.Errorf("%s is a folder: give either one folder or the domain and profile files", p)
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, false, err
		}
		var names []string
		for _, e := range ents {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".xml" || ext == ".json") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			files = append(files, filepath.Join(p, n))
		}
		if len(files) == 0 {
			return nil, false, fmt.Errorf("%s: no .xml or .json files", p)
		}
		return files, true, nil
	}
	return files, false, nil
}

// IsResearchFile reports whether data looks like GENIUS XML or GeniusWeb
// JSON rather than a parley scenario: XML whose root is negotiation_template
// or utility_space, or a JSON object with a GeniusWeb domain's or profile's
// top-level key and without a "parley" key.
func IsResearchFile(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xml":
		root, err := parseXML(name, data)
		return err == nil && (root.name == "negotiation_template" || root.name == "utility_space")
	case ".json":
		return isGeniusWebJSON(data)
	}
	return false
}

type rawFile struct {
	name string
	data []byte
}

func read(files []string, folder bool, opt Options) (*space, error) {
	var xmls, jsons []rawFile
	for _, f := range files {
		data, err := scenario.ReadFile(f)
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(filepath.Ext(f)) {
		case ".json":
			jsons = append(jsons, rawFile{f, data})
		default:
			xmls = append(xmls, rawFile{f, data})
		}
	}
	var notes []string
	if folder && len(xmls) > 0 && len(jsons) > 0 {
		// A folder holds one domain: the format of its domain decides, and
		// the files of the other format are ignored, as other stray files
		// are.
		genius := false
		for _, f := range xmls {
			genius = genius || rootName(f.data) == "negotiation_template"
		}
		ignored := xmls
		if genius {
			ignored, jsons = jsons, nil
		} else {
			xmls = nil
		}
		for _, f := range ignored {
			notes = append(notes, fmt.Sprintf("ignored %s: the folder holds a %s domain", filepath.Base(f.name), map[bool]string{true: "GENIUS", false: "GeniusWeb"}[genius]))
		}
	}
	switch {
	case len(xmls) > 0 && len(jsons) > 0:
		return nil, fmt.Errorf("%s and %s: GENIUS XML and GeniusWeb JSON cannot be mixed", xmls[0].name, jsons[0].name)
	case len(jsons) > 0:
		sp, err := readGeniusWeb(jsons, folder, opt.ScenarioLimit)
		if err != nil {
			return nil, err
		}
		sp.notes = append(sp.notes, notes...)
		return sp, nil
	}
	sp, err := readGenius(xmls, folder, opt)
	if err != nil {
		return nil, err
	}
	sp.notes = append(sp.notes, notes...)
	return sp, nil
}

// rootName returns the name of an XML document's root element.
func rootName(data []byte) string {
	i := 0
	for {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 || i+j+1 >= len(data) {
			return ""
		}
		i += j + 1
		if c := data[i]; c != '?' && c != '!' {
			break
		}
	}
	end := i
	for end < len(data) && !strings.ContainsRune(" \t\r\n/>", rune(data[end])) {
		end++
	}
	return string(data[i:end])
}

func readGenius(files []rawFile, folder bool, opt Options) (*space, error) {
	var dom *rawFile
	var profs []rawFile
	var notes []string
	for i := range files {
		f := &files[i]
		switch rootName(f.data) {
		case "negotiation_template":
			if dom != nil {
				return nil, fmt.Errorf("%s and %s are both domains: give one domain", dom.name, f.name)
			}
			dom = f
		case "utility_space":
			profs = append(profs, *f)
		default:
			if !folder {
				if _, err := parseXML(f.name, f.data); err != nil {
					return nil, err
				}
				return nil, &Error{File: f.name, Msg: "not a GENIUS domain (<negotiation_template>) or profile (<utility_space>)"}
			}
			notes = append(notes, fmt.Sprintf("ignored %s: not a GENIUS domain or profile", filepath.Base(f.name)))
		}
	}
	if dom == nil {
		return nil, fmt.Errorf("%s: no GENIUS domain (an XML file whose root is <negotiation_template>)", where(files, folder))
	}
	if len(profs) == 0 {
		return nil, fmt.Errorf("%s: no GENIUS profiles (XML files whose root is <utility_space>)", where(files, folder))
	}
	d, err := readDomainXML(dom.name, dom.data, opt, newBudget(opt.ScenarioLimit, len(profs)))
	if err != nil {
		return nil, err
	}
	sp := &space{format: FormatGenius, name: baseName(dom.name), issues: d.issues, files: []string{dom.name}}
	sp.notes = append(d.notes, notes...)
	for _, f := range profs {
		p, err := readProfileXML(f.name, baseName(f.name), f.data, d.issues)
		if err != nil {
			return nil, err
		}
		sp.profiles = append(sp.profiles, p)
		sp.files = append(sp.files, f.name)
		sp.notes = append(sp.notes, p.notes...)
	}
	return sp, nil
}

// readGeniusWeb reads GeniusWeb files. For an import (limit > 0), the
// domain is read first and refused if its scenario cannot fit, before the
// profiles, which hold most of the bytes, are parsed.
func readGeniusWeb(files []rawFile, folder bool, limit int) (*space, error) {
	type doc struct {
		rawFile
		n *jnode
	}
	var budget *sizeBudget
	if limit > 0 {
		var domains, others []rawFile
		profiles := 0
		for _, f := range files {
			switch sniffJSON(f.data) {
			case jsonDomain:
				domains = append(domains, f)
				continue
			case jsonProfile:
				profiles++
			}
			others = append(others, f)
		}
		files = append(domains, others...)
		budget = newBudget(limit, profiles)
	}
	var dom *doc
	var domName string
	var issues []*issue
	var profs []doc
	var notes []string
	for _, f := range files {
		n, err := parseJSON(f.name, f.data)
		if err != nil {
			return nil, err
		}
		role, err := classifyJSON(f.name, n)
		if err != nil {
			if folder && n.kind == jObject && n.get("parley") != nil {
				notes = append(notes, fmt.Sprintf("ignored %s: a parley scenario", filepath.Base(f.name)))
				continue
			}
			return nil, err
		}
		switch role {
		case jsonDomain:
			if dom != nil {
				return nil, fmt.Errorf("%s and %s are both domains: give one domain", dom.name, f.name)
			}
			dom = &doc{f, n}
			if domName, issues, err = readDomainJSON(dom.name, dom.n, budget); err != nil {
				return nil, err
			}
		case jsonProfile:
			if budget != nil && dom == nil && len(profs) == 0 {
				// No domain file (it would have come first): the first
				// profile's embedded domain is counted now, before the
				// other profiles are parsed, and only now.
				if las := n.get("LinearAdditiveUtilitySpace"); las != nil && las.kind == jObject {
					if d := las.get("domain"); d != nil {
						if _, _, err := readDomainJSON(f.name, d, budget); err != nil {
							return nil, err
						}
					}
				}
				budget = nil
			}
			profs = append(profs, doc{f, n})
		}
	}
	if len(profs) == 0 {
		return nil, fmt.Errorf("%s: no GeniusWeb profiles (LinearAdditiveUtilitySpace)", where(files, folder))
	}
	sp := &space{format: FormatGeniusWeb, notes: notes}
	if dom != nil {
		sp.name, sp.issues = domName, issues
		if sp.name == "" {
			sp.name = baseName(dom.name)
		}
		sp.files = append(sp.files, dom.name)
	}
	for _, f := range profs {
		p, dname, embedded, err := readProfileJSON(f.name, f.n, sp.issues, budget)
		if err != nil {
			return nil, err
		}
		if sp.issues == nil {
			sp.issues, sp.name = embedded, dname
			if sp.name == "" {
				sp.name = baseName(f.name)
			}
			sp.notes = append(sp.notes, fmt.Sprintf("domain read from the profile %s", filepath.Base(f.name)))
		}
		sp.profiles = append(sp.profiles, p)
		sp.files = append(sp.files, f.name)
	}
	return sp, nil
}

func where(files []rawFile, folder bool) string {
	if folder && len(files) > 0 {
		return filepath.Dir(files[0].name)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// baseName is a file's name without folder and extension.
func baseName(file string) string {
	b := filepath.Base(file)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// domain turns the space into the result of Load.
func (sp *space) domain() (*Domain, error) {
	seen := map[string]int{}
	for i, p := range sp.profiles {
		if j, ok := seen[p.name]; ok {
			if b := baseName(p.file); b != p.name {
				p.name = b
			} else {
				return nil, fmt.Errorf("%s and %s: two profiles are named %q", sp.profiles[j].file, p.file, p.name)
			}
			if _, ok := seen[p.name]; ok {
				return nil, fmt.Errorf("%s: two profiles are named %q", p.file, p.name)
			}
		}
		seen[p.name] = i
	}
	d := &Domain{Format: sp.format, Name: sp.name, Files: sp.files, Notes: sp.notes}
	for _, p := range sp.profiles {
		d.Discount = append(d.Discount, p.discount)
		if p.nonlinear != nil {
			d.Nonlinear = append(d.Nonlinear, p.name)
		}
	}
	prob, notes, err := sp.problem()
	if err != nil {
		return nil, err
	}
	d.Problem = prob
	d.Notes = append(d.Notes, notes...)
	if len(d.Nonlinear) == 0 {
		d.Scenario = sp.scenario()
	}
	return d, nil
}

// problem builds the analysis problem: one issue per domain issue when
// every profile is additive, otherwise one issue whose options are all the
// packages, each evaluated exactly.
func (sp *space) problem() (*analysis.Problem, []string, error) {
	p := &analysis.Problem{}
	for _, pr := range sp.profiles {
		p.Parties = append(p.Parties, pr.name)
		p.Reservation = append(p.Reservation, pr.reservation)
	}
	var notes []string
	var odd *profile
	for _, pr := range sp.profiles {
		if pr.linear() {
			continue
		}
		if odd == nil {
			odd = pr
		}
		if pr.nonlinear != nil {
			notes = append(notes, fmt.Sprintf("profile %s is nonlinear (%s): every package was evaluated exactly", pr.name, pr.nonlinear.describe()))
		} else {
			notes = append(notes, fmt.Sprintf("profile %s: its utility can reach %s, and GENIUS caps utilities at 1: every package was evaluated exactly", pr.name, fmtNum(pr.maxUtility())))
		}
	}
	if odd == nil {
		total := make([]float64, len(sp.profiles))
		for k, pr := range sp.profiles {
			for _, w := range pr.weights {
				total[k] += w
			}
		}
		for i, is := range sp.issues {
			ai := analysis.Issue{Points: []string{is.name}, Weights: make([]float64, len(sp.profiles))}
			for k, pr := range sp.profiles {
				if total[k] > 0 {
					ai.Weights[k] = pr.weights[i] / total[k]
				}
			}
			for j, v := range is.values {
				o := analysis.Option{Choices: []string{v}, Utility: make([]float64, len(sp.profiles))}
				for k, pr := range sp.profiles {
					o.Utility[k] = pr.weights[i] * pr.evals[i][j]
				}
				ai.Options = append(ai.Options, o)
			}
			p.Issues = append(p.Issues, ai)
		}
		return p, notes, p.Validate()
	}
	n := big.NewInt(1)
	for _, is := range sp.issues {
		n.Mul(n, big.NewInt(int64(len(is.values))))
	}
	if n.Cmp(big.NewInt(MaxEnumerated)) > 0 {
		why := "is nonlinear (hyperRectangle)"
		if odd.nonlinear == nil {
			why = "caps utilities at 1 (its weights add up to more than 1)"
		}
		return nil, nil, &Error{File: odd.file, Msg: fmt.Sprintf("profile %s %s, so its utility does not add up issue by issue, and the domain has %s packages, more than the %d parley evaluates one by one: no exact analysis is possible", odd.name, why, n, MaxEnumerated)}
	}
	ai := analysis.Issue{}
	for _, is := range sp.issues {
		ai.Points = append(ai.Points, is.name)
	}
	pkg := make([]int, len(sp.issues))
	for {
		o := analysis.Option{Choices: make([]string, len(pkg)), Utility: make([]float64, len(sp.profiles))}
		for i, j := range pkg {
			o.Choices[i] = sp.issues[i].values[j]
		}
		for k, pr := range sp.profiles {
			u := pr.utility(pkg)
			if math.IsNaN(u) || math.IsInf(u, 0) {
				return nil, nil, &Error{File: pr.file, Msg: fmt.Sprintf("profile %s gives the package %s the utility %v", pr.name, strings.Join(o.Choices, ", "), u)}
			}
			o.Utility[k] = u
		}
		ai.Options = append(ai.Options, o)
		i := len(pkg) - 1
		for ; i >= 0; i-- {
			pkg[i]++
			if pkg[i] < len(sp.issues[i].values) {
				break
			}
			pkg[i] = 0
		}
		if i < 0 {
			break
		}
	}
	p.Issues = []analysis.Issue{ai}
	return p, notes, p.Validate()
}
