// Command parley is negotiation support for multi-party agreements: it
// analyses a single negotiating text and the parties' positions, reads the
// research formats of automated negotiation, and simulates negotiations.
//
// Run "parley help" for the list of commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"parley/scenario"
)

// command is one subcommand of parley.
type command struct {
	name    string
	summary string // one line for "parley help"
	usage   string // the full help text, with examples
	// makeUsage, when set, makes the help text on demand instead of
	// usage, so that start-up does not pay for it.
	makeUsage func() string
	run       func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// terminal is true when stderr is a terminal: progress bars are shown
	// only then.
	terminal bool
	// outWidth is the width of the terminal standard output goes to, 0
	// when it is not a terminal; outColor says whether it may use colour
	// (a terminal, and NO_COLOR unset).
	outWidth int
	outColor bool
	// tty is standard error without escaping, for the progress bar's own
	// control characters; when nil, the bar is drawn on stderr.
	tty io.Writer
}

// layout returns the layout of human output: the terminal's width, or
// width when positive, else 80 columns; colour only on a terminal.
func (e *env) layout(width, precision int) layout {
	l := layout{width: defaultWidth, precision: precision, color: e.outColor}
	if e.outWidth > 0 {
		l.width = e.outWidth
	}
	if width > 0 {
		l.width = width
	}
	return l
}

// progressOut is where a progress bar is drawn.
func (e *env) progressOut() io.Writer {
	if e.tty != nil {
		return e.tty
	}
	return e.stderr
}

var commands = map[string]*command{}

// register adds a subcommand; each command's file registers itself.
func register(c *command) { commands[c.name] = c }

// help returns the command's full help text.
func (c *command) help() string {
	if c.makeUsage != nil {
		return c.makeUsage()
	}
	return c.usage
}

// usageError is bad usage or bad input: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usage error (exit status 2).
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// badInput marks err as bad input (exit status 2), keeping it for errors.As.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

func main() {
	args := os.Args[1:]
	child := os.Getenv(childEnv) != ""
	if readsInput(args) {
		if !child && memoryCapped() {
			if code, ok := supervise(); ok {
				os.Exit(code)
			}
		}
		watchMemory(args[0], os.Stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stop := handleInterrupts(cancel, os.Stderr)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, terminal: isTerminal(os.Stderr)}
	if isTerminal(os.Stdout) {
		e.outWidth = terminalWidth(os.Stdout)
		e.outColor = os.Getenv("NO_COLOR") == ""
	}
	code := runSafely(ctx, e, args)
	stop()
	cancel()
	if child && code == 2 {
		code = childBadInput
	}
	os.Exit(code)
}

// readsInput reports whether the command args name works on input, and
// so has its memory watched (see watchMemory). The commands that read no
// input (version, help, schema, example) start at once, and the server,
// which runs for days and must receive its signals itself, is left alone.
func readsInput(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "version", "-v", "--version", "help", "-h", "-help", "--help", "schema", "example", "serve":
		return false
	}
	return true
}

// runSafely is run, with a panic reported as the internal failure it is:
// exit status 1, as the Go runtime's own status, 2, is parley's status for
// bad input.
func runSafely(ctx context.Context, e *env, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			removeTemps()
			fmt.Fprintf(os.Stderr, "parley: internal failure (a bug; exit status 1, the input was not found bad): panic: %v\n\n%s", r, debug.Stack())
			code = 1
		}
	}()
	return run(ctx, e, args)
}

// run executes parley with args and returns the exit status. What it
// writes goes through safeWriter: control characters escaped, and a
// failed write to standard output (a full disk) is an error.
func run(ctx context.Context, e *env, args []string) int {
	out, errw := &safeWriter{w: e.stdout, sgr: e.outColor}, &safeWriter{w: e.stderr}
	safe := *e
	safe.stdout, safe.stderr, safe.tty = out, errw, e.stderr
	code := dispatch(ctx, &safe, args)
	if err := out.flush(); err != nil && code == 0 {
		fmt.Fprintf(errw, "parley: write standard output: %v\n", err)
		code = 1
	}
	errw.flush()
	return code
}

// dispatch runs the command that args name.
func dispatch(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, topUsage())
		return 2
	}
	name := args[0]
	if name == "--version" || name == "-v" || name == "-version" {
		name = "version"
	}
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprint(e.stdout, c.help())
				return 0
			}
			fmt.Fprintf(e.stderr, "parley help: unknown command %q%s\n\n%s", args[1], commandHint(args[1]), topUsage())
			return 2
		}
		fmt.Fprint(e.stdout, topUsage())
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "parley: unknown command %q%s\n\n%s", name, commandHint(name), topUsage())
		return 2
	}
	err := c.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(e.stdout, c.help())
		return 0
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "parley %s: interrupted\n", name)
		return exitInterrupted
	}
	// Every line of a message of several lines carries the prefix, so
	// that each one says where it comes from.
	for _, line := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		fmt.Fprintf(e.stderr, "parley %s: %s\n", name, line)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// commandHint is ` (did you mean "analyze"?)` for a mistyped command.
func commandHint(name string) string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	return scenario.DidYouMean(name, names)
}

func topUsage() string {
	var b strings.Builder
	b.WriteString("parley: negotiation support for multi-party agreements\n\nUsage:\n  parley COMMAND [flags] [args]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, commands[n].summary)
	}
	b.WriteString("\nRun \"parley help COMMAND\" for a command's flags and examples;\n\"parley --version\" prints the version.\n")
	return b.String()
}

// newFlags returns a flag set that reports errors instead of exiting and
// prints the command's usage for -h.
func newFlags(c *command, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments, and
// turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%s (see --help)", flagError(fs, err))
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagError words an error of the flag package for people: "unknown flag
// --yaml (did you mean --json?)", "--width needs a value", "--width: "x" is
// not a valid value".
func flagError(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		hint := scenario.DidYouMean(name, names)
		hint = strings.Replace(hint, `"`, "--", 1)
		hint = strings.Replace(hint, `"`, "", 1)
		return "unknown flag --" + name + hint
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "--" + name + " needs a value"
	}
	for _, prefix := range []string{"invalid value ", "invalid boolean value "} {
		rest, ok := strings.CutPrefix(msg, prefix)
		if !ok {
			continue
		}
		value, rest, ok := strings.Cut(rest, " for ")
		if !ok {
			break
		}
		rest = strings.TrimPrefix(rest, "flag ")
		name, why, _ := strings.Cut(strings.TrimPrefix(rest, "-"), ": ")
		what := "not a valid value"
		switch {
		case strings.Contains(why, "out of range"):
			what = "out of range"
		case prefix == "invalid boolean value ":
			what = "not true or false"
		}
		return "--" + name + ": " + value + " is " + what
	}
	return msg
}
