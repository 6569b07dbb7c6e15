package main

import (
	"runtime/debug"
	"testing"
)

func TestFormatVersion(t *testing.T) {
	cases := []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}},
			"parley (devel), go1.26.0"},
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"}},
			"parley v1.2.0, go1.26.0"},
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{
				{Key: "vcs.revision", Value: "466190e0123456789abcdef"},
				{Key: "vcs.time", Value: "2026-12-01T23:10:00Z"},
				{Key: "vcs.modified", Value: "true"},
			}},
			"parley (devel), revision 466190e01234 (modified), 2026-12-01T23:10:00Z, go1.26.0"},
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: ""},
			Settings: []debug.BuildSetting{
				{Key: "vcs.revision", Value: "abc"},
				{Key: "vcs.modified", Value: "false"},
			}},
			"parley (devel), revision abc, go1.26.0"},
	}
	for _, c := range cases {
		got := formatVersion(&c.info)
		if got != c.want {
			t.Errorf("formatVersion = %q, want %q", got, c.want)
		}
		if len(got) > 80 {
			t.Errorf("version line is %d columns, more than 80: %q", len(got), got)
		}
	}
}
