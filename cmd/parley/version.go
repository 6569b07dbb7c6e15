package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print parley's version",
		usage: `Usage: parley version

Prints the version of parley (the module version, or "(devel)" for a build
from a checkout), the source revision with its commit time and whether the
checkout had uncommitted changes (when the build recorded them), and the Go
toolchain that built it.

Example:
  parley version
`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(commands["version"], e)
			rest, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if len(rest) > 0 {
				return usagef("version takes no arguments")
			}
			fmt.Fprintln(e.stdout, versionString())
			return nil
		},
	})
}

// versionString describes the build: the module version when installed
// with "go install", else "(devel)"; then the source revision, its commit
// time and whether the checkout was modified, when the build recorded them.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "parley (unknown version)"
	}
	return formatVersion(info)
}

func formatVersion(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	out := "parley " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		out += ", revision " + rev
		if modified == "true" {
			out += " (modified)"
		}
		if when != "" {
			out += ", " + when
		}
	}
	return out + ", " + info.GoVersion
}
