package restorehubtest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// UpgradeURL is the upgradeUrl the fake puts in 429 and Free-plan 403 bodies,
// as Restore Hub documents it.
const UpgradeURL = "https://restorehub.net/pricing"

// unauthorizedMessage is the documented 401 body's error text.
const unauthorizedMessage = "Missing or invalid API key."

// envelope is the documented error envelope.
type envelope struct {
	Error   string `json:"error"`
	Details any    `json:"details,omitempty"`
}

// missingScopeBody is the documented 403 missing-scope body.
type missingScopeBody struct {
	Error         string   `json:"error"`
	RequiredScope string   `json:"requiredScope"`
	YourScopes    []string `json:"yourScopes"`
}

// planBody is the Free-plan 403 body.
type planBody struct {
	Error      string `json:"error"`
	Plan       string `json:"plan"`
	UpgradeURL string `json:"upgradeUrl"`
}

// rateLimitBody is the documented 429 body.
type rateLimitBody struct {
	Error      string `json:"error"`
	Limit      int    `json:"limit"`
	Window     string `json:"window"`
	RetryAfter int    `json:"retryAfter"`
	Plan       string `json:"plan"`
	UpgradeURL string `json:"upgradeUrl"`
}

// paceBody is the 429 body of an operation's own budget, such as the
// member-pull budget.
type paceBody struct {
	Error      string         `json:"error"`
	Limit      int            `json:"limit"`
	Window     string         `json:"window"`
	RetryAfter int            `json:"retryAfter"`
	Details    map[string]any `json:"details"`
}

// reply is a response the fake decided on, before it is written to a
// connection or handed to httpmock.
type reply struct {
	status int
	header http.Header
	body   []byte
	// fault, when not "", says how the reply breaks the connection:
	// FaultReset sends nothing, FaultTruncate declares declared bytes of
	// body but sends only body.
	fault    FaultKind
	declared int
}

// jsonReply returns a reply with status and v encoded as JSON, carrying
// the headers in h (which may be nil).
func jsonReply(status int, h http.Header, v any) *reply {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(envelope{Error: "restorehubtest: cannot encode response: " + err.Error()})
		status = http.StatusInternalServerError
	}
	if h == nil {
		h = make(http.Header)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	return &reply{status: status, header: h, body: b}
}

// errorReply returns the error envelope with message and details.
func errorReply(status int, h http.Header, message string, details any) *reply {
	return jsonReply(status, h, envelope{Error: message, Details: details})
}

// emptyReply returns a reply without a body, such as a 204.
func emptyReply(status int, h http.Header) *reply {
	if h == nil {
		h = make(http.Header)
	}
	return &reply{status: status, header: h}
}
