package otel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	restorehub "github.com/restorehub/restorehub-go"
	rhotel "github.com/restorehub/restorehub-go/otel"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

const testKey = "rh_OtelTestKeyForRestoreHubGoSDK00000001"

// harness is a Telemetry over in-memory exporters.
type harness struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	tel    *rhotel.Telemetry
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	tel, err := rhotel.New(rhotel.WithTracerProvider(tp), rhotel.WithMeterProvider(mp), rhotel.WithPropagator(propagation.TraceContext{}))
	if err != nil {
		t.Fatal(err)
	}
	h.tel = tel
	return h
}

func (h *harness) client(t *testing.T, base string, opts ...restorehub.Option) *restorehub.Client {
	t.Helper()
	c, err := restorehub.New(testKey, append([]restorehub.Option{restorehub.WithBaseURL(base), restorehub.WithObserver(h.tel.Observer())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// call returns the one ended span named name, failing unless there is
// exactly one.
func (h *harness) call(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.Name() == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d spans named %q, want 1; spans: %v", len(found), name, names(h.spans.Ended()))
	}
	return found[0]
}

// children returns the names of parent's children, in the order they
// began.
func (h *harness) children(parent sdktrace.ReadOnlySpan) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.Parent().SpanID() == parent.SpanContext().SpanID() {
			out = append(out, s)
		}
	}
	for i := 1; i < len(out); i++ { // insertion sort by start time
		for j := i; j > 0 && out[j].StartTime().Before(out[j-1].StartTime()); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name())
	}
	return out
}

func attr(attrs []attribute.KeyValue, key string) (attribute.Value, bool) {
	for _, a := range attrs {
		if string(a.Key) == key {
			return a.Value, true
		}
	}
	return attribute.Value{}, false
}

func wantAttr(t *testing.T, what string, attrs []attribute.KeyValue, key string, want any) {
	t.Helper()
	v, ok := attr(attrs, key)
	if !ok {
		t.Errorf("%s: no attribute %s in %v", what, key, attrs)
		return
	}
	if got := v.AsInterface(); got != want {
		t.Errorf("%s: %s = %v (%T), want %v (%T)", what, key, got, got, want, want)
	}
}

// metrics collects the metrics; sum returns an int sum's value for the
// data point whose attributes include every one of match.
func (h *harness) metrics(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

func find(rm metricdata.ResourceMetrics, name string) *metricdata.Metrics {
	for _, sm := range rm.ScopeMetrics {
		for i := range sm.Metrics {
			if sm.Metrics[i].Name == name {
				return &sm.Metrics[i]
			}
		}
	}
	return nil
}

func matches(set attribute.Set, match map[string]any) bool {
	for k, want := range match {
		v, ok := set.Value(attribute.Key(k))
		if !ok || v.AsInterface() != want {
			return false
		}
	}
	return true
}

func sum(t *testing.T, rm metricdata.ResourceMetrics, name string, match map[string]any) int64 {
	t.Helper()
	m := find(rm, name)
	if m == nil {
		t.Fatalf("no metric %s", name)
	}
	s, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("metric %s is %T, not an int64 sum", name, m.Data)
	}
	var total int64
	for _, dp := range s.DataPoints {
		if matches(dp.Attributes, match) {
			total += dp.Value
		}
	}
	return total
}

func histCount(t *testing.T, rm metricdata.ResourceMetrics, name string, match map[string]any) (uint64, float64) {
	t.Helper()
	m := find(rm, name)
	if m == nil {
		return 0, 0
	}
	hist, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("metric %s is %T, not a float64 histogram", name, m.Data)
	}
	var n uint64
	var total float64
	for _, dp := range hist.DataPoints {
		if matches(dp.Attributes, match) {
			n += dp.Count
			total += dp.Sum
		}
	}
	return n, total
}

