package restorehub

import (
	"runtime/debug"
	"testing"
)

func TestVersionFromBuildInfo(t *testing.T) {
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, "devel"},
		{"a checkout", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, true, "devel"},
		{"go install of the core's command at a version", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v0.5.0"}}, true, "0.5.0"},
		{"a program requiring it", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "golang.org/x/time", Version: "v0.16.0"}, {Path: modulePath, Version: "v0.7.1-rc.1"}},
		}, true, "0.7.1-rc.1"},
		{"a nested module's command at a version", &debug.BuildInfo{
			Main: debug.Module{Path: modulePath + "/agent", Version: "v0.5.0"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.5.0"}},
		}, true, "0.5.0"},
		{"replaced by a directory", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.5.0", Replace: &debug.Module{Path: "../"}}},
		}, true, "devel"},
		{"replaced by another version", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.5.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v0.5.1"}}},
		}, true, "0.5.1"},
		{"not in the binary", &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}}, true, "devel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionFrom(tc.info, tc.ok); got != tc.want {
				t.Errorf("versionFrom = %q, want %q", got, tc.want)
			}
		})
	}
}
