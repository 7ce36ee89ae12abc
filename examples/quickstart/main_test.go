package main

import (
	"bytes"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
)

func TestQuickstart(t *testing.T) {
	t.Setenv(restorehub.EnvAPIKey, "") // the fake, whatever the environment holds
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	for _, want := range []string{
		"in-process fake",
		"HTTP 200",
		"First page: 2 servers (more: true)",
		"Pixel Lounge", "Night Owls Study Hall", "Retro Racing League",
		`"Pixel Lounge", registered`,
		"1284 members",
		// list, two pages of All, get: four requests of the 100 per 10s.
		"Rate limit: 96 of 100 requests left in a 10s sliding window",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}
