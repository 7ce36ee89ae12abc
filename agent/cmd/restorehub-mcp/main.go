// Command restorehub-mcp is a Model Context Protocol server that hands a
// Restore Hub API key to an AI agent safely: the agent sees only the tools
// the key's scopes allow, and nothing destructive runs without the human's
// confirmation in the MCP client.
//
// It reads the key from RESTOREHUB_API_KEY and, when set, the API's base URL
// from RESTOREHUB_BASE_URL (https, or http on a loopback host), and serves
// MCP on standard input and output, or with -http on streamable HTTP at
// http://ADDR/mcp (loopback addresses only, unless a bearer token is set).
//
// Usage:
//
//	restorehub-mcp -scopes servers:read,backups:read [flags]
//
// The flags are:
//
//	-scopes LIST
//		the key's scopes, comma-separated ("servers:read,backups:restore");
//		required unless -fake. Only the operations they allow are listed.
//	-read-only
//		list only read-only tools. It wins over -allow-destructive.
//	-allow-destructive
//		list destructive tools (restores, member pulls, deletes, …). Each
//		call then asks the human in the MCP client, showing the summary of
//		what will change and the exact arguments; a decline, a cancel or a
//		client that cannot ask sends nothing. Without this flag destructive
//		tools are not listed at all.
//	-toolsets LIST
//		list only the tools of these resources ("backups,members").
//	-documented-only
//		hide operations inferred from scope names rather than documented.
//	-discovery
//		list three tools (search_operations, describe_operation,
//		call_operation) instead of one per operation; the other flags
//		decide what they can reach.
//	-max-destructive N/DURATION
//		send at most N destructive calls per DURATION, such as 1/1h.
//	-http ADDR
//		serve streamable HTTP at http://ADDR/mcp (such as 127.0.0.1:8765)
//		instead of standard input and output: protocol 2026-07-28 without
//		sessions, older versions (2025-11-25, …) with sessions. Without a
//		bearer token only loopback addresses are allowed.
//	-http-token-file FILE
//		with -http, every request must carry "Authorization: Bearer TOKEN",
//		TOKEN being the first line of FILE (else RESTOREHUB_MCP_TOKEN, when
//		set); at least 16 characters, compared in constant time. Required
//		for an address beyond loopback.
//	-audit
//		write one JSON audit record per tool call to standard error
//		(default true); never the key or the arguments.
//	-version
//		print the version and exit: the agent module's version the binary
//		was built at (go install …/restorehub-mcp@v0.5.0 reports 0.5.0), or
//		"devel" for a build from a checkout. The server reports the same
//		version to clients (serverInfo), and the API client its core's
//		version in the User-Agent.
//	-fake
//		serve against an in-process fake of Restore Hub with demo data, for
//		trying the server without a key. It refuses to start when
//		RESTOREHUB_API_KEY or RESTOREHUB_BASE_URL is set.
//
// With -allow-destructive, the toolkit's own confirmer (agent.WithConfirm)
// approves every call: the human's confirmation happens in the MCP layer,
// which must approve too, so each destructive call is still confirmed by a
// person, once, for its exact arguments.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/agent/mcpserver"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// fakeKey is the key of the in-process fake; it is not a real key.
const fakeKey = "rh_restorehubMcpDemoKey000000000000000"

// errUsage marks errors in the command line, which exit with status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "restorehub-mcp:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// options are the parsed command line.
type options struct {
	scopes           []restorehub.Scope
	readOnly         bool
	allowDestructive bool
	toolsets         []string
	documentedOnly   bool
	discovery        bool
	httpAddr         string
	tokenFile        string
	audit            bool
	fake             bool
	version          bool
	limitN           int           // destructive calls allowed per limitPer; 0 for no cap
	limitPer         time.Duration // the period of limitN
}

