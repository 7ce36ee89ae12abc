// Command scopes-for prints the least set of scopes an API key needs to run
// the given operations, with their tiers, so that an agent's key can be
// minted with nothing more.
//
//	go run ./examples/scopes-for servers.list backups.get backups.restore
//
// With no arguments it lists every operation ID it knows.
package main

import (
	"fmt"
	"io"
	"os"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scopes-for:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(out, "usage: scopes-for OPERATION_ID...; the operations are:")
		for _, op := range resources.Operations() {
			note := ""
			if op.Inferred {
				note = " (inferred)"
			}
			fmt.Fprintf(out, "  %-28s %-6s %s%s\n", op.ID, op.Method, op.Path, note)
		}
		return nil
	}
	scopes, err := restorehub.RequiredScopes(args...)
	if err != nil {
		return err
	}
	destructive := 0
	for _, s := range scopes {
		fmt.Fprintf(out, "%-22s %s\n", s, s.Tier())
		if s.Tier() == restorehub.TierDestructive {
			destructive++
		}
	}
	if destructive > 0 {
		fmt.Fprintf(out, "# %d destructive scope(s): give them only to a key you would trust with a restore\n", destructive)
	}
	return nil
}
