package mcpserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/restorehub/restorehub-go/agent"
)

// inputRequestsVersion is the first protocol version with multi round-trip
// input requests (SEP-2322). On it and later the SDK refuses server-sent
// elicitation/create during a request; before it, input requests do not
// exist. The SDK keeps the constant unexported.
const inputRequestsVersion = "2026-07-28"

// inputKey is the ID of the one input request a confirmation makes.
const inputKey = "confirm"

// confirmField is the boolean the user ticks to approve.
const confirmField = "confirm"

// maxArgsShown bounds the arguments quoted in the question; the summary
// comes first, so a longer argument list is cut, with a note.
const maxArgsShown = 4000

// refusal is an error whose text is written for the model: what happened
// and what to do next. The toolkit puts it into the tool result. Every
// refusal declines the call, so it wraps agent.ErrDeclined.
type refusal string

func (r refusal) Error() string { return string(r) }

func (r refusal) Unwrap() error { return agent.ErrDeclined }

// The refusals of the MCP confirmation. Each is a reason: the toolkit's
// result adds that nothing was sent and that the model must not retry
// unless the user asks.
var (
	errDeclined      = refusal("the user declined it when asked in the MCP client")
	errCancelled     = refusal("the user dismissed the question in the MCP client without approving; ask the user before trying again")
	errUnconfirmable = refusal("this MCP client can ask the user neither through input requests nor through elicitation; " +
		"tell the user, who can run it from a client that supports elicitation, or in the Restore Hub dashboard")
	errNoAnswer  = refusal("the client retried the call without the user's answer; call the tool again so that the user is asked")
	errBadAnswer = refusal("the MCP client asked the user but returned no valid answer (no approval with \"confirm\" ticked); " +
		"call the tool again only if the user asks you to, and tell the user to tick \"confirm\" to approve")
	errChanged = refusal("the request or its summary is no longer what the user approved; " +
		"call the tool again so that the user is asked about the new request")
)

// usesInputRequests reports whether the call's protocol version confirms
// through input requests rather than elicitation/create. A request that
// names no version is treated as the SDK treats it: the latest.
func usesInputRequests(req *mcp.CallToolRequest) bool {
	v := req.ProtocolVersion()
	return v == "" || v >= inputRequestsVersion
}

// canElicit reports whether the client declared form elicitation, which
// both mechanisms need.
func canElicit(req *mcp.CallToolRequest) bool {
	caps := req.ClientCapabilities()
	if caps == nil || caps.Elicitation == nil {
		return false
	}
	// Both Form and URL nil means form, for clients older than 2025-11-25.
	return caps.Elicitation.Form != nil || caps.Elicitation.URL == nil
}

// callWithElicit serves a call on a protocol version before input
// requests: the confirmer sends elicitation/create and waits for the answer.
func (b *bridge) callWithElicit(ctx context.Context, req *mcp.CallToolRequest, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	confirm := func(ctx context.Context, c agent.Confirmation) error {
		if !canElicit(req) || req.Session == nil {
			return errUnconfirmable
		}
		res, err := req.Session.Elicit(ctx, question(c))
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("the call was cancelled while the user was being asked: %w", ctx.Err())
			}
			// The client declared elicitation and was asked: an error now
			// is its answer failing (an empty or invalid form, or the client
			// refusing its own user's input), not a client that cannot ask.
			b.cfg.logger.Warn("mcpserver: elicitation failed", "tool", c.Tool, "error", err)
			return errBadAnswer
		}
		return answer(res)
	}
	return b.call(ctx, name, args, confirm), nil
}

