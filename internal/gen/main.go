// Command restorehub-gen generates Restore Hub's typed Go services, models
// and operation table from an OpenAPI 3.0 or 3.1 JSON document.
//
// Usage:
//
//	go run ./internal/gen -spec FILE -out DIR -package NAME [-scopes FILE] [-v]
//	go run ./internal/gen -spec FILE -out DIR -package NAME -cases FILE [-cases-package NAME] [-import PATH]
//
// It writes one NAME_gen.go file per resource (the spec's first tag of each
// operation), models_gen.go for types several resources share,
// operations_gen.go and services_gen.go into DIR, and removes generated
// files of an earlier run that are no longer produced. With -scopes it also
// writes the root package's scope constants from the spec's x-scopes lists
// (or its Scope enum). The generated code needs the hand-written files of
// the resources package beside it (operation.go, query.go, paginate.go).
//
// Under go generate a stale file is not removed but emptied to its package
// clause: go generate lists a package's files before it runs the first
// directive and fails on a file that has gone by the time it reaches it.
//
// With -cases it writes only the test cases of every operation (the Cases
// function of package resourcestest, which the hand-written files of that
// package complete) to FILE, leaving DIR alone but for removing the stale
// generated files an earlier run emptied. resources/resourcestest runs it
// from its own go:generate directive, which go generate ./... reaches after
// it has read every file of the resources package.
//
// Generation never fails on what the generator cannot model: such schemas
// become json.RawMessage with a comment saying why, and -v lists them.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "restorehub-gen:", err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	spec, out, pkg    string
	scopes, scopesPkg string
	cases, casesPkg   string
	importPath        string
	verbose           bool
	tools, toolsPkg   string
	toolsOnly         bool
}

// underGoGenerate reports whether go generate runs the generator, which then
// must not remove files of a package go generate may still read.
func underGoGenerate() bool {
	return os.Getenv("GOFILE") != "" && os.Getenv("GOPACKAGE") != ""
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("restorehub-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.spec, "spec", "", "OpenAPI 3.0 or 3.1 JSON document to read")
	fs.StringVar(&o.out, "out", "", "directory to write the generated package into")
	fs.StringVar(&o.pkg, "package", "", "package name of the generated files")
	fs.StringVar(&o.scopes, "scopes", "", "also write the scope constants to this file (skipped when the spec lists no scopes)")
	fs.StringVar(&o.scopesPkg, "scopes-package", "restorehub", "package name of the -scopes file")
	fs.StringVar(&o.cases, "cases", "", "write only the test cases of every operation to this file, and remove stale generated files from -out")
	fs.StringVar(&o.casesPkg, "cases-package", "resourcestest", "package name of the -cases file")
	fs.StringVar(&o.importPath, "import", "github.com/restorehub/restorehub-go/resources", "import path of the -out package, for the -cases file")
	fs.BoolVar(&o.verbose, "v", false, "report counts and every schema mapped to json.RawMessage")
	fs.StringVar(&o.tools, "tools", "", "also write the agent toolkit's tool table to this file")
	fs.StringVar(&o.toolsPkg, "tools-package", "agent", "package name of the -tools file")
	fs.BoolVar(&o.toolsOnly, "tools-only", false, "write only the -tools file (-out still names the resources package whose names it mirrors)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.spec == "" || o.out == "" || o.pkg == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("-spec, -out and -package are required")
	}
	if !token.IsIdentifier(o.pkg) || !token.IsIdentifier(o.scopesPkg) || !token.IsIdentifier(o.casesPkg) {
		return errors.New("-package, -scopes-package and -cases-package must be Go identifiers")
	}
	if o.cases != "" && o.scopes != "" {
		return errors.New("-cases and -scopes cannot be combined: -cases writes only the cases")
	}
	data, err := os.ReadFile(o.spec)
	if err != nil {
		return err
	}
	reserved, err := handWrittenNames(o.out)
	if err != nil {
		return err
	}
	res, err := generate(data, o.spec, o.pkg, reserved)
	if err != nil {
		return fmt.Errorf("%s: %w", o.spec, err)
	}
	if o.cases != "" {
		src, err := res.plan.casesFile(o.spec, o.casesPkg, o.pkg, o.importPath)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(o.cases), 0o755); err != nil {
			return err
		}
		if err := writeIfChanged(o.cases, src); err != nil {
			return err
		}
		// This run comes after go generate has read the -out package, so
		// stale files, emptied or not, can go now.
		return removeStale(o.out, res.files, "", false)
	}
	for _, w := range res.warnings {
		fmt.Fprintln(stderr, "restorehub-gen: warning:", w)
	}
	if o.tools != "" {
		src, err := res.plan.toolsFile(o.spec, o.toolsPkg)
		if err != nil {
			return err
		}
		if err := writeIfChanged(o.tools, src); err != nil {
			return err
		}
	}
	if o.toolsOnly {
		return nil
	}
	oldTable, _ := os.ReadFile(filepath.Join(o.out, "operations_gen.go"))
	if err := writeFiles(o.out, o.pkg, res.files, underGoGenerate()); err != nil {
		return err
	}
	if o.scopes != "" {
		src, err := res.doc.scopesFile(o.spec, o.scopesPkg)
		if err != nil {
			return err
		}
		if src == nil {
			fmt.Fprintln(stderr, "restorehub-gen: the spec lists no scopes; not writing", o.scopes)
		} else if err := writeIfChanged(o.scopes, src); err != nil {
			return err
		}
		// The hand-written code of the module (the root holds scopes.go)
		// that names what this spec lacks is what a person must edit.
		stale, err := staleNames(filepath.Dir(o.scopes), scopeConstsIn(src), operationIDsIn(oldTable), operationIDsIn(res.files["operations_gen.go"]))
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		reportStaleNames(&buf, stale, 40)
		stderr.Write(buf.Bytes())
	}
	if o.verbose {
		fmt.Fprintf(stderr, "restorehub-gen: %d operations (%d documented, %d inferred) in %d services, %d files\n",
			res.documented+res.inferred, res.documented, res.inferred, res.services, len(res.files))
		for _, r := range res.raws {
			fmt.Fprintln(stderr, "restorehub-gen: json.RawMessage:", r)
		}
	}
	return nil
}

