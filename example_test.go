package restorehub_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// exampleKey is a key the in-process fake accepts; a real one comes from
// /dashboard/api-keys and usually from the RESTOREHUB_API_KEY variable.
const exampleKey = "rh_ExampleKey0000000000000000000000000"

func ExampleNew() {
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(exampleKey, restorehub.ScopeServersRead),
		restorehubtest.WithDemoData(),
	)
	defer fake.Close()

	client, err := restorehub.New(exampleKey,
		restorehub.WithBaseURL(fake.BaseURL()), // omit for the real API
		restorehub.WithAgent("backup-auditor"),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for server, err := range client.Servers.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(server.Name)
	}
	// Output:
	// Pixel Lounge
	// Night Owls Study Hall
	// Retro Racing League
}

// A key without the scope an operation needs gets a 403 that names the
// scope; errors.As gives it as a *MissingScopeError.
func ExampleMissingScopeError() {
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(exampleKey, restorehub.ScopeServersRead, restorehub.ScopeBackupsRead),
		restorehubtest.WithDemoData(),
	)
	defer fake.Close()
	client, _ := restorehub.New(exampleKey, restorehub.WithBaseURL(fake.BaseURL()))

	_, err := client.Backups.Restore(context.Background(), "backup_0002", &resources.BackupRestore{})
	var missing *restorehub.MissingScopeError
	if errors.As(err, &missing) {
		fmt.Println("needs:", missing.RequiredScope, "-", missing.RequiredScope.Tier())
		fmt.Println("has:", missing.YourScopes)
		fmt.Println("forbidden:", errors.Is(err, restorehub.ErrForbidden))
	}
	// Output:
	// needs: backups:restore - destructive
	// has: [servers:read backups:read]
	// forbidden: true
}

// WithScopes declares what the key holds, so a call it cannot make fails
// before anything is sent.
func ExampleWithScopes() {
	client, _ := restorehub.New(exampleKey, restorehub.WithScopes(restorehub.ScopesByTier(restorehub.TierRead)...))
	err := client.Servers.Delete(context.Background(), "server_0001")
	var missing *restorehub.MissingScopeError
	if errors.As(err, &missing) && missing.Local {
		fmt.Println("refused locally; needs", missing.RequiredScope)
	}
	// Output:
	// refused locally; needs servers:delete
}

// RateLimit reports what the last response said about the key's budget.
func ExampleClient_RateLimit() {
	fake := restorehubtest.NewServer(restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead))
	defer fake.Close()
	client, _ := restorehub.New(exampleKey, restorehub.WithBaseURL(fake.BaseURL()))

	if _, err := client.Account.Get(context.Background()); err != nil {
		log.Fatal(err)
	}
	rl := client.RateLimit()
	fmt.Printf("%d of %d left in a %s window\n", rl.Remaining, rl.Limit, rl.Window)
	// Output:
	// 99 of 100 left in a 10s window
}

func ExampleRequiredScopes() {
	scopes, err := restorehub.RequiredScopes("servers.list", "backups.get", "backups.restore")
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range scopes {
		fmt.Println(s, s.Tier())
	}
	// Output:
	// backups:read read
	// backups:restore destructive
	// servers:read read
}

// Do is the escape hatch for anything the typed services do not cover.
func ExampleClient_Do() {
	fake := restorehubtest.NewServer(restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead))
	defer fake.Close()
	client, _ := restorehub.New(exampleKey, restorehub.WithBaseURL(fake.BaseURL()))

	var account map[string]any
	resp, err := client.Do(context.Background(), &restorehub.Request{Method: "GET", Path: "/account", Scope: restorehub.ScopeAccountRead}, &account)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, account["username"])
	// Output:
	// 200 restorehub-demo
}