// TestRateLimitedThenRetried: a 429 then a 200 is one call span with two
// attempt spans (the first retried for the 429, with its Retry-After), a
// retry_after wait span, the traceparent of the call's trace on both
// attempts, and the metrics: one call ok/2xx, one 429, a retry_after wait
// recorded, nothing left in flight.
func TestRateLimitedThenRetried(t *testing.T) {
	h := newHarness(t)
	fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeAccountRead))
	defer fake.Close()
	fake.FailNext(1, 429)
	c := h.client(t, fake.URL())
	if _, err := c.Account.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	span := h.call(t, "restorehub account.get")
	if span.SpanKind().String() != "client" {
		t.Errorf("call span kind %s, want client", span.SpanKind())
	}
	wantAttr(t, "call", span.Attributes(), "http.request.method", "GET")
	wantAttr(t, "call", span.Attributes(), "url.template", "/account")
	wantAttr(t, "call", span.Attributes(), "server.address", "127.0.0.1")
	wantAttr(t, "call", span.Attributes(), "restorehub.scope", "account:read")
	wantAttr(t, "call", span.Attributes(), "restorehub.tier", "read")
	wantAttr(t, "call", span.Attributes(), "restorehub.outcome", "ok")
	wantAttr(t, "call", span.Attributes(), "restorehub.attempts", int64(2))
	wantAttr(t, "call", span.Attributes(), "http.response.status_code", int64(200))
	wantAttr(t, "call", span.Attributes(), "restorehub.ratelimit.limit", int64(100))
	if _, ok := attr(span.Attributes(), "restorehub.ratelimit.remaining"); !ok {
		t.Error("call: no remaining budget attribute")
	}
	kids := h.children(span)
	var got []string
	for _, k := range kids {
		got = append(got, k.Name())
	}
	want := []string{"restorehub attempt", "restorehub wait retry_after", "restorehub attempt"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("children %q, want %q", got, want)
	}
	first, wait, second := kids[0], kids[1], kids[2]
	wantAttr(t, "attempt 1", first.Attributes(), "http.response.status_code", int64(429))
	wantAttr(t, "attempt 1", first.Attributes(), "http.request.resend_count", int64(0))
	wantAttr(t, "attempt 1", first.Attributes(), "restorehub.retry_after", 1.0)
	wantAttr(t, "attempt 1", first.Attributes(), "restorehub.retry", true)
	wantAttr(t, "attempt 1", first.Attributes(), "restorehub.retry.reason", "a 429: the request was not acted on")
	wantAttr(t, "attempt 2", second.Attributes(), "http.request.resend_count", int64(1))
	wantAttr(t, "attempt 2", second.Attributes(), "restorehub.retry", false)
	wantAttr(t, "wait", wait.Attributes(), "restorehub.wait.cause", "retry_after")
	if d := wait.EndTime().Sub(wait.StartTime()); d < time.Second {
		t.Errorf("retry_after wait lasted %s, want at least the 1s Retry-After", d)
	}
	for i, r := range fake.Requests() {
		tp := r.Header.Get("Traceparent")
		if !strings.Contains(tp, span.SpanContext().TraceID().String()) {
			t.Errorf("request %d traceparent %q does not carry the call's trace %s", i, tp, span.SpanContext().TraceID())
		}
		if r.Header.Get("Authorization") == "" {
			t.Errorf("request %d lost its Authorization", i)
		}
	}

	rm := h.metrics(t)
	if n := sum(t, rm, rhotel.MetricCalls, map[string]any{"restorehub.operation": "account.get", "restorehub.outcome": "ok", "restorehub.status_class": "2xx"}); n != 1 {
		t.Errorf("calls ok/2xx = %d, want 1", n)
	}
	if n := sum(t, rm, rhotel.MetricRateLimited, map[string]any{"restorehub.operation": "account.get"}); n != 1 {
		t.Errorf("429s = %d, want 1", n)
	}
	if n := sum(t, rm, rhotel.MetricInFlight, nil); n != 0 {
		t.Errorf("calls in flight = %d after the call, want 0", n)
	}
	if n, total := histCount(t, rm, rhotel.MetricWait, map[string]any{"restorehub.wait.cause": "retry_after"}); n != 1 || total < 1 {
		t.Errorf("retry_after waits: %d totalling %gs, want 1 of at least 1s", n, total)
	}
}

