// Quickstart is the first thing to run: it creates a client, lists the
// account's servers one page at a time and then with the auto-pager, reads
// one server, and prints the key's rate-limit state.
//
//	go run ./examples/quickstart
//
// With RESTOREHUB_API_KEY unset it runs against restorehubtest, the SDK's
// in-process fake, seeded with demo servers: no key, no network. Set
// RESTOREHUB_API_KEY to an rh_… key holding servers:read to run it against
// the real API.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// fakeKey is the key the in-process fake accepts. Any rh_ key of the right
// shape works; real keys come from the dashboard.
const fakeKey = "rh_QuickstartFakeKeyForRestoreHubGo01"

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	// The client. With a real key this is all it takes:
	//
	//	client, err := restorehub.NewFromEnv() // reads RESTOREHUB_API_KEY
	//
	// Without one, start restorehubtest's fake, seeded with demo servers, and
	// point the client at it.
	var client *restorehub.Client
	var err error
	if os.Getenv(restorehub.EnvAPIKey) != "" {
		client, err = restorehub.NewFromEnv()
		fmt.Fprintln(out, "Talking to the Restore Hub API")
	} else {
		fake := restorehubtest.NewServer(
			restorehubtest.WithKey(fakeKey, restorehub.ScopeServersRead),
			restorehubtest.WithDemoData(),
		)
		defer fake.Close()
		client, err = restorehub.New(fakeKey, restorehub.WithBaseURL(fake.URL()))
		fmt.Fprintln(out, "Talking to the in-process fake at", fake.URL(), "(set", restorehub.EnvAPIKey, "to use the real API)")
	}
	if err != nil {
		return err
	}

	// One page: List returns at most Limit servers (two here, to show the
	// paging) and the cursor of the next page.
	twoPerPage := &resources.ServersListParams{Limit: resources.Ptr(2)}
	page, err := client.Servers.List(ctx, twoPerPage)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nFirst page: %d servers (more: %t)\n", len(page.Data), page.NextCursor != nil)

	// Every server: All follows the cursors, fetching pages as the loop asks.
	fmt.Fprintln(out, "\nAll servers:")
	var first *resources.Server
	for srv, err := range client.Servers.All(ctx, twoPerPage) {
		if err != nil {
			return err
		}
		if first == nil {
			first = &srv
		}
		fmt.Fprintf(out, "  %-12s %-24s guild %s\n", srv.ID, srv.Name, srv.GuildID)
	}
	if first == nil {
		fmt.Fprintln(out, "  (none yet: add one in the dashboard)")
		return nil
	}

	// One server by ID. WithResponseInto, a per-call option every method
	// takes, fills resp with this call's status, header and rate limit.
	var resp restorehub.Response
	srv, err := client.Servers.Get(ctx, first.ID, restorehub.WithResponseInto(&resp))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s: %q, registered %s", srv.ID, srv.Name, srv.CreatedAt.Format(time.DateOnly))
	if srv.MemberCount != nil {
		fmt.Fprintf(out, ", %d members", *srv.MemberCount)
	}
	fmt.Fprintln(out)

	// The budget that call's response reported. The client paces itself to
	// it, so goroutines sharing this client never trip a 429.
	fmt.Fprintf(out, "That call: HTTP %d\n", resp.StatusCode)
	if rl := resp.RateLimit; rl.Known() {
		fmt.Fprintf(out, "Rate limit: %d of %d requests left in a %s sliding window (resets at %s)\n",
			rl.Remaining, rl.Limit, rl.Window, rl.Reset.Format(time.TimeOnly))
	}
	return nil
}
