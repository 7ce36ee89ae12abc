// Package resources holds Restore Hub's typed services and models, generated
// by internal/gen from an OpenAPI document, and the operation table that
// describes every operation at run time.
//
// Most resource operations are inferred from Restore Hub's scope names, not
// read from its documentation: each method's doc comment says which. Use the
// services through a restorehub.Client (client.Servers, client.Backups, …);
// this package does not import the root package, so the client hands each
// service a Backend.
//
// Every method and iterator takes trailing per-call options
// (RequestOption), such as restorehub.WithResponseInto for the call's
// status, header and rate limit; an iterator applies them to every page.
package resources

import (
	"context"
	"net/url"
	"slices"
	"time"
)

// Pagination is the paging style of a list operation.
type Pagination string

// The paging styles the generator understands.
const (
	// PaginationNone marks an operation that returns everything at once.
	PaginationNone Pagination = "none"
	// PaginationCursor sends cursor and limit, and reads the next cursor
	// back from the response: a field at its top level (nextCursor) or one
	// level down (meta.next_cursor, cursor.next).
	PaginationCursor Pagination = "cursor"
	// PaginationPage sends page and limit, and reads the number of pages
	// back when the response has it, at its top level (totalPages) or one
	// level down (meta.total_pages, pagination.pages); without it the
	// list ends at an empty page.
	PaginationPage Pagination = "page"
	// PaginationOffset sends offset (how many items to skip) and limit; the
	// next page's offset is this one's plus the items it held. A total
	// field, when the response has one, says when the list ends.
	PaginationOffset Pagination = "offset"
	// PaginationLink sends a page token query parameter (such as
	// page_token) taken from the rel="next" link of the previous
	// response's Link header (RFC 8288); only the token is taken from the
	// link, never its host or path.
	PaginationLink Pagination = "link"
	// PaginationAfter sends after, the largest id of the previous page (or
	// its last item's id when the ids are not numbers), to page forward
	// through a list whose response is an array of items with ids.
	PaginationAfter Pagination = "after"
	// PaginationBefore sends before, the smallest id of the previous page
	// (or its last item's id when the ids are not numbers), to page
	// backward through a list whose response is an array of items with
	// ids, such as newest-first message histories.
	PaginationBefore Pagination = "before"
)

// Pace is an operation's own budget on top of the key's rate limit, such as
// Restore Hub's member-pull budget of 50 members per minute per target server.
type Pace struct {
	// KeyField is the JSON field of the request body that names what the
	// budget is kept per (for member pulls, the target server).
	KeyField string
	// CountField is the JSON array field of the request body whose length is
	// what one call spends; when it is empty or absent a call spends 1.
	CountField string
	// Limit is how much may be spent per Interval.
	Limit int
	// Interval is the length of the budget's period.
	Interval time.Duration
}