// TestBudgetWait: a call that waits for the key's budget has a budget wait
// span, and the wait histogram records it by cause.
func TestBudgetWait(t *testing.T) {
	h := newHarness(t)
	fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeAccountRead), restorehubtest.WithRateLimit(1, time.Second))
	defer fake.Close()
	c := h.client(t, fake.URL())
	for range 2 {
		if _, err := c.Account.Get(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var waits []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.Name() == "restorehub wait budget" {
			waits = append(waits, s)
		}
	}
	if len(waits) != 1 {
		t.Fatalf("%d budget wait spans, want 1 (the second call's): %v", len(waits), names(h.spans.Ended()))
	}
	if d := waits[0].EndTime().Sub(waits[0].StartTime()); d < 500*time.Millisecond {
		t.Errorf("budget wait %s, want most of the 1s window", d)
	}
	if n, total := histCount(t, h.metrics(t), rhotel.MetricWait, map[string]any{"restorehub.wait.cause": "budget", "restorehub.operation": "account.get"}); n != 2 || total < 0.5 {
		t.Errorf("budget waits: %d totalling %gs, want 2 (one per call, the first next to nothing) totalling most of 1s", n, total)
	}
}

// TestPacedCall: a member pull goes through the operation's pace; a second
// pull beyond the 50-a-minute budget, with a short maximum wait, is refused
// before sending: its pace wait span says refused and the call's outcome is
// refused.
func TestPacedCall(t *testing.T) {
	h := newHarness(t)
	fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeMembersPull))
	defer fake.Close()
	c := h.client(t, fake.URL())
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = "m" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	ctx := context.Background()
	_, _ = c.Members.Pull(ctx, &resources.MemberPullRequest{TargetServerID: "s1", MemberIDs: ids}) // the fake's answer does not matter: the pace counts it
	sentBefore := len(fake.Requests())
	_, err := c.Members.Pull(ctx, &resources.MemberPullRequest{TargetServerID: "s1", MemberIDs: []string{"one-more"}}, restorehub.WithCallMaxWait(20*time.Millisecond))
	if !restorehub.NotSent(err) {
		t.Fatalf("second pull: %v, want a local refusal", err)
	}
	if len(fake.Requests()) != sentBefore {
		t.Fatal("the refused pull was sent")
	}
	var paced []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.Name() == "restorehub wait operation_pace" {
			paced = append(paced, s)
		}
	}
	if len(paced) != 1 {
		t.Fatalf("%d pace wait spans, want the refused pull's only (the first took its budget at once): %v", len(paced), names(h.spans.Ended()))
	}
	wantAttr(t, "refused pace wait", paced[0].Attributes(), "restorehub.wait.refused", true)
	var calls []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.Name() == "restorehub members.pull" {
			calls = append(calls, s)
		}
	}
	if len(calls) != 2 {
		t.Fatalf("%d members.pull spans, want 2", len(calls))
	}
	wantAttr(t, "refused pull", calls[1].Attributes(), "restorehub.outcome", "refused")
	wantAttr(t, "refused pull", calls[1].Attributes(), "restorehub.attempts", int64(0))
	wantAttr(t, "refused pull", calls[1].Attributes(), "restorehub.destructive", true)
	if calls[1].Status().Code != codes.Error {
		t.Errorf("refused pull span status %v, want Error", calls[1].Status())
	}
	if paced[0].Parent().SpanID() != calls[1].SpanContext().SpanID() {
		t.Error("the pace wait is not a child of its call")
	}
	rm := h.metrics(t)
	if n := sum(t, rm, rhotel.MetricCalls, map[string]any{"restorehub.operation": "members.pull", "restorehub.outcome": "refused", "restorehub.status_class": "none"}); n != 1 {
		t.Errorf("refused pulls counted %d, want 1", n)
	}
	if n, _ := histCount(t, rm, rhotel.MetricWait, map[string]any{"restorehub.wait.cause": "operation_pace"}); n != 2 {
		t.Errorf("pace waits recorded %d, want one per pull (2)", n)
	}
}

