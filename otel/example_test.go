package otel_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	restorehub "github.com/restorehub/restorehub-go"
	rhotel "github.com/restorehub/restorehub-go/otel"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// Example traces one call that waits for the key's budget and then gets a
// 429 and is retried, against the in-process fake: a key allowed 2 requests
// per second, two calls that spend them, and a third call that waits for
// the budget, meets an injected 429 (Retry-After: 1) and succeeds on its
// second attempt. It prints the third call's trace, without timings: the
// budget wait (about 1s), the 429 attempt with its retry reason, the
// Retry-After wait and the attempt that succeeded.
func Example() {
	const key = "rh_OtelExampleFakeKeyForRestoreHub0001"
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(key, restorehub.ScopeAccountRead),
		restorehubtest.WithRateLimit(2, time.Second),
	)
	defer fake.Close()

	// Spans go to an in-memory recorder here; a program would give the
	// SDK's TracerProvider an OTLP exporter instead.
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	tel, err := rhotel.New(rhotel.WithTracerProvider(tp), rhotel.WithPropagator(propagation.TraceContext{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	client, err := restorehub.New(key, restorehub.WithBaseURL(fake.URL()), restorehub.WithObserver(tel.Observer()))
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	for range 2 { // spend the budget
		if _, err := client.Account.Get(ctx); err != nil {
			fmt.Println(err)
			return
		}
	}
	fake.FailNext(1, 429)
	if _, err := client.Account.Get(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("traceparent sent:", strings.HasPrefix(fake.Requests()[3].Header.Get("Traceparent"), "00-"))

	// The third call's span and its children, in the order they began.
	ended := spans.Ended()
	third := ended[len(ended)-1] // a call's span ends after its children
	var children []sdktrace.ReadOnlySpan
	for _, s := range ended {
		if s.Parent().SpanID() == third.SpanContext().SpanID() {
			children = append(children, s)
		}
	}
	sort.SliceStable(children, func(i, j int) bool { return children[i].StartTime().Before(children[j].StartTime()) })
	fmt.Println(third.Name(), show(third.Attributes(), "http.request.method", "url.template", "restorehub.scope", "restorehub.outcome", "restorehub.attempts", "http.response.status_code"))
	for _, s := range children {
		if strings.HasPrefix(s.Name(), "restorehub wait") && s.EndTime().Sub(s.StartTime()) < 10*time.Millisecond {
			continue // a moment's wait, as the budget's window turns, left out so that the output holds on any machine
		}
		fmt.Println("  "+s.Name(), show(s.Attributes(), "restorehub.wait.cause", "http.request.resend_count", "http.response.status_code", "restorehub.ratelimit.limit", "restorehub.retry_after", "restorehub.retry", "restorehub.retry.reason"))
	}
	// Output:
	// traceparent sent: true
	// restorehub account.get http.request.method=GET url.template=/account restorehub.scope=account:read restorehub.outcome=ok restorehub.attempts=2 http.response.status_code=200
	//   restorehub wait budget restorehub.wait.cause=budget
	//   restorehub attempt http.request.resend_count=0 http.response.status_code=429 restorehub.retry_after=1 restorehub.retry=true restorehub.retry.reason=a 429: the request was not acted on
	//   restorehub wait retry_after restorehub.wait.cause=retry_after
	//   restorehub attempt http.request.resend_count=1 http.response.status_code=200 restorehub.ratelimit.limit=2 restorehub.retry=false restorehub.retry.reason=the response is final
}

// show renders the named attributes that are set, in the order named.
func show(attrs []attribute.KeyValue, names ...string) string {
	var out []string
	for _, n := range names {
		for _, a := range attrs {
			if string(a.Key) == n {
				out = append(out, n+"="+a.Value.String())
			}
		}
	}
	return strings.Join(out, " ")
}
