package restorehub

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrInvalidKey is returned (wrapped) by New, NewFromEnv and RotateKey when
// the API key is not of Restore Hub's form. The message never repeats the key.
var ErrInvalidKey = errors.New("restorehub: invalid API key")

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

// keyPattern finds anything that looks like a Restore Hub key in text a
// server or a transport produced, so that even an echoed key is redacted.
var keyPattern = regexp.MustCompile(`rh_[0-9A-Za-z]{6,}`)

// redactedKey replaces every key in logs, errors and formatted values.
const redactedKey = "rh_[REDACTED]"

// redactedBody replaces the client's own key where a server echoed it
// without its "rh_" prefix.
const redactedBody = "[REDACTED]"

// redact removes API keys from s.
func redact(s string) string {
	if !strings.Contains(s, "rh_") {
		return s
	}
	return keyPattern.ReplaceAllLiteralString(s, redactedKey)
}

// redactBytes removes API keys from b, returning b itself when it has none.
func redactBytes(b []byte) []byte {
	if !bytes.Contains(b, []byte("rh_")) {
		return b
	}
	return keyPattern.ReplaceAllLiteral(b, []byte(redactedKey))
}
