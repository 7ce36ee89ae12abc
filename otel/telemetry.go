package otel

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	gotel "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	restorehub "github.com/restorehub/restorehub-go"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/restorehub/restorehub-go/otel"

// The attributes this package adds beyond the semantic conventions.
const (
	AttrOperation   = attribute.Key("restorehub.operation")
	AttrScope       = attribute.Key("restorehub.scope")
	AttrTier        = attribute.Key("restorehub.tier")
	AttrDestructive = attribute.Key("restorehub.destructive")
	AttrOutcome     = attribute.Key("restorehub.outcome")
	AttrAttempts    = attribute.Key("restorehub.attempts")
	AttrRequestID   = attribute.Key("restorehub.request_id")
	AttrLimit       = attribute.Key("restorehub.ratelimit.limit")
	AttrRemaining   = attribute.Key("restorehub.ratelimit.remaining")
	AttrRetryAfter  = attribute.Key("restorehub.retry_after") // seconds
	AttrRetry       = attribute.Key("restorehub.retry")
	AttrRetryReason = attribute.Key("restorehub.retry.reason")
	AttrWaitCause   = attribute.Key("restorehub.wait.cause")
	AttrWaitRefused = attribute.Key("restorehub.wait.refused")
	AttrAllowed     = attribute.Key("restorehub.allowed")
	AttrStatusClass = attribute.Key("restorehub.status_class")
	AttrTool        = attribute.Key("restorehub.tool")
)

// The metric instruments' names.
const (
	MetricCalls       = "restorehub.client.calls"         // counter: calls by operation, outcome and status class
	MetricRateLimited = "restorehub.client.rate_limited"  // counter: 429 responses by operation
	MetricWait        = "restorehub.client.wait.duration" // histogram, s: waits by cause (budget, ...)
	MetricInFlight    = "restorehub.client.calls.active"  // up-down counter: calls in flight by operation
)

// MinWaitSpan is the shortest wait that gets a span of its own; a refused
// wait always does. Every wait the client reports is recorded in the
// MetricWait histogram, however short. The client reports a wait for the
// budget or the request rate only when there was one (or it was refused),
// and an operation's pace on every call of a paced operation, so only the
// operation_pace distribution includes the calls that did not wait.
const MinWaitSpan = time.Millisecond

// Option configures a Telemetry.
type Option func(*config)

type config struct {
	tp   trace.TracerProvider
	mp   metric.MeterProvider
	prop propagation.TextMapPropagator
}

// WithTracerProvider sets the tracer provider; the default is the global one.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the meter provider; the default is the global one.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithPropagator sets the propagator that writes the trace context on every
// attempt; the default is the global one (otel.GetTextMapPropagator), which
// writes nothing until one is set.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.prop = p }
}

// Telemetry reports a Client's calls and a toolkit's tool calls to
// OpenTelemetry. It is safe for concurrent use; one may serve many clients.
type Telemetry struct {
	tracer   trace.Tracer
	prop     propagation.TextMapPropagator
	calls    metric.Int64Counter
	limited  metric.Int64Counter
	waits    metric.Float64Histogram
	inFlight metric.Int64UpDownCounter
}

// New returns a Telemetry, or an error when a metric instrument cannot be
// made.
func New(opts ...Option) (*Telemetry, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.tp == nil {
		cfg.tp = gotel.GetTracerProvider()
	}
	if cfg.mp == nil {
		cfg.mp = gotel.GetMeterProvider()
	}
	if cfg.prop == nil {
		cfg.prop = gotel.GetTextMapPropagator()
	}
	meter := cfg.mp.Meter(ScopeName)
	t := &Telemetry{tracer: cfg.tp.Tracer(ScopeName), prop: cfg.prop}
	var err error
	if t.calls, err = meter.Int64Counter(MetricCalls, metric.WithUnit("{call}"),
		metric.WithDescription("Calls of the Restore Hub API by operation, outcome and status class.")); err != nil {
		return nil, fmt.Errorf("restorehub/otel: %w", err)
	}
	if t.limited, err = meter.Int64Counter(MetricRateLimited, metric.WithUnit("{response}"),
		metric.WithDescription("429 Too Many Requests responses by operation.")); err != nil {
		return nil, fmt.Errorf("restorehub/otel: %w", err)
	}
	if t.waits, err = meter.Float64Histogram(MetricWait, metric.WithUnit("s"),
		metric.WithDescription("Time calls waited, by cause: the key's budget, the request rate, an operation's pace, a 429's Retry-After, a retry's backoff.")); err != nil {
		return nil, fmt.Errorf("restorehub/otel: %w", err)
	}
	if t.inFlight, err = meter.Int64UpDownCounter(MetricInFlight, metric.WithUnit("{call}"),
		metric.WithDescription("Calls of the Restore Hub API in flight, by operation.")); err != nil {
		return nil, fmt.Errorf("restorehub/otel: %w", err)
	}
	return t, nil
}

