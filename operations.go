package restorehub

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/restorehub/restorehub-go/resources"
)

// Operation describes a request to WithDestructiveGuard.
type Operation struct {
	// ID is the operation's ID, such as "backups.restore"; "" for a raw Do
	// that matches no operation of the table.
	ID string
	// Method and Path are the request's, with the path's parameters filled
	// in and escaped.
	Method, Path string
	// PathTemplate is the operation's path with its parameters named, such
	// as "/backups/{backupId}/restore"; "" for a raw Do that matches none.
	PathTemplate string
	// Query is the request's query, if any.
	Query url.Values
	// Body is the request body as the caller gave it, such as a
	// *resources.BackupRestore naming the restore's target; nil for none.
	Body any
	// Scope is the scope the request needs.
	Scope Scope
	// Tier is the request's tier: its scope's, or the operation's when that
	// is higher. A DELETE of the write tier, or a request that matches no
	// operation, is guarded too; Reason says why.
	Tier Tier
	// Inferred reports that the operation is inferred from a scope name,
	// not documented by Restore Hub.
	Inferred bool
	// Summary is the operation's one-line description, if known.
	Summary string
	// Reason says why the guard was asked, such as "it is a DELETE" or
	// "its scope backups:restore is in the destructive tier" (Class.Reason).
	Reason string
	// Destructive reports that the request is destructive (Class.Destructive);
	// it is always true for a request the guard is asked about.
	Destructive bool
	// Idempotent reports that resending the request could not change more
	// than sending it once (Class.Idempotent); never true when Destructive.
	Idempotent bool
}

// RequiredScopes answers "which scopes must a key hold to run these
// operations": the minimal set, sorted, for operation IDs such as
// "servers.list" and "backups.restore". An unknown ID is an error. For an
// operation that accepts several scopes (resources.OperationSpec.AcceptedScopes)
// it names the least privileged one, OperationSpec.Scope; a key holding any
// other of them may call it too.
func RequiredScopes(opIDs ...string) ([]Scope, error) {
	seen := make(map[Scope]bool)
	var out []Scope
	for _, id := range opIDs {
		op, ok := resources.LookupOperation(id)
		if !ok {
			return nil, fmt.Errorf("restorehub: unknown operation %q; see resources.Operations for the IDs", truncate(id, 80))
		}
		if s := op.Scope; s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out, nil
}

// backend lets the generated services send through the client.
type backend struct{ c *Client }

// Call implements resources.Backend. A call whose path parameters would
// change its path, or whose required body is nil, is refused with an
// *InvalidRequestError before anything is sent.
func (b backend) Call(ctx context.Context, op *resources.OperationSpec, path string, query url.Values, body, out any, opts ...resources.RequestOption) error {
	if op == nil {
		return errors.New("restorehub: Call: nil operation")
	}
	if ctx == nil {
		return ErrNilContext
	}
	if err := checkCall(op, path); err != nil {
		return err
	}
	_, err := b.c.Do(ctx, &Request{Method: op.Method, Path: path, Query: query, Body: body, Scope: op.Scope, op: op}, out, opts...)
	return err
}
