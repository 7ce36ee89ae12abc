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
	"regexp"
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
// destructive call is sent only after every confirmer approved it. With
// WithDiscovery, name is one of SearchTool, DescribeTool and CallTool, and
// CallTool runs the operation it names through this same path.
func (tk *Toolkit) Call(ctx context.Context, name string, args json.RawMessage) (*Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if tk.cfg.discovery {
		return tk.discoveryCall(ctx, name, args)
	}
	tk.mu.Lock()
	e := tk.listed[name]
	tk.mu.Unlock()
	if e == nil {
		tk.auditUnknown(ctx, name)
		return nil, fmt.Errorf("%w %s: it is not in this toolkit's list (call Tools for the list)", ErrUnknownTool, shorten(strconv.Quote(name), 80))
	}
	return tk.run(ctx, e, args), nil
}

// auditUnknown audits a call of a tool or operation that is not listed
// (or that the key may not call), so that an agent probing for tools is
// seen in either mode; the name is the caller's text, so it is escaped and
// shortened.
func (tk *Toolkit) auditUnknown(ctx context.Context, name string) {
	tk.audit(ctx, auditRecord{tool: auditName(name), outcome: "unknown_tool"})
}

// run calls the listed operation e, audits the call and reports it to the
// WithToolObserver hook: the one path of every call, whether through its
// own tool or through CallTool.
func (tk *Toolkit) run(ctx context.Context, e *entry, args json.RawMessage) *Result {
	rec := auditRecord{tool: e.def.name, scope: e.class.Scope}
	var done func(outcome string, status int)
	if tk.cfg.observe != nil {
		var octx context.Context
		if octx, done = tk.cfg.observe(ctx, e.def.name, e.class.Scope); octx != nil {
			ctx = octx
		}
	}
	res := tk.call(ctx, e, args, &rec)
	tk.audit(ctx, rec)
	if done != nil {
		done(rec.outcome, rec.status)
	}
	return res
}

func (tk *Toolkit) call(ctx context.Context, e *entry, raw json.RawMessage, rec *auditRecord) *Result {
	var fields []string // what the result keeps; not sent, not part of what is confirmed
	if takesFields(e) {
		f, rest, err := takeFields(raw)
		if err != nil {
			return invalidArgs(rec, e, err)
		}
		fields, raw = f, rest
	}
	canon, err := canonicalArgs(raw, e.schema)
	if err != nil {
		return invalidArgs(rec, e, err)
	}
	sum := sha256.Sum256(canon)
	digest := hex.EncodeToString(sum[:])
	rec.argsHash = digest
	var p args
	if err := json.Unmarshal(canon, &p); err != nil {
		return invalidArgs(rec, e, err)
	}
	if err := e.path.checkArgs(p); err != nil {
		return invalidArgs(rec, e, err)
	}
	e = tk.callClass(e, p)
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
	withheld := false
	if clean := withheldKeys(data); !bytes.Equal(clean, data) {
		data, withheld = clean, true
	}
	data, note := tk.shape(e, data, fields)
	text := fmt.Sprintf("%s succeeded; the response is in the data (%d bytes of JSON).", e.def.name, len(data))
	if withheld {
		text += fmt.Sprintf(" It held an API key's secret, which is withheld from you (shown as %s): never ask for it. "+
			"Tell the user the key exists; a user who needs its secret should create the key themselves.", withheldKey)
	}
	if note != "" {
		text += " " + note
	}
	return &Result{Text: text, Data: data}
}

// keyLike finds anything that looks like a Restore Hub API key.
var keyLike = regexp.MustCompile(`(?i)rh_[0-9A-Za-z]{6,}`)

// withheldKey replaces every API key in a result's data.
const withheldKey = "rh_[WITHHELD]"

// withheldKeys removes every API key from a response's JSON before it
// reaches the model: the client has already removed its own key in every
// spelling, and this removes any other, such as the secret of a key the
// call minted. A model never holds a credential.
func withheldKeys(data []byte) []byte {
	if !mayHoldKey(data) {
		return data
	}
	return keyLike.ReplaceAllLiteral(data, []byte(withheldKey))
}

// mayHoldKey reports whether data holds "rh_" in any letter case, as
// keyLike matches it, without copying data (a lower-cased copy of every
// response would cost one allocation of its size per call).
func mayHoldKey(data []byte) bool {
	for i := 2; i < len(data); i++ {
		j := bytes.IndexByte(data[i:], '_')
		if j < 0 {
			return false
		}
		i += j
		// c|0x20 is c in lower case for an ASCII letter; only 'R' and 'r'
		// (or 'H' and 'h') give 'r' (or 'h').
		if data[i-1]|0x20 == 'h' && data[i-2]|0x20 == 'r' {
			return true
		}
	}
	return false
}

// auditName is a tool name the caller gave, fit for the audit log: as it
// is when it is a plain name, else quoted in ASCII and shortened.
func auditName(name string) string {
	plain := name != "" && len(name) <= 64
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			plain = false
			break
		}
	}
	if plain {
		return name
	}
	return shorten(strconv.QuoteToASCII(name), 80)
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