// OperationSpec describes one API operation as the OpenAPI document gives it:
// its method, path template, scope and paging. restorehub.Operation is the
// view of one outgoing call that WithDestructiveGuard receives.
type OperationSpec struct {
	// ID is the stable name "resource.action", such as "backups.restore".
	ID string
	// Method is the HTTP method.
	Method string
	// Path is the path template below the base URL, such as "/backups/{backupId}/restore".
	Path string
	// Scope is the scope the key needs (ScopeBackupsRestore's
	// "backups:restore"), or "" when none is documented. When the spec
	// accepts several (AcceptedScopes), it is the least privileged of them.
	Scope Scope
	// AcceptedScopes are the scopes any one of which lets a key call the
	// operation, in the spec's order, Scope among them: every scope of the
	// operation's security alternatives or scope extension. It is nil when
	// Scope is the only one (or there is none), as for every operation of
	// Restore Hub's spec; Accepted gives the list either way.
	AcceptedScopes []Scope
	// Tier is the scope's tier as the spec gives it (x-scope-tier, else the
	// spec's scope lists), else as inferred from the scope's name;
	// TierUnknown when the operation needs no scope.
	Tier Tier
	// Idempotent reports whether sending the request twice has the effect of
	// sending it once (GET, HEAD, PUT, DELETE, unless the spec says otherwise).
	Idempotent bool
	// BodyRequired reports that the spec marks the request body as required
	// (requestBody.required): a typed call with a nil body is refused
	// before anything is sent.
	BodyRequired bool
	// Pagination is the paging style of a list operation.
	Pagination Pagination
	// Inferred reports that the operation is a guess from a scope name and not
	// documented by Restore Hub (the spec's x-inferred).
	Inferred bool
	// Summary is the spec's one-line summary.
	Summary string
	// Pace is the operation's own budget, or nil.
	Pace *Pace
	// List names the items, paging fields and filters of a list
	// operation; it is nil for an operation that is not a list.
	List *ListShape
	// Model is the name of the resources type of the entities the
	// operation returns: a list's item type, or the response body's type,
	// such as "Backup" or "Job"; "" when the response is not a typed object.
	Model string
	// Scalar is the JSON type of the success response body when it is a
	// scalar: "string", "integer", "number" or "boolean" (a health check's
	// true, a version string); "" when it is an object, an array, empty or
	// not known. restorehubtest answers such an operation with a zero value
	// of that type.
	Scalar string
}

// Destructive reports whether the operation's scope is in the destructive
// tier. The client guards more than that: restorehub.Classify also counts
// every DELETE, and an operation of unknown tier that is not a GET or HEAD,
// as destructive; use it to know what the guard will be asked about.
func (op *OperationSpec) Destructive() bool { return op.Tier == TierDestructive }

// Clone returns a deep copy of op: its AcceptedScopes, Pace and List (with
// its Filters) are the copy's own, so writing to the copy cannot change the
// operation table the client classifies requests by.
func (op *OperationSpec) Clone() OperationSpec {
	c := *op
	c.AcceptedScopes = slices.Clone(op.AcceptedScopes)
	if op.Pace != nil {
		pace := *op.Pace
		c.Pace = &pace
	}
	if op.List != nil {
		list := *op.List
		list.Filters = slices.Clone(op.List.Filters)
		c.List = &list
	}
	return c
}

// Accepted returns the scopes any one of which lets a key call the
// operation: a copy of AcceptedScopes, or Scope alone when that is nil,
// or nil when the operation needs no scope.
func (op *OperationSpec) Accepted() []Scope {
	switch {
	case len(op.AcceptedScopes) > 0:
		return append([]Scope(nil), op.AcceptedScopes...)
	case op.Scope != "":
		return []Scope{op.Scope}
	}
	return nil
}

// Backend sends an operation's request. restorehub.Client implements it for
// its services; a test can implement it to fake the whole API.
type Backend interface {
	// Call sends op with the path template already filled in and escaped,
	// the query, and body (nil for none) encoded as JSON, and decodes a 2xx
	// response body into out (nil to discard it). opts are the caller's
	// per-call options; NewRequestConfig applies them, and a Backend returns
	// RequestConfig.Err without sending. op points into the operation table
	// every client classifies by: read it, never write to it (op.Clone gives
	// a copy of one's own).
	Call(ctx context.Context, op *OperationSpec, path string, query url.Values, body, out any, opts ...RequestOption) error
}

// Operations returns a copy of the operation table, in the spec's order.
func Operations() []OperationSpec {
	out := make([]OperationSpec, len(operationTable))
	for i := range operationTable {
		out[i] = operationTable[i].Clone()
	}
	return out
}

// LookupOperation returns the operation with the given ID, such as "backups.restore".
func LookupOperation(id string) (OperationSpec, bool) {
	for i := range operationTable {
		if operationTable[i].ID == id {
			return operationTable[i].Clone(), true
		}
	}
	return OperationSpec{}, false
}
