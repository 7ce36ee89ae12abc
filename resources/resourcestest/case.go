package resourcestest

import (
	"context"
	"net/url"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// Case is one call through a typed service method, what it must send, and
// what it must decode. Cases, generated from the same spec as the
// resources package, holds one per operation.
type Case struct {
	// ID is the operation's ID, such as "servers.list".
	ID string
	// Call calls the typed method on s with sample arguments and returns
	// its result (nil for a method that returns only an error).
	Call func(ctx context.Context, s resources.Services) (any, error)
	// Method and Path are what the call must send; Path is below the base
	// URL, with its parameters escaped.
	Method, Path string
	// Query is the query the call must send; nil for none.
	Query url.Values
	// Body is the JSON body the call must send; "" for none.
	Body string
	// Scope is the operation's scope, as the Backend must see it.
	Scope resources.Scope
	// Tier is the operation's tier, as the Backend must see it.
	Tier resources.Tier
	// Status is the status a fake API should answer with.
	Status int
	// Response is the JSON body a fake API should answer with; "" for none.
	Response string
	// Want is what Call must return when the API answers Response.
	Want any
	// Pages describes the operation's iterator; nil when it has none.
	Pages *Pages
}

// Pages describes the iterator of a list operation: how it pages, and a
// call that walks it with the same arguments as Case.Call.
type Pages struct {
	// Style is "cursor", "page", "offset", "link", "after" or "before"
	// (resources.Pagination).
	Style string
	// Param is the query parameter that carries the cursor, page number,
	// offset, page token or item id.
	Param string
	// Items is the response field that holds the page's items, "" when
	// the response is the array of items.
	Items string
	// Next is the response field that holds the next cursor (cursor style),
	// the number of pages (page style) or of items (offset style), written
	// "holder.name" when it is one level down; "" when the response has
	// none.
	Next string
	// ID is the items' id field whose values the after and before styles
	// send; "" for the other styles.
	ID string
	// All walks the iterator to its end and returns how many items it
	// yielded, and the error that ended it, if any.
	All func(ctx context.Context, s resources.Services) (int, error)
}

// t0 is the instant of every time sample: "2026-01-02T03:04:05Z".
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func ptr[T any](v T) *T { return &v }