// callWithInputRequests serves a call on a protocol version with input
// requests. The first round runs the toolkit up to the confirmation,
// records what it would ask, and answers with an input request; nothing is
// sent. Its confirmer returns agent.ErrConfirmationPending, so the toolkit
// audits the round as "asked" (not declined) and does not ask its own
// WithConfirm, which the toolkit asks after the context's confirmers. The
// retry carries the answer and the requestState naming that record; the
// toolkit runs again and its confirmation must match the one the user saw.
func (b *bridge) callWithInputRequests(ctx context.Context, req *mcp.CallToolRequest, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	if req.Params.RequestState != "" || req.Params.InputResponses != nil {
		return b.resume(ctx, req, name, args), nil
	}
	var (
		mu    sync.Mutex
		asked *agent.Confirmation
	)
	confirm := func(_ context.Context, c agent.Confirmation) error {
		if !canElicit(req) {
			return errUnconfirmable
		}
		mu.Lock()
		defer mu.Unlock()
		asked = &c
		return agent.ErrConfirmationPending
	}
	res := b.call(ctx, name, args, confirm)
	mu.Lock()
	c := asked
	mu.Unlock()
	if c == nil {
		return res, nil // nothing to confirm, or refused before the question
	}
	caller := callerOf(req)
	id, expires, err := b.pending.add(pendingCall{tool: name, args: compactJSON(args), conf: *c, caller: caller})
	var state string
	if err == nil {
		state, err = b.sealer.seal(sealedState{ID: id, Tool: name, Digest: argsDigest(args), Caller: caller, Expires: expires.UnixNano()})
		if err != nil {
			b.pending.take(id)
		}
	}
	if err != nil {
		b.cfg.logger.Warn("mcpserver: confirmation not asked", "tool", name, "error", err)
		return errorResult("The call was not sent: " + err.Error() + ". Wait a minute and call the tool again."), nil
	}
	return &mcp.CallToolResult{
		InputRequests: mcp.InputRequestMap{inputKey: question(*c)},
		RequestState:  state,
	}, nil
}

// resume is the retry of a call whose first round asked the user.
func (b *bridge) resume(ctx context.Context, req *mcp.CallToolRequest, name string, args json.RawMessage) *mcp.CallToolResult {
	const unknown = "The confirmation this call answers is unknown, already used or expired, so nothing was sent. " +
		"Call the tool again, without requestState, so that the user is asked."
	st, err := b.sealer.open(req.Params.RequestState)
	if err != nil {
		return errorResult(unknown)
	}
	if st.Caller != callerOf(req) {
		// Not taken: a caller cannot spend, or learn anything about,
		// another caller's question.
		b.cfg.logger.Warn("mcpserver: confirmation answered by another caller; refused", "tool", name)
		return errorResult("The confirmation this call answers was asked of another client, so nothing was sent. " +
			"Call the tool again, without requestState, so that your user is asked.")
	}
	p, ok := b.pending.take(st.ID)
	if !ok || st.expired(b.cfg.now()) {
		return errorResult(unknown)
	}
	if p.tool != name || st.Tool != name || p.caller != st.Caller || !bytes.Equal(p.args, compactJSON(args)) || st.Digest != argsDigest(args) {
		return errorResult("The confirmation this call answers was asked for another tool or other arguments, so nothing " +
			"was sent. Call the tool again so that the user is asked about these arguments.")
	}
	verdict := answerFrom(req.Params.InputResponses[inputKey])
	confirm := func(_ context.Context, c agent.Confirmation) error {
		if verdict != nil {
			return verdict
		}
		if !sameConfirmation(p.conf, c) {
			return errChanged
		}
		return nil
	}
	return b.call(ctx, name, args, confirm)
}

// answerFrom reads the user's answer from an input response.
func answerFrom(r mcp.InputResponse) error {
	res, ok := r.(*mcp.ElicitResult)
	if !ok || res == nil {
		return errNoAnswer
	}
	return answer(res)
}

// answer approves only an accepted form with the confirm box ticked.
func answer(res *mcp.ElicitResult) error {
	switch {
	case res == nil:
		return errNoAnswer
	case res.Action == "accept" && res.Content[confirmField] == true:
		return nil
	case res.Action == "cancel":
		return errCancelled
	default: // "decline", or accept without the box ticked
		return errDeclined
	}
}

// sameConfirmation reports whether b asks to approve what a asked: the
// same tool, request, scope, summary and arguments. The nonces differ by
// design: each round is its own request for confirmation.
func sameConfirmation(a, b agent.Confirmation) bool {
	return a.Tool == b.Tool && a.Operation == b.Operation && a.Method == b.Method && a.Path == b.Path &&
		a.Scope == b.Scope && a.Summary == b.Summary && a.Reason == b.Reason &&
		bytes.Equal(compactJSON(a.Arguments), compactJSON(b.Arguments))
}

