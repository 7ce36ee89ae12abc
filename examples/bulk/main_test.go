package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
)

// 80 goroutines send 101 requests at 50 per second (every plan allows at
// least 50 per window): the fastest schedule is 50 at once, 50 a second
// later and the last one after another second. Every
// run must get zero 429s; the share must reach 90% in one of three runs,
// since a machine busy with other work can only make a run slower.
func TestBulk(t *testing.T) {
	t.Setenv(restorehub.EnvAPIKey, "")
	best := 0.0
	for attempt := 1; attempt <= 3 && best < 90; attempt++ {
		var out bytes.Buffer
		err := run(t.Context(), []string{"-n", "101", "-workers", "80", "-limit", "50", "-window", "1s"}, &out)
		if err != nil {
			t.Fatalf("run: %v\n%s", err, &out)
		}
		for _, want := range []string{
			"done:        101 requests, 0 failed\n",
			"429s:        0 (counted at the transport)\n",
			"the key allows 50.0 req/s (50 per 1s)",
			"fastest:     2s (",
			"progress: ", // a line a second, since out is not a terminal
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, &out)
			}
		}
		m := regexp.MustCompile(`share: +([0-9.]+)%`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("no share in the output:\n%s", &out)
		}
		share, _ := strconv.ParseFloat(m[1], 64)
		if share > 100.5 {
			t.Fatalf("share = %.1f%%: faster than the window allows\n%s", share, &out)
		}
		t.Logf("run %d: share %.1f%%", attempt, share)
		best = max(best, share)
	}
	if best < 90 {
		t.Errorf("best share %.1f%%, want at least 90%%", best)
	}
}

func TestBulkFlags(t *testing.T) {
	t.Setenv(restorehub.EnvAPIKey, "")
	for _, args := range [][]string{{"-n", "0"}, {"-workers", "-1"}, {"-limit", "0"}, {"-window", "0s"}, {"-bogus"}} {
		if err := run(t.Context(), args, new(bytes.Buffer)); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}
