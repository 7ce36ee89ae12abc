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
	"github.com/restorehub/restorehub-go/examples/internal/demo"
	"github.com/restorehub/restorehub-go/resources"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	// In your own code, create the client with
	//
	//	client, err := restorehub.NewFromEnv() // the key in RESTOREHUB_API_KEY
	//
	// demo.Start does just that when RESTOREHUB_API_KEY is set; otherwise it
	// starts the in-process fake and calls
	// restorehub.New(demo.Key, restorehub.WithBaseURL(fake.URL())).
	env, err := demo.Start(demo.Config{Scopes: []restorehub.Scope{restorehub.ScopeServersRead}})
	if err != nil {
		return err
	}
	defer env.Close()
	client := env.Client
	fmt.Fprintln(out, "Talking to", env)

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

	// One server by ID.
	srv, err := client.Servers.Get(ctx, first.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s: %q, registered %s", srv.ID, srv.Name, srv.CreatedAt.Format(time.DateOnly))
	if srv.MemberCount != nil {
		fmt.Fprintf(out, ", %d members", *srv.MemberCount)
	}
	fmt.Fprintln(out)

	// The budget the last response reported. The client paces itself to it,
	// so goroutines sharing this client never trip a 429.
	if rl := client.RateLimit(); rl.Known() {
		fmt.Fprintf(out, "\nRate limit: %d of %d requests left in a %s sliding window (resets at %s)\n",
			rl.Remaining, rl.Limit, rl.Window, rl.Reset.Format(time.TimeOnly))
	}
	return nil
}