// result is one generation.
type result struct {
	doc                  *document
	plan                 *plan
	files                map[string][]byte
	warnings             []string
	raws                 []string
	documented, inferred int
	services             int
}

// generate turns a spec into file contents. It touches no files.
func generate(data []byte, specPath, pkg string, reserved []string) (*result, error) {
	d, err := loadDocument(data)
	if err != nil {
		return nil, err
	}
	pl := buildPlan(d, reserved)
	files, err := pl.resourceFiles(specPath, pkg)
	if err != nil {
		return nil, err
	}
	if files["operations_gen.go"], err = pl.operationsFile(specPath, pkg); err != nil {
		return nil, err
	}
	if files["services_gen.go"], err = pl.servicesFile(specPath, pkg); err != nil {
		return nil, err
	}
	res := &result{doc: d, plan: pl, files: files, warnings: d.warnings, raws: pl.m.raws, services: len(pl.services)}
	res.documented, res.inferred = pl.counts()
	return res, nil
}

// generatedPrefix starts the first line of every file this generator writes.
const generatedPrefix = "// Code generated by restorehub-gen from "

// writeFiles writes files into dir and removes files an earlier run
// generated that this run did not. With keep (under go generate) it empties
// them to a package clause of pkg instead: see removeStale.
func writeFiles(dir, pkg string, files map[string][]byte, keep bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := writeIfChanged(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return removeStale(dir, files, pkg, keep)
}

// removeStale removes the *_gen.go files of dir that this generator wrote
// and that are not among files. With keep it leaves each in place as a
// valid, empty file of package pkg that still carries the generated-code
// header (so a later run removes it): go generate lists the files of a
// package before running its first directive and stops with "no such file"
// when it reaches one a directive removed.
func removeStale(dir string, files map[string][]byte, pkg string, keep bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, "_gen.go") || files[name] != nil {
			continue
		}
		path := filepath.Join(dir, name)
		ours, err := generatedByUs(path)
		if err != nil {
			return err
		}
		switch {
		case !ours:
		case keep:
			if err := writeIfChanged(path, staleStub(pkg)); err != nil {
				return err
			}
		default:
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	return nil
}

// staleStub is what a stale generated file holds until a run outside go
// generate's reading of its package removes it.
func staleStub(pkg string) []byte {
	return []byte(generatedPrefix + "an earlier spec. DO NOT EDIT.\n\n" +
		"// This file is no longer generated. It stays, empty, while go generate\n" +
		"// reads the package, and the go:generate directive of\n" +
		"// resources/resourcestest (or any later run) removes it.\n\n" +
		"package " + pkg + "\n")
}

func generatedByUs(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, len(generatedPrefix))
	n, _ := io.ReadFull(f, buf)
	return string(buf[:n]) == generatedPrefix, nil
}

// writeIfChanged leaves a file alone when it already holds src, so that
// regenerating does not touch modification times.
func writeIfChanged(path string, src []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, src) {
		return nil
	}
	return os.WriteFile(path, src, 0o644)
}

// handWrittenNames returns the top-level names declared by the Go files of
// dir that this generator did not write, so generated names avoid them.
func handWrittenNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		path := filepath.Join(dir, n)
		if ours, err := generatedByUs(path); err != nil || ours {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						names = append(names, s.Name.Name)
					case *ast.ValueSpec:
						for _, id := range s.Names {
							names = append(names, id.Name)
						}
					}
				}
			}
		}
	}
	slices.Sort(names)
	return names, nil
}
