package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestMemoryWatchdog runs this test's binary again as a process that
// allocates without end under a limit of 200 MiB above what it holds: the
// watchdog must stop it with exit status 1 and say why, before the limit.
func TestMemoryWatchdog(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the watchdog reads the memory held from /proc on Linux only")
	}
	const limit = 200 << 20
	if os.Getenv("PARLEY_TEST_WATCHDOG") != "" {
		base := residentMemory()
		memoryLimitOf = func() (memoryLimit, bool) {
			return memoryLimit{bytes: base + limit, what: "a test limit"}, true
		}
		watchMemory("test", os.Stderr)
		var keep [][]byte
		for range 2 * limit >> 20 {
			b := make([]byte, 1<<20)
			for i := 0; i < len(b); i += 4096 { // held only once written
				b[i] = 1
			}
			keep = append(keep, b)
		}
		runtime.KeepAlive(keep)
		os.Exit(0) // the watchdog failed to stop this process
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryWatchdog$")
	cmd.Env = append(os.Environ(), "PARLEY_TEST_WATCHDOG=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1; output:\n%s", err, out)
	}
	want := "parley test: out of memory: "
	if !strings.HasPrefix(string(out), want) || !strings.Contains(string(out), "near a test limit; stopped before the limit") {
		t.Errorf("output %q, want it to start %q and name the limit", out, want)
	}
}

func TestOverLimit(t *testing.T) {
	lim := memoryLimit{bytes: 1000}
	for _, tc := range []struct {
		held uint64
		over bool
	}{{0, false}, {800, false}, {801, true}, {5000, true}} {
		if _, over := overLimit(lim, func() uint64 { return tc.held })(); over != tc.over {
			t.Errorf("%d of 1000 held: over %v, want %v", tc.held, over, tc.over)
		}
	}
}

// TestPanicIsInternalFailure checks that a panic in a command ends parley
// with status 1, not the runtime's 2 (bad input), and says so.
func TestPanicIsInternalFailure(t *testing.T) {
	register(&command{name: "test-panic", run: func(context.Context, *env, []string) error { panic("boom") }})
	defer delete(commands, "test-panic")
	stderr := os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stderr = w
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	code := runSafely(context.Background(), e, []string{"test-panic"})
	os.Stderr = stderr
	w.Close()
	msg, _ := io.ReadAll(r)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if !strings.HasPrefix(string(msg), "parley: internal failure") || !strings.Contains(string(msg), "panic: boom") {
		t.Errorf("message %q, want an internal failure naming the panic", msg)
	}
}

func TestReadsInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"version"}, false},
		{[]string{"--help"}, false},
		{[]string{"serve"}, false},
		{[]string{"analyze", "x"}, true},
		{[]string{"validate", "-"}, true},
	} {
		if got := readsInput(tc.args); got != tc.want {
			t.Errorf("%q: expected %v got %v", tc.args, tc.want, got)
		}
	}
}
