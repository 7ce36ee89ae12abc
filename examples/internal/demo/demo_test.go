package demo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
)

func TestStartFake(t *testing.T) {
	t.Setenv(restorehub.EnvAPIKey, "")
	env, err := Start(Config{Scopes: []restorehub.Scope{restorehub.ScopeServersRead}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if env.Live() || !strings.Contains(env.String(), "in-process fake") {
		t.Fatalf("env = %s, want the fake", env)
	}
	page, err := env.Client.Servers.List(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 3 {
		t.Errorf("%d demo servers, want 3", len(page.Data))
	}
	if _, err := env.Client.Account.Get(t.Context()); err == nil {
		t.Error("account.get succeeded without account:read")
	}
	if got, want := env.Sent(), len(env.Fake.Requests()); got != want || got != 2 {
		t.Errorf("Sent() = %d, the fake saw %d, want 2", got, want)
	}
}

func TestStartLive(t *testing.T) {
	t.Setenv(restorehub.EnvAPIKey, Key)
	t.Setenv(restorehub.EnvBaseURL, "http://127.0.0.1:1/api/v1")
	env, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if !env.Live() || env.Client.BaseURL() != "http://127.0.0.1:1/api/v1" {
		t.Errorf("env = %s, want the API at RESTOREHUB_BASE_URL", env)
	}
}

func TestIsTerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	closed, _ := os.Open(os.DevNull)
	closed.Close()
	for name, v := range map[string]any{
		"null device": null, "pipe": r, "file": file, "closed": closed,
		"nil file": (*os.File)(nil), "reader": strings.NewReader(""),
	} {
		if IsTerminal(v) {
			t.Errorf("IsTerminal(%s) = true", name)
		}
	}
}
