package restorehub

import (
	"fmt"
	"strings"
)

// DashboardAPIKeysURL is the dashboard page where API keys are minted and
// their scopes edited. The docs name the page by its path,
// /dashboard/api-keys, on the restorehub.net site; the host is assumed to be
// the site the docs are served from.
const DashboardAPIKeysURL = "https://restorehub.net/dashboard/api-keys"

// minKeyBody is the least number of base62 characters accepted after "rh_".
// The docs describe keys as "40+ characters of opaque base62" but show an
// example of rh_ plus 34 characters, so the check is deliberately lenient: it
// catches empty, truncated and mis-pasted keys and leaves the rest to the
// server's 401.
const minKeyBody = 16

// checkKey reports what is wrong with key, without quoting it.
func checkKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: the key is empty; pass the rh_… key minted at %s (or set RESTOREHUB_API_KEY)", ErrInvalidKey, DashboardAPIKeysURL)
	case strings.HasPrefix(key, "Bearer "):
		return fmt.Errorf("%w: pass the key alone, without the \"Bearer \" prefix", ErrInvalidKey)
	case strings.TrimSpace(key) != key:
		return fmt.Errorf("%w: the key has leading or trailing white space", ErrInvalidKey)
	case !strings.HasPrefix(key, "rh_"):
		return fmt.Errorf("%w: Restore Hub keys start with \"rh_\" (this %d-character value does not)", ErrInvalidKey, len(key))
	}
	body := key[len("rh_"):]
	for i := 0; i < len(body); i++ {
		if !isBase62(body[i]) {
			return fmt.Errorf("%w: character %d after \"rh_\" is not a letter or digit", ErrInvalidKey, i+1)
		}
	}
	if len(body) < minKeyBody {
		return fmt.Errorf("%w: only %d characters follow \"rh_\"; the key looks truncated", ErrInvalidKey, len(body))
	}
	return nil
}

func isBase62(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
