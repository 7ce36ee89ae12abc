// Narrow-key shows what an AI agent holding a read-only key sees when it
// tries something destructive, and how to stop it before it even asks.
//
//	go run ./examples/narrow-key
//
// The agent's key holds servers:read and backups:read. It finds a backup and
// asks for a restore, which needs backups:restore: Restore Hub answers 403,
// and the SDK turns that into a *restorehub.MissingScopeError naming the
// scope that is missing, the scopes the key has, and what to do about it.
// Then the same restore goes through a client built with
// restorehub.WithScopes, which knows the key's scopes and refuses the
// request locally: nothing reaches the server, as the request counts show.
//
// With RESTOREHUB_API_KEY unset it runs against the SDK's in-process fake.
// With it set, use a key without backups:restore: the example then asks to
// restore a backup ID that cannot exist, so even a key that does hold the
// scope restores nothing (the example then fails, saying the key is not
// narrow).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// agentScopes are the scopes of the agent's key: it may look, not touch.
var agentScopes = []restorehub.Scope{restorehub.ScopeServersRead, restorehub.ScopeBackupsRead}

// fakeKey is the key the in-process fake accepts, holding agentScopes.
const fakeKey = "rh_NarrowKeyExampleFakeKeyRestoreHub01"

// probeBackupID is what the example restores against the real API: an ID no
// backup has, so that nothing can be overwritten whatever the key holds.
const probeBackupID = "restorehub-go-example-no-such-backup"

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "narrow-key:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	// Count the requests that leave the process, below the SDK, to show
	// that a local refusal sends nothing.
	var sent atomic.Int64
	opts := []restorehub.Option{
		restorehub.WithHTTPClient(&http.Client{Transport: countingTransport{&sent, http.DefaultTransport}}),
		restorehub.WithAgent("narrow-key-example"),
	}

	// Two clients of the same key: the real API when RESTOREHUB_API_KEY is
	// set, else restorehubtest's fake with demo data. The second also knows
	// the key's scopes (WithScopes), so it can refuse without asking.
	var client, guarded *restorehub.Client
	var fake *restorehubtest.Server
	var err, err2 error
	if os.Getenv(restorehub.EnvAPIKey) != "" {
		client, err = restorehub.NewFromEnv(opts...)
		guarded, err2 = restorehub.NewFromEnv(append(opts, restorehub.WithScopes(agentScopes...))...)
		fmt.Fprintln(out, "Talking to the Restore Hub API at", client.BaseURL())
	} else {
		fake = restorehubtest.NewServer(restorehubtest.WithKey(fakeKey, agentScopes...), restorehubtest.WithDemoData())
		defer fake.Close()
		opts = append(opts, restorehub.WithBaseURL(fake.URL()))
		client, err = restorehub.New(fakeKey, opts...)
		guarded, err2 = restorehub.New(fakeKey, append(opts, restorehub.WithScopes(agentScopes...))...)
		fmt.Fprintln(out, "Talking to the in-process fake at", fake.URL(), "(set", restorehub.EnvAPIKey, "to use the real API)")
		fmt.Fprintln(out, "The agent's key holds:", join(agentScopes))
	}
	if err = errors.Join(err, err2); err != nil {
		return err
	}
	live := fake == nil

	// The backup to restore: on the fake the first one listed, against the
	// real API an ID that cannot exist.
	backupID, target := probeBackupID, "0"
	if live {
		fmt.Fprintf(out, "Against the real API the example restores %q, which no backup has, so nothing can be overwritten.\n", probeBackupID)
	} else {
		page, err := client.Backups.List(ctx, &resources.BackupsListParams{Limit: resources.Ptr(1)})
		if err != nil {
			return err
		}
		if len(page.Data) == 0 {
			return errors.New("the fake has no backups")
		}
		b := page.Data[0]
		backupID, target = b.ID, b.ServerID
		fmt.Fprintf(out, "The agent lists backups and finds %s (%s) of server %s.\n", b.ID, deref(b.Name), b.ServerID)
	}
	restore := &resources.BackupRestore{TargetServerID: target}

	// 1. The agent just tries. Restore Hub refuses with 403 and the scope it lacks.
	fmt.Fprintf(out, "\n1. The agent asks Restore Hub to restore %s into %s.\n", backupID, target)
	_, err = client.Backups.Restore(ctx, backupID, restore)
	var missing *restorehub.MissingScopeError
	switch {
	case errors.As(err, &missing):
		fmt.Fprintf(out, "   Refused by the server: HTTP %d %q\n", missing.StatusCode, missing.Message)
		fmt.Fprintln(out, "   RequiredScope:", missing.RequiredScope)
		fmt.Fprintln(out, "   YourScopes:   ", join(missing.YourScopes))
		fmt.Fprintln(out, "   errors.Is(err, restorehub.ErrForbidden):", errors.Is(err, restorehub.ErrForbidden))
		fmt.Fprintln(out, "   error:", err)
		fmt.Fprintln(out, "   A 403 does not go away on retry: the agent stops and reports the missing scope.")
	case err == nil:
		return fmt.Errorf("the restore of %s was accepted: this key holds backups:restore, so it is not a narrow key", backupID)
	case live && errors.Is(err, restorehub.ErrNotFound):
		return fmt.Errorf("the server looked for backup %s instead of refusing, so this key holds backups:restore (nothing was restored: no such backup); run the example with a read-only key: %w", backupID, err)
	default:
		return fmt.Errorf("expected a *restorehub.MissingScopeError, got: %w", err)
	}

	// 2. A client that knows the key's scopes refuses the same call without sending it.
	fmt.Fprintf(out, "\n2. The same restore through a client built with restorehub.WithScopes(%s):\n", join(agentScopes))
	sentBefore, seenBefore := sent.Load(), fakeRequests(fake)
	_, err = guarded.Backups.Restore(ctx, backupID, restore)
	sentNow, seen := sent.Load()-sentBefore, fakeRequests(fake)-seenBefore
	if !errors.As(err, &missing) || !missing.Local {
		return fmt.Errorf("expected a local *restorehub.MissingScopeError, got: %v", err)
	}
	fmt.Fprintf(out, "   Refused before sending: Local %t, RequiredScope %s\n", missing.Local, missing.RequiredScope)
	fmt.Fprintln(out, "   error:", err)
	fmt.Fprintf(out, "   requests sent by the client: %d\n", sentNow)
	if fake != nil {
		fmt.Fprintf(out, "   requests the fake received:  %d\n", seen)
	}
	if sentNow != 0 || seen != 0 {
		return fmt.Errorf("the preflight let %d request(s) out", max(sentNow, int64(seen)))
	}

	// Reads the key allows still go through the same client.
	page, err := guarded.Servers.List(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   a read it allows still works: servers.list returned %d servers\n", len(page.Data))

	need, err := restorehub.RequiredScopes("backups.list", "backups.restore")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nTo let the agent list and restore backups, mint a key with: %s\n", join(need))
	return nil
}

// fakeRequests returns how many requests the fake has received, or 0
// against the real API.
func fakeRequests(fake *restorehubtest.Server) int {
	if fake == nil {
		return 0
	}
	return len(fake.Requests())
}

// countingTransport counts the requests that reach the network.
type countingTransport struct {
	n    *atomic.Int64
	next http.RoundTripper
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(req)
}

func join(scopes []restorehub.Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ", ")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
