package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
)

const testKey = "rh_0123456789abcdefghijABCDEFGHIJklmn"

// baseSpec returns the spec the SDK was generated from, decoded, for a test
// to plant differences in.
func baseSpec(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../internal/gen/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func paths(doc map[string]any) map[string]any { return doc["paths"].(map[string]any) }

func op(doc map[string]any, path, method string) map[string]any {
	return paths(doc)[path].(map[string]any)[method].(map[string]any)
}

func writeSpec(t *testing.T, doc map[string]any) string {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// plantAll plants one difference of every kind.
func plantAll(doc map[string]any) {
	ps := paths(doc)
	// A moved path: POST /backups/{backupId}/restore is now .../restores.
	ps["/backups/{backupId}/restores"] = ps["/backups/{backupId}/restore"]
	delete(ps, "/backups/{backupId}/restore")
	// A renamed path parameter, same shape: no drift.
	ps["/servers/{id}"] = ps["/servers/{serverId}"]
	delete(ps, "/servers/{serverId}")
	// A changed scope, tier and pagination.
	op(doc, "/servers", "get")["x-required-scope"] = "servers:list"
	op(doc, "/members/mass-verify", "post")["x-scope-tier"] = "destructive"
	op(doc, "/ads", "get")["x-pagination"] = "page"
	// A missing operation.
	delete(ps["/teams/{teamId}"].(map[string]any), "get")
	// An extra live operation.
	ps["/webhooks"] = map[string]any{"get": map[string]any{
		"operationId": "listWebhooks",
		"security":    []any{map[string]any{"oauth2": []any{"webhooks:read"}}},
		"responses":   map[string]any{"200": map[string]any{"description": "ok"}},
	}}
}

func TestRunOffline(t *testing.T) {
	clean := writeSpec(t, baseSpec(t))
	drifted := baseSpec(t)
	plantAll(drifted)
	driftFile := writeSpec(t, drifted)
	n := len(resources.Operations())

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string // each must appear in stdout
		notOut   []string // none may appear in stdout
		wantErr  string   // must appear in stderr
	}{
		{
			name: "no drift", args: []string{"-spec", clean}, wantCode: 0,
			wantOut: []string{fmt.Sprintf("No drift: the SDK's %d operations match the spec's %[1]d", n)},
			notOut:  []string{"DRIFT"},
		},
		{
			name: "planted drift as a table", args: []string{"-spec", driftFile}, wantCode: 1,
			wantOut: []string{
				"DRIFT    OPERATION",
				"missing  backups.restore     POST    /backups/{backupId}/restore",
				"missing  teams.get ",
				"changed  ads.list            GET     /ads",
				"pagination cursor -> page",
				"changed  members.massVerify  POST    /members/mass-verify",
				"tier write -> destructive",
				"scope servers:read -> servers:list",
				"extra    restoreBackup       POST    /backups/{backupId}/restores  not in the SDK; scope backups:restore (destructive)",
				"extra    listWebhooks        GET     /webhooks",
				fmt.Sprintf("Drift: 2 missing, 3 changed, 2 extra; the SDK has %d operations, the spec %d", n, n),
			},
			notOut: []string{"servers.get", "/servers/{id}"},
		},
		{
			name: "planted drift as JSON", args: []string{"-json", "-spec", driftFile}, wantCode: 1,
			wantOut: []string{`"missing": [`, `"id": "backups.restore"`, `"name": "tier"`, `"live": "destructive"`, `"path": "/webhooks"`},
		},
		{name: "missing file", args: []string{"-spec", filepath.Join(t.TempDir(), "nope.json")}, wantCode: 2, wantErr: "no such file"},
		{name: "bad flag", args: []string{"-nope"}, wantCode: 2, wantErr: "flag provided but not defined"},
		{name: "stray argument", args: []string{"-spec", clean, "extra"}, wantCode: 2, wantErr: `unexpected argument "extra"`},
		{name: "help", args: []string{"-h"}, wantCode: 0, wantErr: "usage: restorehub-drift"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			for _, w := range tt.notOut {
				if strings.Contains(stdout.String(), w) {
					t.Errorf("stdout has %q:\n%s", w, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr lacks %q: %s", tt.wantErr, stderr.String())
			}
		})
	}
}

func TestRunJSONRoundTrips(t *testing.T) {
	drifted := baseSpec(t)
	plantAll(drifted)
	b, _ := json.Marshal(drifted)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-json", "-spec", "-"}, bytes.NewReader(b), &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	var r restorehub.DriftReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Missing) != 2 || len(r.Changed) != 3 || len(r.Extra) != 2 {
		t.Errorf("report: %d missing, %d changed, %d extra; want 2, 3, 2", len(r.Missing), len(r.Changed), len(r.Extra))
	}
}

func TestRunLive(t *testing.T) {
	drifted := baseSpec(t)
	op(drifted, "/ads", "get")["x-pagination"] = "page"
	body, _ := json.Marshal(drifted)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/openapi.json" || r.Header.Get("Authorization") != "Bearer "+testKey {
			http.Error(w, `{"error":"unexpected"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	t.Run("drift", func(t *testing.T) {
		t.Setenv(restorehub.EnvAPIKey, testKey)
		t.Setenv(restorehub.EnvBaseURL, srv.URL)
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), nil, strings.NewReader(""), &stdout, &stderr); code != 1 {
			t.Fatalf("exit %d, stderr %s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "pagination cursor -> page") {
			t.Errorf("stdout:\n%s", stdout.String())
		}
	})
	t.Run("no key", func(t *testing.T) {
		t.Setenv(restorehub.EnvAPIKey, "")
		t.Setenv(restorehub.EnvBaseURL, srv.URL)
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), nil, strings.NewReader(""), &stdout, &stderr); code != 2 {
			t.Fatalf("exit %d, want 2", code)
		}
		if !strings.Contains(stderr.String(), "RESTOREHUB_API_KEY") || !strings.Contains(stderr.String(), "-spec FILE") {
			t.Errorf("stderr: %s", stderr.String())
		}
	})
	t.Run("server error does not leak the key", func(t *testing.T) {
		bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":"nope"}`, http.StatusForbidden)
		}))
		defer bad.Close()
		t.Setenv(restorehub.EnvAPIKey, testKey)
		t.Setenv(restorehub.EnvBaseURL, bad.URL)
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), nil, strings.NewReader(""), &stdout, &stderr); code != 2 {
			t.Fatalf("exit %d, want 2", code)
		}
		if strings.Contains(stderr.String()+stdout.String(), testKey[3:]) {
			t.Errorf("output leaks the key: %s", stderr.String())
		}
	})
}

