//go:build ignore

// Modproxy writes a file-based Go module proxy (GOPROXY=file://DIR) holding
// every module of a source tree at one made-up version, as if each had been
// tagged and published. scripts/release-check.sh uses it; it needs only the
// standard library, so it runs with `go run scripts/modproxy/main.go`.
//
// Usage:
//
//	go run scripts/modproxy/main.go -src TREE -version v0.99.0-check -out DIR
//
// It finds every go.mod under TREE (skipping testdata, vendor, and
// directories whose names start with "." or "_", as the go command does),
// and for each module writes DIR/<escaped path>/@v/{list,VERSION.info,
// VERSION.mod,VERSION.zip}. The zip follows the module zip format: every
// file under "<module>@<version>/", nested modules, VCS directories, vendor
// directories and non-regular files left out. It prints one line per
// module: its path and its directory relative to TREE.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

func main() {
	src := flag.String("src", ".", "the source tree")
	version := flag.String("version", "", "the made-up version, such as v0.99.0-check")
	out := flag.String("out", "", "the proxy directory to write")
	flag.Parse()
	if err := run(*src, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

var semver = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$`)

type module struct{ path, dir string }

func run(src, version, out string) error {
	if !semver.MatchString(version) {
		return fmt.Errorf("-version %q is not a semantic version such as v0.99.0-check", version)
	}
	if m := semver.FindStringSubmatch(version); m[1] != "0" && m[1] != "1" {
		return fmt.Errorf("-version %q: a major version above v1 needs a /v%s module path", version, m[1])
	}
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	mods, err := findModules(src)
	if err != nil {
		return err
	}
	if len(mods) == 0 {
		return fmt.Errorf("no go.mod under %s", src)
	}
	for _, m := range mods {
		if err := publish(src, m, version, out); err != nil {
			return fmt.Errorf("%s: %w", m.path, err)
		}
		fmt.Printf("%s %s\n", m.path, m.dir)
	}
	return nil
}

// skipDir reports whether the go command ignores a directory of this name.
func skipDir(name string) bool {
	return name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

func findModules(src string) ([]module, error) {
	var mods []module
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != src && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() != "go.mod" || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		mp := modulePath(data)
		if mp == "" {
			return fmt.Errorf("%s has no module line", p)
		}
		rel, err := filepath.Rel(src, filepath.Dir(p))
		if err != nil {
			return err
		}
		mods = append(mods, module{path: mp, dir: filepath.ToSlash(rel)})
		return nil
	})
	sort.Slice(mods, func(i, j int) bool { return mods[i].dir < mods[j].dir })
	return mods, err
}

func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// escape is the module proxy's case encoding: "A" becomes "!a".
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func publish(src string, m module, version, out string) error {
	root := filepath.Join(src, filepath.FromSlash(m.dir))
	dir := filepath.Join(out, filepath.FromSlash(escape(m.path)), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	info, _ := json.Marshal(map[string]string{"Version": version, "Time": time.Now().UTC().Format(time.RFC3339)})
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": info,
		version + ".mod":  gomod,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return writeZip(root, m.path+"@"+version, filepath.Join(dir, version+".zip"))
}

// writeZip writes the module zip of the module rooted at root.
func writeZip(root, prefix, file string) error {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			switch d.Name() {
			case ".git", ".hg", ".svn", ".bzr", "vendor":
				return filepath.SkipDir
			}
			if fi, err := os.Lstat(filepath.Join(p, "go.mod")); err == nil && fi.Mode().IsRegular() {
				return filepath.SkipDir // a nested module
			}
			return nil
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, rel := range files {
		w, err := zw.Create(path.Join(prefix, rel))
		if err != nil {
			f.Close()
			return err
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write(data); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
