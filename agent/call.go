package agent

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
)

// ErrUnknownTool is wrapped by the error Call returns for a tool name the
// toolkit does not list.
var ErrUnknownTool = errors.New("agent: unknown tool")

// Call calls the tool name with args, a JSON object ("" and null mean no
// arguments). The error is non-nil only when the toolkit does not list
// name (it wraps ErrUnknownTool); then nothing is sent. Every other failure
// is a Result with IsError set and a Text saying what to do next: invalid
// arguments, declined, pending or refused confirmations and API errors. Arguments
// are validated against the tool's schema before anything is sent, and a
// destructive call is sent only after every confirmer approved it.
func (tk *Toolkit) Call(ctx context.Context, name string, args json.RawMessage) (*Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	tk.mu.Lock()
	e := tk.listed[name]
	tk.mu.Unlock()
	if e == nil {
		return nil, fmt.Errorf("%w %s: it is not in this toolkit's list (call Tools for the list)", ErrUnknownTool, shorten(strconv.Quote(name), 80))
	}
	rec := auditRecord{tool: name, scope: e.class.Scope}
	var done func(outcome string, status int)
	if tk.cfg.observe != nil {
		var octx context.Context
		if octx, done = tk.cfg.observe(ctx, name, e.class.Scope); octx != nil {
			ctx = octx
		}
	}
	res := tk.call(ctx, e, args, &rec)
	tk.audit(ctx, rec)
	if done != nil {
		done(rec.outcome, rec.status)
	}
	return res, nil
}

func (tk *Toolkit) call(ctx context.Context, e *entry, raw json.RawMessage, rec *auditRecord) *Result {
	canon, err := canonicalArgs(raw, e.schema)
	if err != nil {
		return fail(rec, "invalid_arguments", "Invalid arguments for %s: %v. Fix the arguments and call again; nothing was sent.", e.def.name, err)
	}
	sum := sha256.Sum256(canon)
	digest := hex.EncodeToString(sum[:])
	rec.argsHash = digest
	var p args
	if err := json.Unmarshal(canon, &p); err != nil {
		return fail(rec, "invalid_arguments", "Invalid arguments for %s: %v. Fix the arguments and call again; nothing was sent.", e.def.name, err)
	}
	if err := checkPathArgs(e.class.PathTemplate, p); err != nil {
		return fail(rec, "invalid_arguments", "Invalid arguments for %s: %v. Fix the arguments and call again; nothing was sent.", e.def.name, err)
	}
	var slot *time.Time // the destructive limit's slot this call holds
	if e.class.Destructive {
		res, s := tk.confirm(ctx, e, canon, digest, p, rec)
		if res != nil {
			return res
		}
		slot = s
	}
	out, err := e.def.call(ctx, tk.client, p)
	if err != nil {
		if slot != nil && notSent(err) {
			tk.release(*slot)
		}
		return tk.apiError(e, err, rec)
	}
	rec.outcome = "ok"
	if out == nil || isNilPointer(out) {
		return &Result{Text: fmt.Sprintf("%s succeeded.", e.def.name)}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return fail(rec, "decode_error", "%s was sent and succeeded, but its response could not be encoded: %v. Do not repeat it; check its effect with a read tool.", e.def.name, err)
	}
	return &Result{Text: fmt.Sprintf("%s succeeded; the response is in the data (%d bytes of JSON).", e.def.name, len(data)), Data: data}
}

// notSent reports whether err proves the client refused the request before
// sending it: a local refusal (scopes, pacing or budget waits), the
// destructive guard, an invalid request, or arguments that could not be
// decoded.
func notSent(err error) bool {
	var arg *argError
	return restorehub.NotSent(err) || errors.As(err, &arg)
}

// canonicalArgs validates raw against the schema and returns its canonical
// encoding (keys sorted, no insignificant space): what is confirmed, hashed
// and sent.
func canonicalArgs(raw json.RawMessage, schema *argSchema) ([]byte, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		t = []byte("{}")
	}
	v, err := decodeJSON(t)
	if err != nil {
		return nil, fmt.Errorf("the arguments are not valid JSON (%v)", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, fmt.Errorf("the arguments must be a JSON object, not %s", describe(v))
	}
	if err := schema.validate(v, ""); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// isNilPointer reports whether v is a typed nil pointer.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
