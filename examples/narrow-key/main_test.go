package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestNarrowKey(t *testing.T) {
	t.Setenv(restorehub.EnvAPIKey, "")
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	for _, want := range []string{
		// The server's refusal, as a *MissingScopeError.
		`Refused by the server: HTTP 403 "Missing required scope: backups:restore"`,
		"RequiredScope: backups:restore",
		"YourScopes:    servers:read, backups:read",
		"errors.Is(err, restorehub.ErrForbidden): true",
		"mint a key with scope backups:restore",
		// The local refusal, with nothing sent.
		"Refused before sending: Local true, RequiredScope backups:restore",
		"requests sent by the client: 0\n",
		"requests the fake received:  0\n",
		"servers.list returned 3 servers",
		"mint a key with: backups:read, backups:restore",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}

// remote starts a fake standing in for the real API, and points
// RESTOREHUB_API_KEY and RESTOREHUB_BASE_URL at it.
func remote(t *testing.T, scopes ...restorehub.Scope) *restorehubtest.Server {
	t.Helper()
	srv := restorehubtest.NewServer(restorehubtest.WithKey(fakeKey, scopes...), restorehubtest.WithDemoData())
	t.Cleanup(srv.Close)
	t.Setenv(restorehub.EnvAPIKey, fakeKey)
	t.Setenv(restorehub.EnvBaseURL, srv.URL())
	return srv
}

func TestNarrowKeyLiveReadOnlyKey(t *testing.T) {
	srv := remote(t, restorehub.ScopeServersRead, restorehub.ScopeBackupsRead)
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	if !strings.Contains(out.String(), "RequiredScope: backups:restore") {
		t.Errorf("output lacks the missing scope:\n%s", &out)
	}
	if n := srv.Count("backups.list"); n != 0 {
		t.Errorf("live mode listed backups %d times; it must use the probe ID", n)
	}
}

// A key that does hold backups:restore must restore nothing: the example
// asks for a backup that cannot exist, and fails saying the key is not narrow.
func TestNarrowKeyLiveBroadKeyRestoresNothing(t *testing.T) {
	srv := remote(t, restorehub.ScopeAll)
	var out bytes.Buffer
	err := run(t.Context(), &out)
	if err == nil || !strings.Contains(err.Error(), "holds backups:restore") {
		t.Fatalf("run = %v, want an error saying the key is not narrow\n%s", err, &out)
	}
	if n := srv.Count("backups.restore"); n != 1 {
		t.Errorf("%d restores reached the server, want the one probe", n)
	}
	for _, r := range srv.Requests() {
		if r.OperationID == "backups.restore" && r.Status != http.StatusNotFound {
			t.Errorf("restore %s answered %d, want 404", r.Path, r.Status)
		}
		if r.OperationID == "backups.restore" && !strings.Contains(r.Path, probeBackupID) {
			t.Errorf("live mode restored %s, not the probe ID", r.Path)
		}
	}
}