// Observer returns the restorehub.Observer that reports to t; give it to
// restorehub.WithObserver.
func (t *Telemetry) Observer() restorehub.Observer {
	return restorehub.Observer{
		OnCallStart:   t.callStart,
		OnCallEnd:     t.callEnd,
		OnAttempt:     t.attempt,
		OnRetry:       t.retry,
		OnWait:        t.wait,
		OnDecision:    t.decision,
		InjectHeaders: t.inject,
	}
}

// call is what the observer keeps of one call, in its context.
type call struct {
	mu      sync.Mutex // the events of a call come in order from one goroutine at a time; the lock is for the race detector's peace and odd observers
	span    trace.Span
	opAttr  attribute.KeyValue
	attempt trace.Span // the last attempt's span, ended by its retry decision
	attEnd  time.Time
	rl      restorehub.RateLimit
}

type callKey struct{}

func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// operationName is a call's operation, or its method for a request that
// matched none.
func operationName(e restorehub.CallStart) string {
	if e.Operation != "" {
		return e.Operation
	}
	return e.Method
}

func (t *Telemetry) callStart(ctx context.Context, e restorehub.CallStart) context.Context {
	op := operationName(e)
	opAttr := AttrOperation.String(op)
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(e.Method),
		semconv.ServerAddress(e.ServerAddress),
		opAttr,
		AttrTier.String(e.Tier.String()),
		AttrDestructive.Bool(e.Destructive),
	}
	if e.PathTemplate != "" {
		attrs = append(attrs, semconv.URLTemplate(e.PathTemplate))
	}
	if e.Scope != "" {
		attrs = append(attrs, AttrScope.String(string(e.Scope)))
	}
	ctx, span := t.tracer.Start(ctx, "restorehub "+op,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(e.Start), trace.WithAttributes(attrs...))
	c := &call{span: span, opAttr: opAttr}
	t.inFlight.Add(ctx, 1, metric.WithAttributes(c.opAttr))
	return context.WithValue(ctx, callKey{}, c)
}

// statusClass is "2xx", "4xx", ... for a status, "none" for no response.
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "none"
	}
	return strconv.Itoa(status/100) + "xx"
}

func (t *Telemetry) callEnd(ctx context.Context, e restorehub.CallEnd) {
	c := callOf(ctx)
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	end := e.Start.Add(e.Duration)
	c.endAttempt(end)
	attrs := []attribute.KeyValue{AttrOutcome.String(e.Outcome), AttrAttempts.Int(e.Attempts)}
	if e.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(e.StatusCode))
	}
	if e.RequestID != "" {
		attrs = append(attrs, AttrRequestID.String(e.RequestID))
	}
	if c.rl.Known() {
		attrs = append(attrs, AttrLimit.Int(c.rl.Limit), AttrRemaining.Int(c.rl.Remaining))
	}
	if e.Outcome != restorehub.OutcomeOK {
		errType := e.Outcome
		if e.StatusCode != 0 {
			errType = strconv.Itoa(e.StatusCode)
		}
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
		c.span.SetStatus(codes.Error, e.Outcome)
	}
	c.span.SetAttributes(attrs...)
	c.span.End(trace.WithTimestamp(end))
	t.inFlight.Add(ctx, -1, metric.WithAttributes(c.opAttr))
	t.calls.Add(ctx, 1, metric.WithAttributes(c.opAttr, AttrOutcome.String(e.Outcome), AttrStatusClass.String(statusClass(e.StatusCode))))
}

// endAttempt ends the open attempt span, if any, at its own end.
func (c *call) endAttempt(fallback time.Time) {
	if c.attempt == nil {
		return
	}
	end := c.attEnd
	if end.IsZero() {
		end = fallback
	}
	c.attempt.End(trace.WithTimestamp(end))
	c.attempt = nil
}

