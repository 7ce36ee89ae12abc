package restorehubtest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestSeedTyped(t *testing.T) {
	clk := restorehubtest.NewManualClock(t0)
	srv := restorehubtest.NewServer(restorehubtest.WithKey(typedKey, "*"), restorehubtest.WithClock(clk.Now))
	defer srv.Close()
	c := typedClient(t, srv)
	ctx := context.Background()
	name := "Pixel Lounge"

	ids, err := srv.Seed(
		resources.Server{ID: "srv_1", Name: name, GuildID: "412290157281476608"},
		&resources.Backup{ServerID: "srv_1", Name: &name, Status: resources.BackupStatusCompleted},
		resources.Account{Username: &name},
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || ids[0] != "srv_1" || ids[1] == "" || ids[2] != "" {
		t.Fatalf("ids %q", ids)
	}
	srvGot, err := c.Servers.Get(ctx, "srv_1")
	if err != nil {
		t.Fatal(err)
	}
	if srvGot.Name != name || !srvGot.CreatedAt.Equal(t0) {
		t.Fatalf("server %+v: a zero createdAt must become the server's time", srvGot)
	}
	b, err := c.Backups.Get(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if b.ServerID != "srv_1" || b.Status != resources.BackupStatusCompleted || *b.Name != name {
		t.Fatalf("backup %+v", b)
	}
	acct, err := c.Account.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Username == nil || *acct.Username != name {
		t.Fatalf("account %+v: Seed of an object type replaces the object", acct)
	}
	// A timestamp that is set is kept.
	at := t0.Add(-time.Hour)
	if _, err := srv.Seed(resources.Server{ID: "srv_2", CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if o, _ := srv.Object("/servers/srv_2"); o["createdAt"] != at.Format(time.RFC3339) {
		t.Fatalf("createdAt %v", o["createdAt"])
	}
}

func TestSeedErrors(t *testing.T) {
	srv, _ := newServer(t) // the test table has no models
	def := restorehubtest.NewServer()
	defer def.Close()
	tests := []struct {
		name     string
		srv      *restorehubtest.Server
		entities []any
		want     string
	}{
		{"map", def, []any{map[string]any{"id": "x"}}, "map[string]interface {} is not a type of package resources; use SeedAt"},
		{"foreign type", def, []any{struct{ ID string }{}}, "is not a type of package resources"},
		{"old-style path", def, []any{"/servers", map[string]any{}}, `a collection path ("/servers") is not a value of a resources type; use SeedAt(path, ...)`},
		{"nil", def, []any{nil}, "<nil> is not a type of package resources"},
		{"not an entity", def, []any{resources.ServerCreate{}}, "no operation of the table returns resources.ServerCreate"},
		{"table without models", srv, []any{resources.Server{}}, "no operation of the table returns resources.Server"},
		{"id taken in the batch", def, []any{resources.Server{ID: "d"}, resources.Server{ID: "d"}}, `entity 1: id "d" is already taken in /servers`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tt.srv.Entities("/servers"))
			ids, err := tt.srv.Seed(tt.entities...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want it to contain %q", err, tt.want)
			}
			if ids != nil || len(tt.srv.Entities("/servers")) != before {
				t.Fatal("a failed Seed stored something")
			}
		})
	}
	// A nested collection needs its parent's path.
	nested := restorehubtest.NewServer(restorehubtest.WithOperations([]resources.OperationSpec{
		{ID: "backups.get", Method: "GET", Path: "/servers/{serverId}/backups/{backupId}", Model: "Backup"},
	}))
	defer nested.Close()
	if _, err := nested.Seed(resources.Backup{}); err == nil || !strings.Contains(err.Error(), "nested collection /servers/{}/backups and lacks the fields that name its parents; use SeedAt") {
		t.Fatalf("nested: %v", err)
	}
	// The field named like the parameter names the parent.
	if ids, err := nested.Seed(resources.Backup{ID: "b0", ServerID: "s9"}); err != nil || ids[0] != "b0" {
		t.Fatalf("nested Seed: %v %v", ids, err)
	}
	if _, ok := nested.Object("/servers/s9/backups/b0"); !ok {
		t.Fatal("the nested entity is not below its parent")
	}
	if ids, err := nested.SeedAt("/servers/s1/backups", resources.Backup{ID: "b1"}); err != nil || ids[0] != "b1" {
		t.Fatalf("SeedAt: %v %v", ids, err)
	}
	if _, err := nested.SeedAt("/servers/s1/backups", resources.Backup{ID: "b1"}); err == nil {
		t.Fatal("SeedAt took an id twice")
	}
	if _, err := nested.SeedAt("/x", []int{1}); err == nil || !strings.Contains(err.Error(), "does not encode as a JSON object") {
		t.Fatalf("SeedAt of a slice: %v", err)
	}
	if err := nested.SetObject("/x", "text"); err == nil {
		t.Fatal("SetObject took a string")
	}
}
