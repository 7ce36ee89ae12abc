package restorehubtest_test

import (
	"fmt"
	"io"
	"net/http"

	"github.com/jarcoal/httpmock"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// Example starts a fake with two narrow keys and calls it with plain
// net/http: the key holding account:read may read the account, the other
// one is refused with the scope it lacks, and a request without a key is
// turned away.
func Example() {
	const (
		accountKey = "rh_example_account_reader_00000000000000"
		serversKey = "rh_example_servers_reader_00000000000000"
	)
	srv := restorehubtest.NewServer(
		restorehubtest.WithKey(accountKey, restorehub.ScopeAccountRead),
		restorehubtest.WithKey(serversKey, restorehub.ScopeServersRead),
	)
	defer srv.Close()

	call := func(key string) {
		req, _ := http.NewRequest("GET", srv.URL()+"/account", nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode)
		if rem := resp.Header.Get("X-RateLimit-Remaining"); rem != "" {
			fmt.Println("  remaining:", rem, "of", resp.Header.Get("X-RateLimit-Limit"), "per", resp.Header.Get("X-RateLimit-Window"))
		}
		if resp.StatusCode != http.StatusOK {
			fmt.Println(" ", string(body))
		}
	}
	call(accountKey)
	call(serversKey)
	call("")
	fmt.Println("requests seen:", len(srv.Requests()), "for", srv.Count("account.get"), "account.get")
	// Output:
	// 200
	//   remaining: 99 of 100 per 10s
	// 403
	//   remaining: 99 of 100 per 10s
	//   {"error":"Missing required scope: account:read","requiredScope":"account:read","yourScopes":["servers:read"]}
	// 401
	//   {"error":"Missing or invalid API key."}
	// requests seen: 3 for 3 account.get
}

// ExampleServer_Responder serves a client mocked with httpmock: the client
// keeps the real base URL and never opens a connection.
func ExampleServer_Responder() {
	srv := restorehubtest.NewServer(restorehubtest.WithKey("rh_example_key_0000000000000000000000000", restorehub.ScopeAll))
	defer srv.Close()

	client := &http.Client{}
	httpmock.ActivateNonDefault(client)
	defer httpmock.DeactivateNonDefault(client)
	httpmock.RegisterNoResponder(srv.Responder())

	srv.FailNext(1, http.StatusServiceUnavailable)
	for range 2 {
		req, _ := http.NewRequest("GET", "https://api.restorehub.net/api/v1/account", nil)
		req.Header.Set("Authorization", "Bearer rh_example_key_0000000000000000000000000")
		resp, err := client.Do(req)
		if err != nil {
			fmt.Println(err)
			continue
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	fmt.Println("account.get seen", srv.Count("account.get"), "times")
	// Output:
	// 503
	// 200
	// account.get seen 2 times
}
