// Command restorehub-drift compares the operations this SDK was built with
// against Restore Hub's live OpenAPI document, and lists the operations whose
// method and path are not live, those whose scope, tier or pagination
// differ, and the live operations the SDK lacks.
//
// Usage:
//
//	RESTOREHUB_API_KEY=rh_... go run github.com/restorehub/restorehub-go/cmd/restorehub-drift [-json] [-timeout 30s]
//	go run github.com/restorehub/restorehub-go/cmd/restorehub-drift -spec openapi.json [-json]
//
// Without -spec it fetches GET /openapi.json with the key in
// RESTOREHUB_API_KEY, from RESTOREHUB_BASE_URL when that is set. With -spec
// it reads the document from a file ("-" for standard input) and needs no key
// or network.
//
// -version prints the version the binary was built at (restorehub.Version).
//
// The exit status is 0 when there is no drift, 1 when there is, and 2 on
// an error (bad flags, no key, the spec cannot be fetched or read).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/restorehub/restorehub-go"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitDrift = 1
	exitError = 2
)

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restorehub-drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	specFile := fs.String("spec", "", "compare with this OpenAPI JSON file (\"-\" for stdin) instead of fetching the live spec")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	timeout := fs.Duration("timeout", 30*time.Second, "how long fetching (or reading) and comparing the spec may take")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: restorehub-drift [-json] [-spec FILE] [-timeout D] [-version]")
		fmt.Fprintln(stderr, "Compares the SDK's operations with the live /openapi.json (key from RESTOREHUB_API_KEY). Exit 0: no drift, 1: drift, 2: error.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if *showVersion {
		fmt.Fprintf(stdout, "restorehub-drift %s\n", restorehub.Version)
		return exitOK
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "restorehub-drift: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitError
	}

	report, err := load(ctx, *specFile, *timeout, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "restorehub-drift: %v\n", err)
		return exitError
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "restorehub-drift: %v\n", err)
			return exitError
		}
	} else if err := printTable(stdout, report); err != nil {
		fmt.Fprintf(stderr, "restorehub-drift: %v\n", err)
		return exitError
	}
	if report.HasDrift() {
		return exitDrift
	}
	return exitOK
}

// load reads the spec file, or fetches the live spec when file is "".
func load(ctx context.Context, file string, timeout time.Duration, stdin io.Reader) (*restorehub.DriftReport, error) {
	if file != "" {
		var r io.Reader = stdin
		if file != "-" {
			f, err := os.Open(file)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			r = f
		}
		b, err := io.ReadAll(io.LimitReader(r, restorehub.MaxSpecSize+1))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		return restorehub.CompareSpecContext(ctx, b)
	}
	c, err := restorehub.NewFromEnv()
	if err != nil {
		return nil, fmt.Errorf("%w (or pass -spec FILE to compare with a file)", err)
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	return c.Drift(ctx)
}

// printTable writes the report as an aligned table and a summary line.
func printTable(w io.Writer, r *restorehub.DriftReport) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if r.HasDrift() {
		fmt.Fprintln(tw, "DRIFT\tOPERATION\tMETHOD\tPATH\tDETAIL")
	}
	for _, m := range r.Missing {
		detail := "not in the live spec"
		if m.Inferred {
			detail += " (the SDK inferred it from a scope name)"
		}
		fmt.Fprintf(tw, "missing\t%s\t%s\t%s\t%s\n", clean(m.ID), clean(m.Method), clean(m.Path), clean(detail))
	}
	for _, c := range r.Changed {
		var parts []string
		for _, f := range c.Fields {
			parts = append(parts, fmt.Sprintf("%s %s -> %s", f.Name, orNone(f.SDK), orNone(f.Live)))
		}
		path := c.Path
		if c.LivePath != c.Path {
			path += " (live " + c.LivePath + ")"
		}
		fmt.Fprintf(tw, "changed\t%s\t%s\t%s\t%s\n", clean(c.ID), clean(c.Method), clean(path), clean(strings.Join(parts, "; ")))
	}
	for _, e := range r.Extra {
		detail := "not in the SDK"
		if e.Scope != "" {
			detail += "; scope " + e.Scope
			if e.Tier != "" {
				detail += " (" + e.Tier + ")"
			}
		}
		if e.Pagination != "" && e.Pagination != "none" {
			detail += "; " + e.Pagination + " pagination"
		}
		fmt.Fprintf(tw, "extra\t%s\t%s\t%s\t%s\n", clean(orDash(e.ID)), clean(e.Method), clean(e.Path), clean(detail))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	version := "."
	if r.SpecVersion != "" {
		version = " (spec version " + clean(r.SpecVersion) + ")."
	}
	if r.NoScopes {
		if _, err := fmt.Fprintln(w, "Note: the spec declares no scopes on any operation, so scopes were not compared."); err != nil {
			return err
		}
	}
	if !r.HasDrift() {
		_, err := fmt.Fprintf(w, "No drift: the SDK's %d operations match the spec's %d%s\n", r.SDKOperations, r.LiveOperations, version)
		return err
	}
	_, err := fmt.Fprintf(w, "\nDrift: %d missing, %d changed, %d extra; the SDK has %d operations, the spec %d%s\n",
		len(r.Missing), len(r.Changed), len(r.Extra), r.SDKOperations, r.LiveOperations, version)
	return err
}

// clean is s safe to print in the table: control characters, other
// non-printable runes and invalid UTF-8 from the spec are written as Go
// escapes (\x1b, \n, \t), so a spec cannot move the cursor, recolour the
// terminal or break the table's columns.
func clean(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
