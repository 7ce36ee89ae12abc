// Command restorehub-gen generates Restore Hub's typed Go services, models
// and operation table from an OpenAPI 3.0 or 3.1 JSON document.
//
// Usage:
//
//	go run ./internal/gen -spec FILE -out DIR -package NAME [-scopes FILE] [-v]
//
// It writes one NAME_gen.go file per resource (the spec's first tag of each
// operation), models_gen.go for types several resources share,
// operations_gen.go and services_gen.go into DIR, and removes generated
// files of an earlier run that are no longer produced. With -scopes it also
// writes the root package's scope constants from the spec's x-scopes lists
// (or its Scope enum). The generated code needs the hand-written files of
// the resources package beside it (operation.go, query.go, paginate.go).
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
	verbose           bool
	tools, toolsPkg   string
	toolsOnly         bool
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
	if !token.IsIdentifier(o.pkg) || !token.IsIdentifier(o.scopesPkg) {
		return errors.New("-package and -scopes-package must be Go identifiers")
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
	for _, w := range res.warnings {
		fmt.Fprintln(stderr, "restorehub-gen: warning:", w)
	}
	if o.tools != "" {
		src, err := toolsFile(data, o.spec, o.toolsPkg, reserved)
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
	if err := writeFiles(o.out, res.files); err != nil {
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
	res := &result{doc: d, files: files, warnings: d.warnings, raws: pl.m.raws, services: len(pl.services)}
	res.documented, res.inferred = pl.counts()
	return res, nil
}

// generatedPrefix starts the first line of every file this generator writes.
const generatedPrefix = "// Code generated by restorehub-gen from "

// writeFiles writes files into dir and removes files an earlier run
// generated that this run did not.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, "_gen.go") || files[name] != nil {
			continue
		}
		if ours, err := generatedByUs(filepath.Join(dir, name)); err != nil {
			return err
		} else if ours {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return err
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := writeIfChanged(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
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