// parseArgs parses the command line.
func parseArgs(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("restorehub-mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scopes := fs.String("scopes", "", "the key's scopes, comma-separated, such as servers:read,backups:read")
	limit := fs.String("max-destructive", "", "cap destructive calls, as N/DURATION such as 1/1h (one per hour)")
	toolsets := fs.String("toolsets", "", "list only the tools of these resources, comma-separated, such as backups,members")
	fs.BoolVar(&o.readOnly, "read-only", false, "list only read-only tools (wins over -allow-destructive)")
	fs.BoolVar(&o.allowDestructive, "allow-destructive", false, "list destructive tools; each call asks the human in the MCP client")
	fs.BoolVar(&o.documentedOnly, "documented-only", false, "hide operations inferred from scope names")
	fs.BoolVar(&o.discovery, "discovery", false, "list three tools (search, describe, call) instead of one per operation")
	fs.StringVar(&o.httpAddr, "http", "", "serve streamable HTTP on this address, such as 127.0.0.1:8765, instead of stdio (beyond loopback only with a bearer token)")
	fs.StringVar(&o.tokenFile, "http-token-file", "", "with -http, require this file's bearer token (else "+envToken+", when set)")
	fs.BoolVar(&o.audit, "audit", true, "write a JSON audit record per tool call to stderr")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.fake, "fake", false, "serve against an in-process fake with demo data (refused when RESTOREHUB_API_KEY is set)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected argument %q; flags only", errUsage, fs.Arg(0))
	}
	for _, s := range splitList(*scopes) {
		sc, err := restorehub.ParseScope(s)
		if err != nil {
			return o, fmt.Errorf("%w: -scopes: %v", errUsage, err)
		}
		o.scopes = append(o.scopes, sc)
	}
	o.toolsets = splitList(*toolsets)
	if *limit != "" {
		n, per, err := parseLimit(*limit)
		if err != nil {
			return o, fmt.Errorf("%w: -max-destructive: %v", errUsage, err)
		}
		o.limitN, o.limitPer = n, per
	}
	if o.tokenFile != "" && o.httpAddr == "" {
		return o, fmt.Errorf("%w: -http-token-file needs -http", errUsage)
	}
	return o, nil
}

