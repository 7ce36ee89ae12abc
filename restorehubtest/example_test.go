package restorehubtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/jarcoal/httpmock"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
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

// ExampleServer_Responder serves a typed client whose transport httpmock
// replaces: the client keeps the real base URL and never opens a
// connection, yet meets the fake's keys, rate limit, store and faults.
func ExampleServer_Responder() {
	const key = "rh_ExampleKey00000000000000000000000000"
	srv := restorehubtest.NewServer(restorehubtest.WithKey(key, restorehub.ScopeAll))
	defer srv.Close()

	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateNonDefault(hc)
	httpmock.RegisterNoResponder(srv.Responder())

	client, err := restorehub.New(key, restorehub.WithHTTPClient(hc), restorehub.WithMaxRetries(0))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := srv.Seed(resources.Server{ID: "srv_1", Name: "Pixel Lounge", GuildID: "412290157281476608"}); err != nil {
		fmt.Println(err)
		return
	}
	srv.FailNext(1, http.StatusServiceUnavailable)
	for range 2 {
		s, err := client.Servers.Get(context.Background(), "srv_1")
		if err != nil {
			fmt.Println("error:", errors.Is(err, restorehub.ErrServer))
			continue
		}
		fmt.Println(s.Name)
	}
	fmt.Println("servers.get seen", srv.Count("servers.get"), "times")
	// Output:
	// error: true
	// Pixel Lounge
	// servers.get seen 2 times
}

// ExampleServer_Seed stores typed entities and lists them with a filter:
// the fake honours backups.list's serverId as the API does.
func ExampleServer_Seed() {
	const key = "rh_ExampleKey00000000000000000000000000"
	srv := restorehubtest.NewServer(restorehubtest.WithKey(key, restorehub.ScopeBackupsRead))
	defer srv.Close()
	if _, err := srv.Seed(
		resources.Backup{ID: "bk_1", ServerID: "srv_1", Status: resources.BackupStatusCompleted},
		resources.Backup{ID: "bk_2", ServerID: "srv_2", Status: resources.BackupStatusCompleted},
		resources.Backup{ID: "bk_3", ServerID: "srv_1", Status: resources.BackupStatusFailed},
	); err != nil {
		fmt.Println(err)
		return
	}
	client, err := restorehub.New(key, restorehub.WithBaseURL(srv.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	server := "srv_1"
	for b, err := range client.Backups.All(context.Background(), &resources.BackupsListParams{ServerID: &server}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.ID, b.Status)
	}
	// Output:
	// bk_1 completed
	// bk_3 failed
}

// ExampleErrorResponder scripts the documented 403 missing-scope answer
// with httpmock alone, no fake server: the client reads it as a
// *restorehub.MissingScopeError.
func ExampleErrorResponder() {
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateNonDefault(hc)
	httpmock.RegisterResponder("POST", "https://api.restorehub.net/api/v1/backups/bk_1/restore",
		restorehubtest.ErrorResponder(http.StatusForbidden,
			restorehubtest.MissingScopeBody(restorehub.ScopeBackupsRestore, restorehub.ScopeServersRead, restorehub.ScopeBackupsRead)))

	client, err := restorehub.New("rh_ExampleKey00000000000000000000000000", restorehub.WithHTTPClient(hc))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.Backups.Restore(context.Background(), "bk_1", &resources.BackupRestore{TargetServerID: "srv_1"})
	var missing *restorehub.MissingScopeError
	if errors.As(err, &missing) {
		fmt.Println("needs", missing.RequiredScope, "has", missing.YourScopes)
	}
	fmt.Println(restorehubtest.MissingScopeBody(restorehub.ScopeBackupsRestore, restorehub.ScopeServersRead, restorehub.ScopeBackupsRead))
	// Output:
	// needs backups:restore has [servers:read backups:read]
	// {"error":"Missing required scope: backups:restore","requiredScope":"backups:restore","yourScopes":["servers:read","backups:read"]}
}
