// Package restorehubtest is an in-process fake of the Restore Hub REST API
// for tests and offline examples.
//
// NewServer starts a loopback HTTP server that serves every operation of an
// operation table (by default resources.Operations(), the SDK's generated
// table) under the base path /api/v1, with an in-memory store. It enforces
// what Restore Hub documents about API keys: the 401 body for a missing or
// unknown key, the 403 missing-scope body, the Free plan's 403 with an
// upgradeUrl on every non-GET request, the per-key sliding-window rate limit
// with its X-RateLimit-* headers and 429 body, and each operation's own
// budget (the table's Pace, such as 50 members per minute per target server
// for member pulls). Faults (error statuses, latency, connection resets,
// HTML 502 pages, truncated bodies) can be injected on demand, and every
// request is recorded for assertions.
//
// The same fake also answers as an httpmock.Responder (Server.Responder),
// for tests that mock at the transport with httpmock.ActivateNonDefault.
//
// NewMemoryServer makes the same fake without a listener: its Client serves
// requests in memory, so it works inside a testing/synctest bubble, where
// tests that keep the documented rate limit run in virtual time.
// WithoutRateLimit switches the per-key limit off.
//
// # Everything comes from the operation table
//
// The fake knows no path, operation or field name of today's spec: swap
// the spec, run go generate, and it serves the new table. How it treats an
// operation follows from the operation's method, path template and the
// table's Pagination, List, Model and Pace:
//
//   - a GET on a collection path lists the collection; a collection path is
//     one with an item path "/x/{id}" below it, a GET the table gives a List
//     shape, a paginated GET or a GET named like a list ("audit.listEvents"),
//     or a POST whose action is "create" ("upload.create");
//   - a POST on a collection path creates an entity (201);
//   - GET, PATCH or PUT, and DELETE on an item path read (200), merge (200)
//     and remove (204) it;
//   - GET, PATCH or PUT, and DELETE on any other path without a trailing
//     parameter treat it as a single stored object, such as /account;
//   - any other POST is an action, such as /backups/{backupId}/restore, and
//     answers 200 with a queued job (see Jobs below).
//
// A request is routed by the client's own rule (resources.MatchPathTemplate):
// segment by segment from the left, a literal beats literal text beside a
// parameter ("/files/{id}.json"), which beats a lone parameter; extra
// leading and trailing slashes are ignored, and a template whose trailing
// slash agrees with the request's wins a tie. A template may end in a
// slash and hold several parameters, alone in a segment or beside literal
// text, as real OpenAPI documents write them. Where literal text stands
// beside a parameter, the fake keeps the entity under the whole segment
// ("f1.json") and does not check that the parameter names an existing
// entity.
//
// A path parameter that names an entity of a known collection must exist,
// or the request gets 404 in the documented error envelope. Entities are
// JSON objects whose "id" is a string; the fake gives each a createdAt.
//
// # Lists: pagination and filters
//
// A list answers in the operation's Pagination style under the names its
// resources.ListShape gives (for a table without List: "data", "cursor",
// "nextCursor", "page", "totalPages" and "limit"):
//
//   - cursor: the Limit parameter (default WithPageSize, at most
//     MaxPageSize) items from the position the Cursor parameter names, and
//     in Next an opaque cursor of the next page, null on the last;
//   - page: page Cursor (1-based) of Limit items, the page count in Next
//     and the count of all matching items in "total";
//   - none: every matching item, under Items.
//
// A Next written "holder.name" (such as "meta.next_cursor") is set one
// level down. The link, after and before styles are answered as none
// (every matching item, under Items): the fake sends no Link header and
// does not page by item ids.
//
// Every filter the spec declares (ListShape.Filters: the list's query
// parameters other than the paging ones) is honoured; filters combine with
// AND, and paging applies to the filtered items:
//
//   - a filter matches an item whose top-level field of the same name, or
//     failing that of the same name ignoring case, "_" and "-" ("server_id"
//     finds "serverId"), equals the query value: strings as text, numbers
//     by value ("10" equals 10.0), booleans as strconv.ParseBool reads the
//     value, and an array field when any element does; null, objects and a
//     missing field never match;
//   - a filter sent more than once matches any of its values, and so do the
//     comma-separated values of an array-typed filter;
//   - a filter named q, query or search that is not a field of the item
//     matches items with a string field containing the value, ignoring
//     case;
//   - an absent or empty filter, and a query parameter the spec does not
//     declare, filter nothing.
//
// # Seeding
//
// Server.Seed takes values of package resources' model types and stores
// each where the operations that return its type keep it (the table's
// Model), so no call site builds JSON by hand:
//
//	srv.Seed(resources.Server{ID: "srv_1", Name: "Pixel Lounge"}, resources.Backup{ServerID: "srv_1"})
//
// In a nested collection such as /servers/{serverId}/backups, the
// entity's serverId names its parent. Server.SeedAt stores entities at an
// explicit collection path, for what Seed cannot place (maps, tables
// without models); Server.SetObject replaces a single object.
//
// # Jobs
//
// An action answers with a job in the shape of the spec's Job: id, type
// (the operation ID, such as "backups.restore"), status "queued", progress
// 0, total (what an operation budget spent, such as the number of members
// pulled, else null), createdAt and finishedAt null. Today's spec has no
// operation that reads a job, so that answer is all a caller gets. When the
// table has one (an item GET whose Model is the Model actions return, or
// an item GET below a path segment "jobs"), the fake stores each job there
// and every read of it moves it one state on, deterministically: queued,
// then running, then completed (progress reaching total, finishedAt set).
//
// # Error bodies
//
// The fake answers errors with the bodies Restore Hub documents, byte for
// byte, with Content-Type "application/json; charset=utf-8". Tests that
// mock with httpmock can send the same bytes with ErrorResponder and
// RateLimitResponder and the body functions:
//
//	401, missing, unknown or revoked key (UnauthorizedBody):
//	{"error":"Missing or invalid API key."}
//
//	403, the key lacks the operation's scope (MissingScopeBody); yourScopes
//	lists the key's scopes in the order they were registered:
//	{"error":"Missing required scope: backups:restore","requiredScope":"backups:restore","yourScopes":["servers:read","backups:read"]}
//
//	403, a Free-plan key sent a non-GET request (PlanBody); Restore Hub
//	documents only the status and the upgradeUrl, the rest is the fake's:
//	{"error":"The FREE plan can only send read (GET) requests. Upgrade your plan to use this operation.","plan":"FREE","upgradeUrl":"https://restorehub.net/pricing"}
//
//	429, the key's rate limit (RateLimitBody), with Retry-After and the
//	X-RateLimit-Limit, -Remaining, -Reset (Unix seconds) and -Window headers:
//	{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":10,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}
//
// Every other error uses the documented envelope {"error": "...",
// "details": {...}}: 400 for a malformed body or query parameter (details
// carries a Zod-style issues list), 404 for an unknown path or entity, 405
// with Allow, 409 for a taken id, 413 for a body over 1 MiB, 422 when one
// request asks for more than an operation's whole budget, and 429 with
// Retry-After when it exceeds what is left of it (details names the budget's
// key, what was requested and what remains).
package restorehubtest