// parseLimit parses N/DURATION, such as 1/1h: at most N per DURATION.
func parseLimit(s string) (int, time.Duration, error) {
	ns, ds, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, fmt.Errorf("%q is not N/DURATION, such as 1/1h", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if err != nil || n < 1 {
		return 0, 0, fmt.Errorf("%q: N must be a positive whole number", s)
	}
	per, err := time.ParseDuration(strings.TrimSpace(ds))
	if err != nil || per <= 0 {
		return 0, 0, fmt.Errorf("%q: DURATION must be positive, such as 30m or 1h", s)
	}
	return n, per, nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// envToken is the environment variable holding the bearer token -http
// requires, when -http-token-file is not given.
const envToken = "RESTOREHUB_MCP_TOKEN"

// httpToken is the bearer token HTTP clients must send: the first line of
// -http-token-file, else $RESTOREHUB_MCP_TOKEN, else "" (no authentication,
// which checkLoopback allows on loopback addresses only).
func httpToken(o options, getenv func(string) string) (string, error) {
	if o.tokenFile == "" {
		return strings.TrimSpace(getenv(envToken)), nil
	}
	b, err := os.ReadFile(o.tokenFile)
	if err != nil {
		return "", fmt.Errorf("%w: -http-token-file: %v", errUsage, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return "", fmt.Errorf("%w: -http-token-file %s is empty", errUsage, o.tokenFile)
	}
	return line, nil
}

// checkLoopback refuses an address that is not on a loopback host when
// the server runs without authentication: it holds the key's powers.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("address %q is not on a loopback host, and no bearer token is set: set %s (or -http-token-file) to a long random token that clients must send, or listen on 127.0.0.1 or [::1]", addr, envToken)
}

// run is the command, with its environment passed in.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	o, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	if o.version {
		_, err := fmt.Fprintf(stdout, "restorehub-mcp %s (restorehub-go %s)\n", binaryVersion(), restorehub.Version)
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	var hopts mcpserver.HTTPOptions
	if o.httpAddr != "" {
		token, err := httpToken(o, getenv)
		if err != nil {
			return err
		}
		if token == "" {
			if err := checkLoopback(o.httpAddr); err != nil {
				return fmt.Errorf("%w: -http: %v", errUsage, err)
			}
		} else {
			v, err := mcpserver.StaticTokens(map[string]string{"bearer": token})
			if err != nil {
				return fmt.Errorf("%w: the bearer token: %v", errUsage, err)
			}
			hopts.Verifier = v
		}
	}
	key, base := getenv(restorehub.EnvAPIKey), getenv(restorehub.EnvBaseURL)
	scopes := o.scopes
	if o.fake {
		if key != "" || base != "" {
			return fmt.Errorf("%w: -fake serves an in-process fake, but %s or %s is set; unset them for the demo "+
				"(the fake is never used with a real key)", errUsage, restorehub.EnvAPIKey, restorehub.EnvBaseURL)
		}
		if len(scopes) == 0 {
			scopes = restorehub.AllScopes()
		}
		fake := restorehubtest.NewServer(restorehubtest.WithKey(fakeKey, scopes...), restorehubtest.WithDemoData())
		defer fake.Close()
		key, base = fakeKey, fake.URL()
		logger.Info("serving against the in-process fake with demo data; nothing reaches Restore Hub")
	} else if key == "" {
		return fmt.Errorf("%s is not set: set it to the Restore Hub API key the agent may use (or pass -fake for an offline demo)", restorehub.EnvAPIKey)
	}
	if len(scopes) == 0 {
		return fmt.Errorf("%w: -scopes is required: list the key's scopes (as shown at /dashboard/api-keys), "+
			"so that only the tools they allow are listed", errUsage)
	}

	copts := []restorehub.Option{restorehub.WithAgent("restorehub-mcp"), restorehub.WithScopes(scopes...)}
	if base != "" {
		copts = append(copts, restorehub.WithBaseURL(base))
	}
	client, err := restorehub.New(key, copts...)
	if err != nil {
		return err
	}

	tkOpts := []agent.Option{agent.WithScopes(scopes...)}
	switch {
	case o.readOnly:
		if o.allowDestructive {
			logger.Warn("-read-only wins over -allow-destructive: destructive tools are not listed")
		}
		tkOpts = append(tkOpts, agent.ReadOnly())
	case o.allowDestructive:
		// The human confirms in the MCP layer (mcpserver adds that question
		// to every call); the toolkit's own confirmer has nothing more to ask.
		tkOpts = append(tkOpts, agent.WithConfirm(approveInMCP))
	}
	if len(o.toolsets) > 0 {
		tkOpts = append(tkOpts, agent.WithToolsets(o.toolsets...))
	}
	if o.documentedOnly {
		tkOpts = append(tkOpts, agent.DocumentedOnly())
	}
	if o.discovery {
		tkOpts = append(tkOpts, agent.WithDiscovery())
	}
	if o.limitN > 0 {
		tkOpts = append(tkOpts, agent.WithDestructiveLimit(o.limitN, o.limitPer))
	}
	if o.audit {
		tkOpts = append(tkOpts, agent.WithAudit(slog.New(slog.NewJSONHandler(stderr, nil))))
	}
	tk, err := agent.New(client, tkOpts...)
	if err != nil {
		return err
	}
	srv := mcpserver.New(tk,
		mcpserver.WithImplementation(mcp.Implementation{Name: "restorehub-mcp", Title: "Restore Hub", Version: binaryVersion()}),
		mcpserver.WithLogger(logger),
	)
	if o.httpAddr != "" {
		return serveHTTP(ctx, srv, o.httpAddr, &hopts, logger)
	}
	err = srv.Run(ctx, &mcp.IOTransport{Reader: io.NopCloser(stdin), Writer: nopWriteCloser{stdout}})
	if ctx.Err() != nil {
		return nil // interrupted: a normal stop
	}
	return err
}

// binaryVersion is this binary's version: its main module's version from
// the build information, without the "v", or "devel" for a build from a
// checkout.
func binaryVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "devel"
	}
	return strings.TrimPrefix(info.Main.Version, "v")
}

// approveInMCP is the toolkit's confirmer under -allow-destructive: it
// approves, because the MCP layer asks the human for the same call and
// both must approve.
func approveInMCP(context.Context, agent.Confirmation) error { return nil }

// serveHTTP serves srv on streamable HTTP at http://addr/mcp until ctx ends:
// protocol 2026-07-28 statelessly and older versions with sessions
// (mcpserver.HTTPHandler), behind the bearer token when one is set.
func serveHTTP(ctx context.Context, srv *mcp.Server, addr string, hopts *mcpserver.HTTPOptions, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", mcpserver.HTTPHandler(srv, hopts))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("serving MCP on streamable HTTP", "url", "http://"+ln.Addr().String()+"/mcp", "authenticated", hopts.Verifier != nil)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		return nil
	}
}

// nopWriteCloser is a writer whose Close does nothing: the server must not
// close the process's standard output.
type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
