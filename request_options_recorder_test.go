package restorehub

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
)

// This test names the project spec's services, so it lives with the root
// package's tests rather than in resources, whose tests hold for any spec.

// TestRecorderSeesOptions checks that options reach the Backend: the
// Recorder records what they set, and an option's error stops the call.
func TestRecorderSeesOptions(t *testing.T) {
	ctx := context.Background()
	rec := &resourcestest.Recorder{}
	s := resources.NewServices(rec)
	var hooked int
	hook := func(cfg *resources.RequestConfig) {
		cfg.OnResponse = append(cfg.OnResponse, func(any) { hooked++ })
	}
	if _, err := s.Servers.Get(ctx, "s1", resources.WithHeader("X-Trace", "t1"), resources.WithCallMaxWait(time.Second), hook); err != nil {
		t.Fatal(err)
	}
	for range s.Servers.All(ctx, nil, resources.WithHeader("X-Trace", "t2")) {
	}
	calls := rec.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls recorded, want 2", len(calls))
	}
	if got := calls[0].Options.Header.Get("X-Trace"); got != "t1" || calls[0].Options.MaxWait != time.Second {
		t.Errorf("first call options = %+v", calls[0].Options)
	}
	if got := calls[1].Options.Header.Get("X-Trace"); got != "t2" {
		t.Errorf("iterator page options = %+v, want the header", calls[1].Options)
	}
	if hooked != 1 {
		t.Errorf("OnResponse ran %d times, want 1", hooked)
	}
	rec.Reset()
	if _, err := s.Servers.Get(ctx, "s1", resources.WithHeader(http.CanonicalHeaderKey("authorization"), "x")); err == nil {
		t.Error("an Authorization override was accepted")
	}
	if n := len(rec.Calls()); n != 0 {
		t.Errorf("%d calls recorded after a refused option, want 0", n)
	}
}