// TestTableEscapesSpecText: control characters from the spec (an ANSI
// escape, a newline, a tab) reach the terminal escaped, never raw; and a
// spec without scopes says so in one line instead of one per operation.
func TestTableEscapesSpecText(t *testing.T) {
	doc := baseSpec(t)
	paths(doc)["/evil\x1b[2J{id}"] = map[string]any{"get": map[string]any{
		"operationId": "evil\nid", "summary": "x", "security": []any{map[string]any{"bearer": []any{"servers:read\t\x07"}}},
	}}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-spec", writeSpec(t, doc)}, strings.NewReader(""), &stdout, &stderr)
	out := stdout.String()
	if code != exitDrift {
		t.Fatalf("exit %d: %s %s", code, out, stderr.String())
	}
	for _, raw := range []string{"\x1b", "\x07", "evil\nid", "read\t"} {
		if strings.Contains(out, raw) {
			t.Errorf("raw %q in the table:\n%s", raw, out)
		}
	}
	for _, want := range []string{`/evil\x1b[2J{id}`, `evil\nid`, `servers:read\t\a`} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks the escaped %q:\n%s", want, out)
		}
	}

	noScopes := baseSpec(t)
	delete(noScopes, "security")
	for _, item := range paths(noScopes) {
		for _, o := range item.(map[string]any) {
			if o, ok := o.(map[string]any); ok {
				delete(o, "security")
				delete(o, "x-required-scope")
			}
		}
	}
	stdout.Reset()
	code = run(context.Background(), []string{"-spec", writeSpec(t, noScopes)}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK || strings.Count(stdout.String(), "no scopes") != 1 || strings.Contains(stdout.String(), "changed") {
		t.Fatalf("exit %d:\n%s", code, stdout.String())
	}
}

func TestVersionFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-version"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got, want := stdout.String(), "restorehub-drift "+restorehub.Version+"\n"; got != want {
		t.Errorf("-version printed %q, want %q", got, want)
	}
}
