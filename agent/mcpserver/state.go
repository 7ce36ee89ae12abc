package mcpserver

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// processCaller is the caller of every request that carries no
// authenticated principal: standard input and output, or HTTP on a
// loopback address without authentication. They are one caller, the
// process's user.
const processCaller = "process"

// callerOf is who makes req: the authenticated principal of an HTTP
// request (the UserID of the verified bearer token), or processCaller. A
// verified token without a UserID is one shared principal, "token:".
// Nothing is keyed on a transport session: protocol 2026-07-28 has none,
// and on older versions a session ID is no credential.
func callerOf(req *mcp.CallToolRequest) string {
	if req == nil || req.Extra == nil || req.Extra.TokenInfo == nil {
		return processCaller
	}
	return "token:" + req.Extra.TokenInfo.UserID
}

// stateAAD binds a sealed requestState to its purpose and format.
const stateAAD = "restorehub-mcp requestState v1"

// sealedState is what a requestState holds: the pending question it
// names, and what the answer must match. The client sees only the sealed,
// authenticated ciphertext: it can neither read nor forge it.
type sealedState struct {
	ID      string `json:"i"` // the pendingStore entry: single use
	Tool    string `json:"t"`
	Digest  string `json:"d"` // SHA-256 of the compact JSON arguments
	Caller  string `json:"c"`
	Expires int64  `json:"e"` // Unix nanoseconds
}

// sealer seals and opens requestStates with AES-256-GCM under a random key
// made when the server is made: a state from another process, or from
// before a restart, does not open.
type sealer struct{ aead cipher.AEAD }

func newSealer() (*sealer, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("no randomness for the requestState key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

// seal returns st as an opaque, URL-safe requestState.
func (s *sealer) seal(st sealedState) (string, error) {
	if s == nil {
		return "", errors.New("no key to seal the confirmation with")
	}
	plain, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("no randomness for the requestState: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(stateAAD))), nil
}

// errBadState is any requestState that does not open: forged, altered,
// from another process, or not ours at all.
var errBadState = errors.New("requestState does not open")

// maxStateLen bounds the requestState opened, far above what seal makes.
const maxStateLen = 4096

// open returns the state sealed in s.
func (s *sealer) open(state string) (sealedState, error) {
	var st sealedState
	if s == nil || len(state) > maxStateLen {
		return st, errBadState
	}
	raw, err := base64.RawURLEncoding.DecodeString(state)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return st, errBadState
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(stateAAD))
	if err != nil {
		return st, errBadState
	}
	if err := json.Unmarshal(plain, &st); err != nil {
		return st, errBadState
	}
	return st, nil
}

// argsDigest is the hex SHA-256 of the compact JSON arguments.
func argsDigest(args []byte) string {
	sum := sha256.Sum256(compactJSON(args))
	return hex.EncodeToString(sum[:])
}

// expired reports whether st is past its expiry at now.
func (st sealedState) expired(now time.Time) bool { return !now.Before(time.Unix(0, st.Expires)) }
