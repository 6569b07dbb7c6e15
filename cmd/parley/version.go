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

Prints the version of parley (the module version, or the source revision
for a build from a checkout) and of the Go toolchain that built it.

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
// with "go install", else the source revision.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "parley (unknown version)"
	}
	v := info.Main.Version
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v = rev + modified
	}
	if v == "" {
		v = "(devel)"
	}
	return fmt.Sprintf("parley %s (%s)", v, info.GoVersion)
}
