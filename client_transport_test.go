package restorehub

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
)

// TestHTTPMockActivate: httpmock's global form, which swaps
// http.DefaultTransport, intercepts a client built without WithHTTPClient,
// before or after New, as it does go-github's default client; the client's
// own redirect policy still applies; and once DeactivateAndReset puts Go's
// transport back, the tuned pool serves again. Not parallel: it replaces a
// global.
func TestHTTPMockActivate(t *testing.T) {
	before := newTestClient(t, DefaultBaseURL, WithMaxRetries(0))
	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	after := newTestClient(t, DefaultBaseURL, WithMaxRetries(0))
	httpmock.RegisterResponder("GET", DefaultBaseURL+"/servers/srv_1",
		httpmock.NewStringResponder(200, `{"id":"srv_1","name":"Pixel Lounge"}`))
	httpmock.RegisterResponder("POST", DefaultBaseURL+"/servers/srv_1/backups",
		func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(http.StatusTemporaryRedirect, "")
			resp.Header.Set("Location", "https://elsewhere.example/steal")
			return resp, nil
		})
	for name, c := range map[string]*Client{"built before Activate": before, "built after Activate": after} {
		srv, err := c.Servers.Get(context.Background(), "srv_1")
		if err != nil || srv.Name != "Pixel Lounge" {
			t.Errorf("%s: Servers.Get = %+v, %v; want the mocked server", name, srv, err)
		}
		_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/servers/srv_1/backups", Body: map[string]any{}}, nil)
		if !errors.Is(err, ErrCrossHostRedirect) {
			t.Errorf("%s: a POST redirected off the API host: err = %v, want ErrCrossHostRedirect", name, err)
		}
	}
	if n := httpmock.GetCallCountInfo()["GET "+DefaultBaseURL+"/servers/srv_1"]; n != 2 {
		t.Errorf("httpmock saw %d GETs, want 2", n)
	}
	httpmock.DeactivateAndReset()
	if defaultTransport() != defaultHTTPClient.Transport {
		t.Error("after DeactivateAndReset the tuned pool does not serve")
	}
	if p := defaultHTTPClient.Transport.(*http.Transport).MaxIdleConnsPerHost; p != 64 {
		t.Errorf("tuned pool keeps %d idle connections per host, want 64", p)
	}
}

// TestDefaultTransportReplacedByAnyType: a replacement of
// http.DefaultTransport that is not comparable (a func type) is used, not
// compared into a panic; nil falls back to the tuned pool.
func TestDefaultTransportReplacedByAnyType(t *testing.T) {
	saved := http.DefaultTransport
	defer func() { http.DefaultTransport = saved }()
	called := false
	http.DefaultTransport = roundTripFunc(func(*http.Request) (*http.Response, error) {
		called = true
		return nil, errors.New("mocked")
	})
	if _, err := defaultTransport().RoundTrip(&http.Request{}); err == nil || !called {
		t.Errorf("the replacement was not used: %v", err)
	}
	http.DefaultTransport = nil
	if defaultTransport() != defaultHTTPClient.Transport {
		t.Error("a nil http.DefaultTransport does not fall back to the tuned pool")
	}
}