// TestGuardRefusal: a restore the guard turns down is a call span with a
// guard event (allowed false), outcome refused, and no attempt.
func TestGuardRefusal(t *testing.T) {
	h := newHarness(t)
	fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeBackupsRestore))
	defer fake.Close()
	c := h.client(t, fake.URL(), restorehub.WithDestructiveGuard(func(context.Context, restorehub.Operation) error {
		return errors.New("not today")
	}))
	_, err := c.Backups.Restore(context.Background(), "b1", &resources.BackupRestore{})
	if !errors.Is(err, restorehub.ErrGuardRefused) {
		t.Fatalf("err = %v, want a guard refusal", err)
	}
	span := h.call(t, "restorehub backups.restore")
	wantAttr(t, "call", span.Attributes(), "restorehub.outcome", "refused")
	wantAttr(t, "call", span.Attributes(), "error.type", "refused")
	wantAttr(t, "call", span.Attributes(), "restorehub.destructive", true)
	wantAttr(t, "call", span.Attributes(), "restorehub.tier", "destructive")
	if kids := h.children(span); len(kids) != 0 {
		t.Errorf("a refused call has children %v", names(kids))
	}
	ev := span.Events()
	if len(ev) != 1 || ev[0].Name != "restorehub.guard" {
		t.Fatalf("events %v, want one restorehub.guard", ev)
	}
	wantAttr(t, "guard event", ev[0].Attributes, "restorehub.allowed", false)
	wantAttr(t, "guard event", ev[0].Attributes, "restorehub.scope", "backups:restore")
	if len(fake.Requests()) != 0 {
		t.Error("the refused restore was sent")
	}
}

// TestMissingScopePreflight: WithScopes refusing a call is a scope event
// (allowed false) on a refused call span; an allowed call's event says
// allowed.
func TestMissingScopePreflight(t *testing.T) {
	h := newHarness(t)
	fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeAccountRead))
	defer fake.Close()
	c := h.client(t, fake.URL(), restorehub.WithScopes(restorehub.ScopeAccountRead))
	_, err := c.Servers.List(context.Background(), nil)
	var mse *restorehub.MissingScopeError
	if !errors.As(err, &mse) {
		t.Fatalf("err = %v, want a MissingScopeError", err)
	}
	if _, err := c.Account.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	refused := h.call(t, "restorehub servers.list")
	wantAttr(t, "refused", refused.Attributes(), "restorehub.outcome", "refused")
	if ev := refused.Events(); len(ev) != 1 || ev[0].Name != "restorehub.scope" {
		t.Fatalf("events %v, want one restorehub.scope", ev)
	} else {
		wantAttr(t, "scope event", ev[0].Attributes, "restorehub.allowed", false)
		wantAttr(t, "scope event", ev[0].Attributes, "restorehub.scope", "servers:read")
	}
	allowed := h.call(t, "restorehub account.get")
	if ev := allowed.Events(); len(ev) != 1 || ev[0].Name != "restorehub.scope" {
		t.Fatalf("events %v, want one restorehub.scope", ev)
	} else {
		wantAttr(t, "scope event", ev[0].Attributes, "restorehub.allowed", true)
	}
}

