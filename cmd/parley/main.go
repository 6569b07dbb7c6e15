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
	"sort"
	"strings"
)

// command is one subcommand of parley.
type command struct {
	name    string
	summary string // one line for "parley help"
	usage   string // the full help text, with examples
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// terminal is true when stderr is a terminal: progress bars are shown
	// only then.
	terminal bool
	// tty is standard error without escaping, for the progress bar's own
	// control characters; when nil, the bar is drawn on stderr.
	tty io.Writer
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
	child := os.Getenv(childEnv) != ""
	if !child {
		if code, ok := supervise(); ok {
			os.Exit(code)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	stop := handleInterrupts(cancel, os.Stderr)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, terminal: isTerminal(os.Stderr)}
	code := run(ctx, e, os.Args[1:])
	stop()
	cancel()
	if child && code == 2 {
		code = childBadInput
	}
	os.Exit(code)
}

// run executes parley with args and returns the exit status. What it
// writes goes through safeWriter: control characters escaped, and a
// failed write to standard output (a full disk) is an error.
func run(ctx context.Context, e *env, args []string) int {
	out, errw := &safeWriter{w: e.stdout}, &safeWriter{w: e.stderr}
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
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprint(e.stdout, c.usage)
				return 0
			}
		}
		fmt.Fprint(e.stdout, topUsage())
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "parley: unknown command %q\n\n%s", name, topUsage())
		return 2
	}
	err := c.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(e.stdout, c.usage)
		return 0
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "parley %s: interrupted\n", name)
		return exitInterrupted
	}
	fmt.Fprintf(e.stderr, "parley %s: %v\n", name, err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
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
	b.WriteString("\nRun \"parley help COMMAND\" for a command's flags and examples.\n")
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
			return nil, usagef("%v (see --help)", err)
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
