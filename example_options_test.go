package restorehub_test

import (
	"context"
	"fmt"
	"log"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// WithResponseInto gives this call's status, header and rate limit, which
// client.RateLimit cannot: that is whichever response arrived last.
func ExampleWithResponseInto() {
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(exampleKey, restorehub.ScopeServersRead),
		restorehubtest.WithDemoData(),
	)
	defer fake.Close()
	client, err := restorehub.New(exampleKey, restorehub.WithBaseURL(fake.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}

	var resp restorehub.Response
	server, err := client.Servers.Get(context.Background(), "server_0001", restorehub.WithResponseInto(&resp))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(server.Name, resp.StatusCode, resp.RateLimit.Remaining, "of", resp.RateLimit.Limit)
	// Output:
	// Pixel Lounge 200 99 of 100
}

// Given to an iterator, WithResponseInto is refreshed as each page
// arrives: inside the loop it describes the page the current item came from.
func ExampleWithResponseInto_pages() {
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(exampleKey, restorehub.ScopeServersRead),
		restorehubtest.WithDemoData(),
	)
	defer fake.Close()
	client, err := restorehub.New(exampleKey, restorehub.WithBaseURL(fake.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}

	var page restorehub.Response
	params := &resources.ServersListParams{Limit: resources.Ptr(2)}
	for server, err := range client.Servers.All(context.Background(), params, restorehub.WithResponseInto(&page)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(server.Name, "- page with", page.RateLimit.Remaining, "requests left")
	}
	// Output:
	// Pixel Lounge - page with 99 requests left
	// Night Owls Study Hall - page with 99 requests left
	// Retro Racing League - page with 98 requests left
}

// WithCallMaxWait and WithHeader change one call only.
func ExampleWithCallMaxWait() {
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(exampleKey, restorehub.ScopeServersRead),
		restorehubtest.WithDemoData(),
	)
	defer fake.Close()
	client, err := restorehub.New(exampleKey, restorehub.WithBaseURL(fake.BaseURL()))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Servers.Get(context.Background(), "server_0001",
		restorehub.WithCallMaxWait(500*time.Millisecond), // fail fast rather than wait for budget
		restorehub.WithHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
	)
	fmt.Println(err)

	_, err = client.Servers.Get(context.Background(), "server_0001", restorehub.WithHeader("Authorization", "Bearer other"))
	fmt.Println(err)
	// Output:
	// <nil>
	// restorehub: WithHeader: Authorization is set by the client and cannot be overridden per call
}
