package restorehub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestNoKeyLeaks runs the whole fault matrix, plus every documented error
// status, against servers that echo the key back in bodies and headers, with
// debug logging of headers on. The key (and its part after "rh_") must not
// appear in any error, any log line, or any formatting (%v, %+v, %#v, %s) of
// a value reachable from the client.
func TestNoKeyLeaks(t *testing.T) {
	t.Parallel() // its cells wait in real time; overlap them with the fault matrix's
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var (
		opsMu sync.Mutex
		ops   []Operation
	)
	guard := func(_ context.Context, op Operation) error {
		opsMu.Lock()
		defer opsMu.Unlock()
		ops = append(ops, op)
		return nil
	}
	cases := append(faultCases(), echoedErrorCases()...)
	results := runMatrix(t, matrixEnv{echo: true, logger: logger, opts: []Option{WithDestructiveGuard(guard)}}, cases)

	var texts []leakText
	for _, row := range results {
		for _, r := range row {
			where := r.fault + " / " + r.kind.String()
			texts = append(texts, errorTexts(where, r.err)...)
			texts = append(texts, errorTexts(where+" follow-up", r.followUp)...)
			texts = append(texts, formatted(where+" response", r.resp)...)
			if r.resp != nil {
				texts = append(texts, formatted(where+" response value", *r.resp)...)
				texts = append(texts, formatted(where+" response header", r.resp.Header)...)
			}
			texts = append(texts, formatted(where+" client", r.client)...)
			texts = append(texts, formatted(where+" client rate limit", r.client.RateLimit())...)
			texts = append(texts, formatted(where+" budget", r.client.budget)...)
			texts = append(texts, leakText{where + " client.String", r.client.String()}, leakText{where + " client.BaseURL", r.client.BaseURL()})
		}
	}
	opsMu.Lock()
	for _, op := range ops {
		texts = append(texts, formatted("guard operation "+op.Path, op)...)
	}
	opsMu.Unlock()

	// The other exported types a caller can reach.
	b := NewMemoryBudget()
	g, err := b.Acquire(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, formatted("grant", g)...)
	g.Release(time.Now())
	set := NewScopeSet(ScopeServersRead, ScopeBackupsRestore)
	texts = append(texts, formatted("scope set", set)...)
	texts = append(texts, formatted("scope", ScopeBackupsRestore)...)
	for k := range numCallKinds {
		texts = append(texts, formatted("request "+k.String(), k.request())...)
	}

	// Errors made before anything is sent.
	c, err := New(testKey, WithBaseURL("http://127.0.0.1:1"), WithScopes(ScopeServersRead),
		WithDestructiveGuard(func(context.Context, Operation) error {
			return errors.New("refused by policy")
		}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/servers", Scope: ScopeServersWrite}, nil)
	texts = append(texts, errorTexts("local missing scope", err)...)
	c2, err := New(testKey, WithBaseURL("http://127.0.0.1:1"), WithDestructiveGuard(func(context.Context, Operation) error {
		return errors.New("refused: a careless guard quoting Bearer " + testKey)
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c2.Do(context.Background(), &Request{Method: "POST", Path: "/backups/bk_1/restore", Scope: ScopeBackupsRestore, Body: restoreBody}, nil)
	if !errors.Is(err, ErrGuardRefused) {
		t.Fatalf("guard: err = %v", err)
	}
	// The guard's own error is the caller's text, reachable with Unwrap as
	// it was given; what the client adds must not repeat the key from it.
	var ge *GuardError
	if !errors.As(err, &ge) {
		t.Fatalf("guard: %v is not a *GuardError", err)
	}
	texts = append(texts, leakText{"guard refusal Error()", err.Error()})
	texts = append(texts, formatted("guard refusal", err)...)
	texts = append(texts, formatted("guard refusal operation", ge.Operation)...)
	for _, bad := range []string{testKey + " ", "Bearer " + testKey, testKey[:10], "rh_" + testKey[3:20] + "!" + testKey[21:]} {
		_, err := New(bad)
		texts = append(texts, errorTexts("New with a bad key", err)...)
		texts = append(texts, errorTexts("RotateKey with a bad key", c.RotateKey(bad))...)
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) < len(results)*int(numCallKinds) {
		t.Errorf("only %d log lines for %d calls: is debug logging on?", len(lines), len(results)*int(numCallKinds))
	}
	if !strings.Contains(logs.String(), `"request_headers"`) || !strings.Contains(logs.String(), "X-Echo-Authorization") {
		t.Error("the logs carry no headers: WithLogHeaders is not exercised")
	}
	for i, line := range lines {
		texts = append(texts, leakText{fmt.Sprintf("log line %d", i+1), line})
	}

	// The servers did echo the key: the check below is not vacuous.
	echoed := 0
	for _, row := range results {
		for _, r := range row {
			if r.resp != nil && r.resp.Header.Get("X-Echo-Authorization") != "" {
				echoed++
			}
		}
	}
	if echoed == 0 {
		t.Fatal("no response echoed the Authorization header")
	}

	leaks := 0
	for _, tx := range texts {
		if strings.Contains(tx.text, testKey) || strings.Contains(tx.text, testKey[3:]) {
			leaks++
			if leaks <= 20 {
				t.Errorf("%s contains the key: %.300s", tx.where, tx.text)
			}
		}
	}
	t.Logf("checked %d texts (%d log lines, %d echoing responses) over %d fault rows × %d calls: %d leaks",
		len(texts), len(lines), echoed, len(cases), numCallKinds, leaks)
}

// echoedErrorCases are the documented error statuses, each echoing the key
// in its body.
func echoedErrorCases() []faultCase {
	body := func(status int, format string) faultCase {
		return faultCase{
			name: fmt.Sprintf("%d echoing the key", status),
			serve: always(func(w http.ResponseWriter, echo string) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				fmt.Fprintf(w, format, echo, echo)
			}),
		}
	}
	return []faultCase{
		body(400, `{"error":"Invalid body %s","details":[{"code":"invalid_type","path":["key"],"message":"bad %s"}]}`),
		body(401, `{"error":"Missing or invalid API key: %s","details":{"key":%q}}`),
		body(403, `{"error":"Missing required scope %s","requiredScope":"backups:restore","yourScopes":[%q]}`),
		body(403, `{"error":"Free plan %s","upgradeUrl":"https://restorehub.net/pricing?k=%s"}`),
		body(404, `{"error":"No such thing for %s","details":{"path":%q}}`),
		body(409, `{"error":"Conflict for %s","details":{"key":%q}}`),
		body(422, `{"error":"Plan limit for %s","details":{"key":%q}}`),
		body(429, `{"error":"Rate limit exceeded for %s","retryAfter":0,"plan":%q}`),
		body(200, `{"id":"srv_1","name":%q,"note":%q}`),
		{
			name: "401 naming the key by its part after rh_",
			serve: always(func(w http.ResponseWriter, echo string) {
				bare := strings.TrimPrefix(echo, "Bearer rh_")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintf(w, `{"error":"Key %s was revoked","details":{"keyId":%q}}`, bare, bare)
			}),
		},
		{
			name: "HTML error page echoing the key",
			serve: always(func(w http.ResponseWriter, echo string) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprintf(w, "<html><head><title>Denied for %s</title></head><body>%s</body></html>", echo, echo)
			}),
		},
		{
			name: "plain text error echoing the key",
			serve: always(func(w http.ResponseWriter, echo string) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprintf(w, "upstream refused token %s", strings.TrimPrefix(echo, "Bearer "))
			}),
		},
	}
}

// leakText is one text to search, and where it came from.
type leakText struct{ where, text string }

// formatted prints v with every verb a caller might use.
func formatted(where string, v any) []leakText {
	var out []leakText
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out = append(out, leakText{where + " " + verb, fmt.Sprintf(verb, v)})
	}
	return out
}

// errorTexts prints err, every error in its chain, and the raw bytes the
// client's error types carry.
func errorTexts(where string, err error) []leakText {
	if err == nil {
		return nil
	}
	var out []leakText
	var walk func(e error, depth int)
	walk = func(e error, depth int) {
		if e == nil || depth > 10 {
			return
		}
		out = append(out, leakText{fmt.Sprintf("%s error[%d] %T Error()", where, depth, e), e.Error()})
		out = append(out, formatted(fmt.Sprintf("%s error[%d] %T", where, depth, e), e)...)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x, depth+1)
			}
		}
	}
	walk(err, 0)
	var ae *APIError
	if errors.As(err, &ae) {
		out = append(out, leakText{where + " APIError.Body", string(ae.Body)}, leakText{where + " APIError.Details", string(ae.Details)},
			leakText{where + " APIError.Message", ae.Message})
		out = append(out, formatted(where+" APIError value", *ae)...)
	}
	var rle *RateLimitError
	if errors.As(err, &rle) {
		out = append(out, formatted(where+" RateLimitError", rle)...)
	}
	var mse *MissingScopeError
	if errors.As(err, &mse) {
		out = append(out, formatted(where+" MissingScopeError", mse)...)
		out = append(out, leakText{where + " Remedy", mse.Remedy()})
	}
	var ure *UpgradeRequiredError
	if errors.As(err, &ure) {
		out = append(out, formatted(where+" UpgradeRequiredError", ure)...)
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		out = append(out, formatted(where+" ValidationError", ve)...)
		for _, is := range ve.Issues {
			out = append(out, formatted(where+" ValidationIssue", is)...)
		}
	}
	var ge *GuardError
	if errors.As(err, &ge) {
		out = append(out, formatted(where+" GuardError", ge)...)
		out = append(out, formatted(where+" GuardError.Operation", ge.Operation)...)
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
