package restorehubtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

const exampleKey = "rh_exampleVirtualTime00000000000000000000"

// thousandCallsInVirtualTime is a user's test body that keeps the
// documented limit, 100 requests per 10 s: run it in a testing/synctest
// bubble, from a test function such as
//
//	func TestThousandCalls(t *testing.T) { synctest.Test(t, thousandCallsInVirtualTime) }
//
// The server and the client are made inside the bubble, and the server is
// reached in memory, so the client's pacing waits on the bubble's fake
// clock: 1,000 calls take 90 s of virtual time (the window is enforced,
// without one 429) and about no wall time.
func thousandCallsInVirtualTime(t *testing.T) {
	srv := restorehubtest.NewMemoryServer(restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead))
	defer srv.Close()
	client, err := restorehub.New(exampleKey,
		restorehub.WithBaseURL(srv.URL()), restorehub.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now() // the bubble's clock
	for i := range 1000 {
		if _, err := client.Account.Get(context.Background()); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if took := time.Since(start); took != 90*time.Second {
		t.Errorf("1,000 calls took %s of virtual time, want 90s (100 per 10s)", took)
	}
	if n := srv.RateLimited(); n != 0 {
		t.Errorf("%d requests got a 429", n)
	}
}

// Example_withoutRateLimit switches the fake's limit off. The fake then
// sends no X-RateLimit-* headers, as a mock that knows nothing of rate
// limits, and the client paces on 429s only: 1,000 calls need no bubble.
// For the documented limit in virtual time, see thousandCallsInVirtualTime
// above.
func Example_withoutRateLimit() {
	srv := restorehubtest.NewMemoryServer(
		restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead),
		restorehubtest.WithoutRateLimit(),
	)
	defer srv.Close()
	client, err := restorehub.New(exampleKey,
		restorehub.WithBaseURL(srv.URL()), restorehub.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("before the first response:", client.BudgetState())
	for range 1000 {
		if _, err := client.Account.Get(context.Background()); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("calls:", srv.Count("account.get"), "429s:", srv.RateLimited())
	fmt.Println("budget:", client.BudgetState())
	// Output:
	// before the first response: floor
	// calls: 1000 429s: 0
	// budget: unknown, paced on 429s only
}