func (t *Telemetry) attempt(ctx context.Context, e restorehub.Attempt) {
	c := callOf(ctx)
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	start := e.Start
	if start.IsZero() { // refused before it was sent
		start = time.Now()
	}
	end := start.Add(e.Duration)
	c.endAttempt(start) // a redirect's earlier hop
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(e.Method),
		semconv.HTTPRequestResendCount(e.Number - 1),
	}
	if e.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(e.StatusCode))
	}
	if e.RateLimit.Known() {
		attrs = append(attrs, AttrLimit.Int(e.RateLimit.Limit), AttrRemaining.Int(e.RateLimit.Remaining))
		c.rl = e.RateLimit
	}
	if e.StatusCode == 429 {
		attrs = append(attrs, AttrRetryAfter.Float64(e.RateLimit.RetryAfter.Seconds()))
		t.limited.Add(ctx, 1, metric.WithAttributes(c.opAttr))
	}
	if e.RequestID != "" {
		attrs = append(attrs, AttrRequestID.String(e.RequestID))
	}
	if e.NotSent {
		attrs = append(attrs, semconv.ErrorTypeKey.String("not_sent"))
	} else if e.Err != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String("transport_error"))
	}
	_, span := t.tracer.Start(trace.ContextWithSpan(ctx, c.span), "restorehub attempt",
		trace.WithSpanKind(trace.SpanKindInternal), trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	if e.Err != "" {
		// Not the error's text: a transport error may quote what a hostile
		// server sent (a malformed header holding a key split by a control
		// character) in a form no redaction recognises.
		span.SetStatus(codes.Error, "transport error")
	} else if e.StatusCode >= 400 {
		span.SetStatus(codes.Error, "")
	}
	c.attempt, c.attEnd = span, end
}

func (t *Telemetry) retry(ctx context.Context, e restorehub.RetryDecision) {
	c := callOf(ctx)
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.attempt == nil {
		return
	}
	c.attempt.SetAttributes(AttrRetry.Bool(e.Retry), AttrRetryReason.String(e.Reason))
	c.endAttempt(time.Now())
}

func (t *Telemetry) wait(ctx context.Context, e restorehub.Wait) {
	cause := AttrWaitCause.String(string(e.Cause))
	c := callOf(ctx)
	var op []attribute.KeyValue
	parent := ctx
	if c != nil {
		op = []attribute.KeyValue{c.opAttr}
		parent = trace.ContextWithSpan(ctx, c.span)
	}
	t.waits.Record(ctx, e.Duration.Seconds(), metric.WithAttributes(append(op, cause)...))
	if e.Duration < MinWaitSpan && !e.Refused {
		return // taking a free slot is not a wait worth a span; the histogram has it
	}
	_, span := t.tracer.Start(parent, "restorehub wait "+string(e.Cause),
		trace.WithTimestamp(e.Start), trace.WithAttributes(cause, AttrWaitRefused.Bool(e.Refused)))
	if e.Refused {
		span.SetStatus(codes.Error, "the wait would be longer than the maximum wait")
	}
	span.End(trace.WithTimestamp(e.Start.Add(e.Duration)))
}

func (t *Telemetry) decision(ctx context.Context, e restorehub.Decision) {
	c := callOf(ctx)
	if c == nil {
		return
	}
	attrs := []attribute.KeyValue{AttrAllowed.Bool(e.Allowed)}
	if e.Scope != "" {
		attrs = append(attrs, AttrScope.String(string(e.Scope)))
	}
	c.span.AddEvent("restorehub."+e.Kind, trace.WithAttributes(attrs...))
}

// inject writes the trace context through set, which cannot set
// Authorization or any other header the client owns.
func (t *Telemetry) inject(ctx context.Context, set func(name, value string)) {
	t.prop.Inject(ctx, setter(set))
}

// setter is a propagation.TextMapCarrier that only writes.
type setter func(name, value string)

func (s setter) Get(string) string      { return "" }
func (s setter) Set(name, value string) { s(name, value) }
func (s setter) Keys() []string         { return nil }

// ToolCall is the agent toolkit's hook: give it to agent.WithToolObserver.
// It starts a span for the tool call, "restorehub tool NAME", with the tool
// and its scope, and returns the context the call runs in (so the client's
// call spans are its children) and the function that ends the span with the
// outcome ("ok", "declined", an API error's, ...) and the status, 0 for
// none. The arguments are never recorded.
func (t *Telemetry) ToolCall(ctx context.Context, tool string, scope restorehub.Scope) (context.Context, func(outcome string, status int)) {
	attrs := []attribute.KeyValue{AttrTool.String(tool)}
	if scope != "" {
		attrs = append(attrs, AttrScope.String(string(scope)))
	}
	ctx, span := t.tracer.Start(ctx, "restorehub tool "+tool, trace.WithAttributes(attrs...))
	return ctx, func(outcome string, status int) {
		span.SetAttributes(AttrOutcome.String(outcome))
		if status != 0 {
			span.SetAttributes(semconv.HTTPResponseStatusCode(status))
		}
		if outcome != "ok" && outcome != "asked" {
			span.SetStatus(codes.Error, outcome)
		}
		span.End()
	}
}
