package restorehub

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// TestOperationPacePerTarget runs in fake time (testing/synctest): the
// pacing of each target is exact.
func TestOperationPacePerTarget(t *testing.T) {
	synctest.Test(t, testOperationPacePerTarget)
}

func testOperationPacePerTarget(t *testing.T) {
	const limit = 5
	interval := 300 * time.Millisecond
	type hit struct {
		at     time.Time
		target string
		n      int
	}
	var mu sync.Mutex
	var hits []hit
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			TargetServerID string   `json:"targetServerId"`
			MemberIDs      []string `json:"memberIds"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		hits = append(hits, hit{time.Now(), body.TargetServerID, len(body.MemberIDs)})
		mu.Unlock()
		writeJSON(w, 200, map[string]string{"status": "queued"})
	})
	op := &resources.OperationSpec{ID: "members.pull", Method: "POST", Path: "/members/pull", Scope: "members:pull", Tier: TierDestructive,
		Pace: &resources.Pace{KeyField: "targetServerId", CountField: "memberIds", Limit: limit, Interval: interval}}
	c := newHandlerClient(t, srv, WithoutPacing())
	pull := func(target string, members ...string) error {
		_, err := c.Do(context.Background(), &Request{Method: "POST", Path: op.Path, Scope: ScopeMembersPull, op: op,
			Body: map[string]any{"targetServerId": target, "memberIds": members}}, nil)
		return err
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(2)
		go func() { defer wg.Done(); _ = pull("srv_a", "m1", "m2") }()
		go func() { defer wg.Done(); _ = pull("srv_b", "m1") }()
	}
	wg.Wait()
	elapsed := time.Since(start)
	// 12 members into srv_a at 5 per window: the last pair waits two windows.
	if elapsed != 2*interval {
		t.Errorf("12 members went out in %s, want exactly %s (the fastest the budget allows)", elapsed, 2*interval)
	}
	for i, h := range hits {
		sum := 0
		for _, o := range hits {
			if o.target == h.target && !o.at.Before(h.at) && o.at.Sub(h.at) < interval {
				sum += o.n
			}
		}
		if sum > limit {
			t.Errorf("hit %d: %d members for %s within one interval, limit %d", i, sum, h.target, limit)
		}
	}
	if err := pull("srv_c", "1", "2", "3", "4", "5", "6"); err == nil {
		t.Error("a pull larger than the whole budget was accepted")
	}
	c2 := newHandlerClient(t, srv, WithoutPacing(), WithMaxWait(10*time.Millisecond))
	for i := range 2 {
		_, err := c2.Do(context.Background(), &Request{Method: "POST", Path: op.Path, op: op, Body: map[string]any{"targetServerId": "srv_d", "memberIds": []string{"1", "2", "3"}}}, nil)
		var rle *RateLimitError
		if i == 0 && err != nil {
			t.Errorf("first pull: %v", err)
		}
		if i == 1 && (!errors.As(err, &rle) || !rle.Local) {
			t.Errorf("second pull: err = %v, want a local RateLimitError (6 members > 5 per interval)", err)
		}
	}
}
