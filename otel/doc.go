// Package otel reports a restorehub Client's calls, and an agent toolkit's
// tool calls, to OpenTelemetry. It is a module of its own, so that the core
// module carries no OpenTelemetry dependency.
//
// One Telemetry gives the client an Observer (restorehub.WithObserver):
//
//   - a span per call, named by its operation ("restorehub backups.restore"),
//     with the HTTP client semantic conventions that fit (http.request.method,
//     http.response.status_code, server.address, url.template) and the
//     operation, scope, tier, outcome, attempt count, request ID and the last
//     rate-limit state reported;
//   - a child span per attempt (http.request.resend_count, the status, the
//     rate-limit limit and remaining, a 429's Retry-After, whether it was
//     retried and the retry reason) and per wait (its cause: request_rate,
//     budget, operation_pace, retry_after or retry_backoff);
//   - span events for the WithScopes preflight and the destructive guard;
//   - the W3C trace context (through the configured propagator) on every
//     attempt, set through a hook that cannot touch Authorization;
//   - metrics: calls by operation, outcome and status class, 429s, wait time
//     by cause (the budget's included) and calls in flight.
//
// Telemetry.ToolCall is the agent toolkit's hook (agent.WithToolObserver):
// a span per tool call with the tool, its scope and the outcome, never the
// arguments. The package does not import the agent module (its signature is
// plain Go), so using the client alone pulls no MCP SDK in.
//
// Nothing this package records holds the key, a body, or a header value
// other than the rate-limit ones: it reads only the client's Observer
// events, which carry none.
package otel
