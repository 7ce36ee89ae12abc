// Package restorehubtest is an in-process fake of the Restore Hub REST API
// for tests and offline examples.
//
// NewServer starts a loopback HTTP server that serves every operation of an
// operation table (by default resources.Operations(), the SDK's generated
// table) under the base path /api/v1, with an in-memory store. It enforces
// what Restore Hub documents about API keys: the 401 body for a missing or
// unknown key, the 403 missing-scope body, the Free plan's 403 with an
// upgradeUrl on every non-GET request, the per-key sliding-window rate limit
// with its X-RateLimit-* headers and 429 body, and the member-pull budget of
// 50 members per minute per target server. Faults (error statuses, latency,
// connection resets, HTML 502 pages, truncated bodies) can be injected on
// demand, and every request is recorded for assertions.
//
// The same fake also answers as an httpmock.Responder, for tests that mock
// at the transport with httpmock.ActivateNonDefault.
//
// How the fake treats an operation follows from its method and path
// template alone:
//
//   - a GET on a collection path lists the collection in the operation's
//     pagination style; a collection path is one with an item path
//     "/x/{id}" below it, a paginated GET or a GET named like a list
//     ("audit.listEvents"), or a POST whose action is "create"
//     ("upload.create");
//   - a POST on a collection path creates an entity (201);
//   - GET, PATCH or PUT, and DELETE on an item path read (200), merge (200)
//     and remove (204) it;
//   - GET, PATCH or PUT, and DELETE on any other path without a trailing
//     parameter treat it as a single stored object, such as /account;
//   - any other POST is an action, such as /backups/{backupId}/restore, and
//     answers 200 with a queued job shaped like the spec's Job.
//
// A path parameter that names an entity of a known collection must exist,
// or the request gets 404 in the documented error envelope.
package restorehubtest
