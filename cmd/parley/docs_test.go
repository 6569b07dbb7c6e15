package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The commands the documentation shows are run as a reader would paste
// them on a fresh clone: a parley binary on the PATH, in a scratch folder
// that holds the repository's examples (and nothing of /work/shared), one
// after the other so that a file one command writes serves the next.

// docFiles are the documents whose ```sh blocks are run, in order.
var docFiles = []string{"README.md", "docs/genius.md", "docs/simulate.md"}

var shBlock = regexp.MustCompile("(?s)```sh\n(.*?)```")

// docCommands returns the command lines of the ```sh blocks of a file.
func docCommands(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", file))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, m := range shBlock.FindAllStringSubmatch(string(data), -1) {
		cmd := "" // a command continued over lines ending in a backslash
		for _, line := range strings.Split(m[1], "\n") {
			line = strings.TrimSpace(line)
			if cont, ok := strings.CutSuffix(line, "\\"); ok {
				cmd += cont + " "
				continue
			}
			if line = cmd + line; line != "" && !strings.HasPrefix(line, "#") {
				cmds = append(cmds, line)
			}
			cmd = ""
		}
	}
	return cmds
}

// helpCommands returns the examples of every command's --help; an
// example continued over lines ending in a backslash or a pipe is joined.
func helpCommands() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var cmds []string
	for _, n := range names {
		in := false
		cmd := ""
		sc := bufio.NewScanner(strings.NewReader(commands[n].help()))
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "Examples:":
				in = true
			case in && cmd != "":
				cmd += " " + strings.TrimSpace(line)
			case in && (strings.HasPrefix(line, "  parley ") || strings.HasPrefix(line, "  echo ")):
				cmd = strings.TrimSpace(line)
			case in && strings.TrimSpace(line) == "":
				in = false
			}
			if cont, ok := strings.CutSuffix(cmd, "\\"); ok {
				cmd = strings.TrimSpace(cont)
				continue
			}
			if strings.HasSuffix(cmd, "|") {
				continue
			}
			if cmd != "" {
				cmds = append(cmds, cmd)
				cmd = ""
			}
		}
	}
	return cmds
}

// helpOutputProblem says what is wrong with the output of a --help
// example, or "": a reader who pastes it must see an answer, not nothing,
// a bare "null", or (for improve, whose examples are chosen to find some)
// no improvement.
func helpOutputProblem(cmd, stdout, stderr string) string {
	writes := strings.Contains(cmd, " -o ") || strings.Contains(cmd, " --out ") || strings.Contains(cmd, ">")
	switch {
	case strings.TrimSpace(stdout) == "" && strings.TrimSpace(stderr) == "" && !writes:
		return "prints nothing"
	case strings.TrimSpace(stdout) == "null":
		return "prints null"
	case strings.Contains(cmd, "parley improve") && (strings.Contains(stdout, "No improvement") || strings.Contains(stdout, `"possible": false`)):
		return "finds no improvement"
	}
	return ""
}

// skipped tells why a documented command is not run here, or "".
func skipped(cmd string) string {
	switch {
	case strings.HasPrefix(cmd, "go "):
		return "a Go toolchain command (the test runs under one)"
	case strings.Contains(cmd, "parley serve"), strings.Contains(cmd, "curl "), strings.Contains(cmd, "$TOKEN"):
		return "needs a server"
	case strings.Contains(cmd, "--db "):
		return "needs a server's database"
	case strings.Contains(cmd, "| jq"):
		if _, err := exec.LookPath("jq"); err != nil {
			return "jq is not installed"
		}
	}
	return ""
}

// TestDocumentedCommands runs every command of README.md, docs/genius.md,
// docs/simulate.md and the --help texts, as pasted.
func TestDocumentedCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every documented command; skipped with -short")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is needed to run the documented commands")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "parley"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	work := filepath.Join(tmp, "clone")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(examples, filepath.Join(work, "examples")); err != nil {
		t.Fatal(err)
	}
	// The README builds ./parley in the clone and calls it so.
	if err := os.Symlink(filepath.Join(bin, "parley"), filepath.Join(work, "parley")); err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, f := range docFiles {
		all = append(all, docCommands(t, f)...)
	}
	help := make(map[string]bool)
	for _, cmd := range helpCommands() {
		all = append(all, cmd)
		help[cmd] = true
	}
	if len(all) < 30 {
		t.Fatalf("only %d documented commands found", len(all))
	}
	for _, cmd := range all {
		if why := skipped(cmd); why != "" {
			t.Logf("skipped (%s): %s", why, cmd)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		c := exec.CommandContext(ctx, bash, "-o", "pipefail", "-c", cmd)
		c.Dir = work
		c.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1")
		var stdout, stderr strings.Builder
		c.Stdout, c.Stderr = &stdout, &stderr
		start := time.Now()
		err := c.Run()
		cancel()
		if d := time.Since(start); d > 5*time.Second {
			t.Logf("%.1fs: %s", d.Seconds(), cmd)
		}
		if err != nil {
			t.Errorf("%s: %v\n%s", cmd, err, tail([]byte(stdout.String()+stderr.String())))
			continue
		}
		if why := helpOutputProblem(cmd, stdout.String(), stderr.String()); help[cmd] && why != "" {
			t.Errorf("the --help example %s %s", cmd, why)
		}
	}
}

func tail(b []byte) string {
	s := string(b)
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}

// TestSimulateJSONExample checks that docs/simulate.md's JSON example is
// what the command it names prints: the domain and the first negotiation
// verbatim, and the first aggregate's agreement statistics.
func TestSimulateJSONExample(t *testing.T) {
	data, err := os.ReadFile("../../docs/simulate.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	m := regexp.MustCompile("This is the\\s+output of `parley (simulate [^`]*)`").FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("docs/simulate.md does not name the command of its JSON example")
	}
	args := strings.Fields(m[1])
	for i, a := range args {
		if strings.HasPrefix(a, "examples/") {
			args[i] = "../../" + a
		}
	}
	code, out, stderr := runParley(t, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	var real struct {
		Domains      []any `json:"domains"`
		Negotiations []any `json:"negotiations"`
		ByStrategy   []struct {
			Name         string `json:"name"`
			Negotiations int    `json:"negotiations"`
			Agreement    any    `json:"agreement"`
		} `json:"by_strategy"`
	}
	if err := json.Unmarshal([]byte(out), &real); err != nil {
		t.Fatal(err)
	}
	line := func(prefix string) any {
		for _, l := range strings.Split(doc, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix) {
				var v any
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Fatalf("docs/simulate.md: %s…: %v", prefix, err)
				}
				return v
			}
		}
		t.Fatalf("docs/simulate.md has no line starting %s", prefix)
		return nil
	}
	if got := line(`{"name": "holiday"`); !reflect.DeepEqual(got, real.Domains[0]) {
		t.Errorf("domain in the docs\n%v\nreal\n%v", got, real.Domains[0])
	}
	if got := line(`{"domain": "holiday"`); !reflect.DeepEqual(got, real.Negotiations[0]) {
		t.Errorf("negotiation in the docs\n%v\nreal\n%v", got, real.Negotiations[0])
	}
	bs := real.ByStrategy[0]
	want := regexp.MustCompile(`\{"name": "` + bs.Name + `", "negotiations": (\d+),`).FindStringSubmatch(doc)
	if want == nil || want[1] != strconv.Itoa(bs.Negotiations) {
		t.Errorf("by_strategy in the docs: %v, real %s with %d negotiations", want, bs.Name, bs.Negotiations)
	}
}