// TestToolCallSpan: Telemetry.ToolCall makes a span with the tool, scope
// and outcome, parent of the client's call spans made in its context.
func TestToolCallSpan(t *testing.T) {
	h := newHarness(t)
	fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeAccountRead))
	defer fake.Close()
	c := h.client(t, fake.URL())
	ctx, done := h.tel.ToolCall(context.Background(), "account_get", restorehub.ScopeAccountRead)
	if _, err := c.Account.Get(ctx); err != nil {
		t.Fatal(err)
	}
	done("ok", 200)
	tool := h.call(t, "restorehub tool account_get")
	wantAttr(t, "tool", tool.Attributes(), "restorehub.tool", "account_get")
	wantAttr(t, "tool", tool.Attributes(), "restorehub.scope", "account:read")
	wantAttr(t, "tool", tool.Attributes(), "restorehub.outcome", "ok")
	call := h.call(t, "restorehub account.get")
	if call.Parent().SpanID() != tool.SpanContext().SpanID() {
		t.Error("the client's call span is not a child of the tool call's")
	}
	_, done = h.tel.ToolCall(context.Background(), "backups_restore", restorehub.ScopeBackupsRestore)
	done("declined", 0)
	if s := h.call(t, "restorehub tool backups_restore"); s.Status().Code != codes.Error {
		t.Errorf("declined tool call status %v, want Error", s.Status())
	}
}

// TestKeyNeverRecorded: a hostile server echoes the key (with and without
// its prefix, percent-encoded, split by control characters) in every header
// it can, the request ID included, and in the body, and answers 429 then
// 403; no span name, attribute, event, status or metric attribute holds
// the key.
func TestKeyNeverRecorded(t *testing.T) {
	body := strings.TrimPrefix(testKey, "rh_")
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		h := w.Header()
		h.Set("X-Request-Id", "req-"+body+"-"+testKey)
		h.Set("X-Echo", r.Header.Get("Authorization"))
		h.Set("X-Body", body)
		h.Set("Set-Cookie", "k="+testKey)
		h.Set("X-RateLimit-Limit", "100")
		h.Set("X-RateLimit-Remaining", "99")
		h.Set("X-RateLimit-Window", "10s")
		h.Set("Content-Type", "application/json")
		if n == 1 {
			h.Set("Retry-After", "0")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"error":"` + testKey + `","details":{"k":"` + body + `"}}`))
			return
		}
		w.WriteHeader(403)
		_, _ = w.Write([]byte(`{"error":"Missing required scope: ` + testKey + `","details":{"requiredScope":"` + body + `"}}`))
	}))
	defer srv.Close()
	h := newHarness(t)
	c := h.client(t, srv.URL+"/api/v1")
	_, err := c.Do(context.Background(), &restorehub.Request{Path: "/account/" + testKey}, nil)
	if err == nil {
		t.Fatal("a 403 returned no error")
	}
	if strings.Contains(err.Error(), body) {
		t.Fatalf("the error carries the key: %v", err)
	}
	check := func(where, s string) {
		t.Helper()
		if strings.Contains(s, body) || strings.Contains(s, body[10:]) {
			t.Errorf("%s holds the key: %q", where, s)
		}
	}
	spans := h.spans.Ended()
	if len(spans) < 3 {
		t.Fatalf("only %d spans: %v", len(spans), names(spans))
	}
	for _, s := range spans {
		check("span name", s.Name())
		check("status", s.Status().Description)
		for _, a := range s.Attributes() {
			check("attribute "+string(a.Key), a.Value.String())
		}
		for _, e := range s.Events() {
			check("event", e.Name)
			for _, a := range e.Attributes {
				check("event attribute "+string(a.Key), a.Value.String())
			}
		}
	}
	rm := h.metrics(t)
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			var sets []attribute.Set
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
				}
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
				}
			}
			for _, set := range sets {
				for _, a := range set.ToSlice() {
					check("metric "+m.Name+" attribute "+string(a.Key), a.Value.String())
				}
			}
		}
	}
	// The request ID was kept, with the key removed.
	span := h.call(t, "restorehub GET")
	id, ok := attr(span.Attributes(), "restorehub.request_id")
	if !ok || !strings.Contains(id.AsString(), "[REDACTED]") {
		t.Errorf("request id attribute %v, want the key redacted", id.String())
	}
}
