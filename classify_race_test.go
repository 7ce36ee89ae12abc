package restorehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestCopiesUnderConcurrentWriters: careless callers in several goroutines
// write to everything Operations, LookupOperation, Classify and
// ClassifyOperation hand them, while a client classifies and guards
// destructive calls in others. Under -race (the README's test command) a
// copy that shared memory with the table the client reads is a reported
// race; in any build, the table's classification must come out as it went
// in, and the guard must see every destructive call as destructive.
func TestCopiesUnderConcurrentWriters(t *testing.T) {
	var destructive *resources.OperationSpec
	for _, op := range resources.Operations() {
		if op.Tier == TierDestructive && !strings.Contains(op.Path, "{") {
			destructive = &op
			break
		}
	}
	if destructive == nil {
		t.Skip("the table has no destructive operation without path parameters")
	}
	classes := func() string {
		var b strings.Builder
		for _, op := range resources.Operations() {
			c := Classify(op.Method, op.Path, "")
			fmt.Fprintf(&b, "%s %s %s %t %v %+v\n", op.ID, c.Tier, c.Scope, c.Destructive, c.AcceptedScopes, deref(c.Spec))
		}
		return b.String()
	}
	before := classes()

	var guarded, notDestructive atomic.Int32
	refused := errors.New("refused by the test's guard")
	c, err := New(testKey, WithBaseURL("http://127.0.0.1:1"), WithDestructiveGuard(func(_ context.Context, op Operation) error {
		guarded.Add(1)
		if op.ID != destructive.ID || op.Tier != TierDestructive {
			notDestructive.Add(1)
		}
		return refused
	}))
	if err != nil {
		t.Fatal(err)
	}
	scribble := func(op *resources.OperationSpec) {
		op.Tier, op.Scope, op.Method = TierRead, ScopeServersRead, http.MethodGet
		for i := range op.AcceptedScopes {
			op.AcceptedScopes[i] = ScopeAll
		}
		if op.Pace != nil {
			op.Pace.Limit = 1 << 30
		}
		if op.List != nil {
			op.List.Items = "scribbled"
			for i := range op.List.Filters {
				op.List.Filters[i].Name = "scribbled"
			}
		}
	}
	const writers, senders, rounds = 4, 4, 20
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range rounds {
				for _, op := range resources.Operations() {
					scribble(&op)
					if looked, ok := resources.LookupOperation(op.ID); ok {
						scribble(&looked)
					}
					if cl, ok := ClassifyOperation(op.ID); ok && cl.Spec != nil {
						scribble(cl.Spec)
						for i := range cl.AcceptedScopes {
							cl.AcceptedScopes[i] = ScopeAll
						}
					}
				}
				cl := Classify(destructive.Method, destructive.Path, "")
				scribble(cl.Spec)
			}
		})
	}
	for range senders {
		wg.Go(func() {
			for range rounds {
				_, err := c.Do(context.Background(), &Request{Method: destructive.Method, Path: destructive.Path}, nil)
				var ge *GuardError
				if !errors.As(err, &ge) {
					t.Errorf("%s %s: err = %v, want the guard's refusal", destructive.Method, destructive.Path, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := guarded.Load(); got != senders*rounds {
		t.Errorf("the guard saw %d destructive calls, want %d", got, senders*rounds)
	}
	if n := notDestructive.Load(); n != 0 {
		t.Errorf("the guard saw %d calls that were not %s as destructive", n, destructive.ID)
	}
	if after := classes(); after != before {
		t.Errorf("writing to the copies callers were handed changed how the table classifies requests:\n%s", lineDiff(before, after))
	}
}

// deref spells out what a Spec points to, which %+v would print as
// addresses.
func deref(s *resources.OperationSpec) string {
	if s == nil {
		return "<nil>"
	}
	v := *s
	v.Pace, v.List = nil, nil
	out := fmt.Sprintf("%+v", v)
	if s.Pace != nil {
		out += fmt.Sprintf(" pace %+v", *s.Pace)
	}
	if s.List != nil {
		out += fmt.Sprintf(" list %+v", *s.List)
	}
	return out
}

// lineDiff lists the lines of b that a lacks.
func lineDiff(a, b string) string {
	seen := map[string]bool{}
	for l := range strings.Lines(a) {
		seen[l] = true
	}
	var out strings.Builder
	for l := range strings.Lines(b) {
		if !seen[l] {
			out.WriteString(l)
		}
	}
	return out.String()
}
