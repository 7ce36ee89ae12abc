package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// Without a terminal (and with -yes) the example shows a refusal that sends
// nothing, then a confirmed restore.
func TestScripted(t *testing.T) {
	for _, args := range [][]string{nil, {"-yes"}} {
		t.Run(strings.Join(append([]string{"args"}, args...), " "), func(t *testing.T) {
			t.Setenv(restorehub.EnvAPIKey, "")
			var out bytes.Buffer
			if err := run(t.Context(), args, strings.NewReader(""), &out); err != nil {
				t.Fatalf("run: %v\n%s", err, &out)
			}
			for _, want := range []string{
				"Type the backup ID (backup_0002) to confirm: no\n",
				"Refused. errors.Is(err, restorehub.ErrGuardRefused): true",
				"requests sent: 0\n",
				"restores the fake received: 0\n",
				"Type the backup ID (backup_0002) to confirm: backup_0002\n",
				"Confirmed and sent: job",
				"(backups.restore)",
			} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, &out)
				}
			}
		})
	}
}

func TestPromptGuard(t *testing.T) {
	op := restorehub.Operation{
		ID: "backups.restore", Method: "POST", Path: "/backups/bk%2F1/restore",
		Scope: restorehub.ScopeBackupsRestore, Tier: restorehub.TierDestructive,
	}
	for _, tc := range []struct {
		input string
		ok    bool
	}{
		{"bk/1\n", true},
		{"  bk/1  \n", true},
		{"bk/1", true}, // the last line may lack its newline
		{"bk/2\n", false},
		{"\n", false},
		{"", false}, // end of input refuses rather than waits
	} {
		var out bytes.Buffer
		err := confirmGuard(&out, newPrompt(strings.NewReader(tc.input)).answer)(t.Context(), op)
		if (err == nil) != tc.ok {
			t.Errorf("input %q: err = %v, want ok %t", tc.input, err, tc.ok)
		}
		if !strings.Contains(out.String(), "Type the backup ID (bk/1) to confirm: ") {
			t.Errorf("input %q: prompt is %q", tc.input, &out)
		}
	}
}

// A prompt nobody answers gives up when the context ends.
func TestPromptGuardContext(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	op := restorehub.Operation{Method: "DELETE", Path: "/servers/s1", Scope: restorehub.ScopeServersDelete}
	err := confirmGuard(io.Discard, newPrompt(r).answer)(ctx, op)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

// remote starts a fake standing in for the real API, and points
// RESTOREHUB_API_KEY and RESTOREHUB_BASE_URL at it.
func remote(t *testing.T) *restorehubtest.Server {
	t.Helper()
	srv := restorehubtest.NewServer(restorehubtest.WithKey(fakeKey, restorehub.ScopeAll), restorehubtest.WithDemoData())
	t.Cleanup(srv.Close)
	t.Setenv(restorehub.EnvAPIKey, fakeKey)
	t.Setenv(restorehub.EnvBaseURL, srv.URL())
	return srv
}

// Against the real API nothing is restored unless -backup and -target name
// it and -yes (or a terminal) confirms it.
func TestLiveNeedsExplicitConsent(t *testing.T) {
	t.Run("no flags", func(t *testing.T) {
		srv := remote(t)
		err := run(t.Context(), nil, strings.NewReader(""), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-backup and -target") {
			t.Errorf("run = %v, want an error asking for -backup and -target", err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests reached the server, want 0", n)
		}
	})
	t.Run("no terminal, no -yes", func(t *testing.T) {
		srv := remote(t)
		id := srv.Entities("/backups")[0]["id"].(string)
		var out bytes.Buffer
		if err := run(t.Context(), []string{"-backup", id, "-target", "server_0001"}, strings.NewReader(id+"\n"), &out); err != nil {
			t.Fatalf("run: %v\n%s", err, &out)
		}
		if n := srv.Count("backups.restore"); n != 0 {
			t.Errorf("%d restores reached the server without -yes, want 0\n%s", n, &out)
		}
	})
	t.Run("-yes", func(t *testing.T) {
		srv := remote(t)
		id := srv.Entities("/backups")[0]["id"].(string)
		var out bytes.Buffer
		if err := run(t.Context(), []string{"-yes", "-backup", id, "-target", "server_0001"}, strings.NewReader(""), &out); err != nil {
			t.Fatalf("run: %v\n%s", err, &out)
		}
		if n := srv.Count("backups.restore"); n != 1 {
			t.Errorf("%d restores reached the server with -yes, want 1\n%s", n, &out)
		}
	})
}