// compactJSON is raw without insignificant white space, or raw itself when
// it is not valid JSON.
func compactJSON(raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return buf.Bytes()
}

// question is the form that asks the user to approve c.
func question(c agent.Confirmation) *mcp.ElicitParams {
	var msg strings.Builder
	msg.WriteString("The AI agent wants to make a change in Restore Hub that needs your confirmation.\n\n")
	if c.Summary != "" {
		msg.WriteString(c.Summary)
		msg.WriteString("\n\n")
	}
	fmt.Fprintf(&msg, "Tool: %s (operation %s", c.Tool, c.Operation)
	if c.Scope != "" {
		fmt.Fprintf(&msg, ", scope %s", c.Scope)
	}
	msg.WriteString(")\n")
	if c.Method != "" {
		fmt.Fprintf(&msg, "Request: %s %s\n", c.Method, c.Path)
	}
	if c.Reason != "" {
		fmt.Fprintf(&msg, "Why you are asked: %s\n", c.Reason)
	}
	msg.WriteString("Arguments:\n")
	msg.WriteString(indentArgs(c.Arguments))
	msg.WriteString("\n\nNothing is sent unless you accept with \"confirm\" ticked; the approval covers this one call only.")
	return &mcp.ElicitParams{
		Mode:    "form",
		Message: msg.String(),
		RequestedSchema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				confirmField: map[string]any{
					"type":        "boolean",
					"title":       "Run " + c.Tool,
					"description": "Tick to send this exact request once.",
				},
			},
			"required": []string{confirmField},
		},
	}
}

// indentArgs is the arguments as indented JSON, cut at maxArgsShown bytes.
func indentArgs(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		buf.Reset()
		buf.Write(raw)
	}
	s := buf.String()
	if s == "" {
		return "{}"
	}
	if len(s) > maxArgsShown {
		cut := maxArgsShown
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + fmt.Sprintf("\n… (%d more bytes not shown)", len(s)-cut)
	}
	return s
}

// pendingCall is a question asked through an input request and not yet
// answered: the call it is about and what the user was shown.
type pendingCall struct {
	tool    string
	args    []byte
	conf    agent.Confirmation
	caller  string // who was asked: only that caller's answer counts
	expires time.Time
}

// pendingStore keeps the unanswered questions, by a random ID that the
// sealed requestState carries. A question is answered once: take removes
// it, so a requestState is single use even though it opens again.
type pendingStore struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu sync.Mutex
	m  map[string]pendingCall
}

func newPendingStore(ttl time.Duration, maxPending int, now func() time.Time) *pendingStore {
	return &pendingStore{ttl: ttl, max: maxPending, now: now, m: make(map[string]pendingCall)}
}

// errTooManyPending refuses a question when too many wait for an answer.
var errTooManyPending = errors.New("too many confirmations are waiting for the user's answer")

// add records p and returns the ID that names it (128 random bits) and
// when it expires.
func (s *pendingStore) add(p pendingCall) (string, time.Time, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("no randomness for the confirmation: %w", err)
	}
	id := hex.EncodeToString(b[:])
	now := s.now()
	p.expires = now.Add(s.ttl)
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.m {
		if !now.Before(v.expires) {
			delete(s.m, k)
		}
	}
	if len(s.m) >= s.max {
		return "", time.Time{}, errTooManyPending
	}
	s.m[id] = p
	return id, p.expires, nil
}

// take removes and returns the question named id, if it exists and has not
// expired.
func (s *pendingStore) take(id string) (pendingCall, bool) {
	s.mu.Lock()
	p, ok := s.m[id]
	delete(s.m, id)
	s.mu.Unlock()
	if !ok || !s.now().Before(p.expires) {
		return pendingCall{}, false
	}
	return p, true
}

// len is the number of questions waiting, expired or not.
func (s *pendingStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
