package restorehub

import (
	"runtime/debug"
	"strings"
)

// modulePath is the path of this module, as the build information names it.
const modulePath = "github.com/restorehub/restorehub-go"

// Version is the version of this SDK as built, sent in the User-Agent
// header: the module version the go command recorded in the binary
// ("0.5.0" for a program that requires v0.5.0, or that was installed with
// go install …@v0.5.0), without the leading "v". A build from a checkout,
// where the go command records no version, reports "devel".
//
// It is a variable only because the build information is read at run time;
// do not set it.
var Version = versionFrom(debug.ReadBuildInfo())

// versionFrom is the version of this module in info: the main module's
// when this module is the program's own, else that of the dependency (or
// of what replaces it).
func versionFrom(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "devel"
	}
	v := ""
	if info.Main.Path == modulePath {
		v = info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path != modulePath {
			continue
		}
		v = d.Version
		if d.Replace != nil {
			v = d.Replace.Version
		}
	}
	return cleanVersion(v)
}

// cleanVersion is a module version without its "v", or "devel" for none
// (a checkout, or a replacement by a directory).
func cleanVersion(v string) string {
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return strings.TrimPrefix(v, "v")
}
