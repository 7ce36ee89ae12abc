package mcpserver_test

import (
	"context"
	"log"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/agent/mcpserver"
)

// Serve a narrow key to an MCP client over standard input and output. The
// toolkit's own confirmer applies a local policy; the human is asked in the
// MCP client as well, and both must approve each destructive call.
func ExampleNew() {
	client, err := restorehub.NewFromEnv(restorehub.WithAgent("my-agent"))
	if err != nil {
		log.Fatal(err)
	}
	tk, err := agent.New(client,
		agent.WithScopes(restorehub.ScopeServersRead, restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore),
		agent.WithConfirm(func(ctx context.Context, c agent.Confirmation) error {
			return nil // a local policy could refuse here, such as outside working hours
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	srv := mcpserver.New(tk)
	if err := srv.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}

// Serve the same server on streamable HTTP, for clients that connect by URL.
func ExampleNew_streamableHTTP() {
	var tk *agent.Toolkit // from agent.New, as in the example above
	srv := mcpserver.New(tk)
	handler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)
	log.Fatal(http.ListenAndServe("127.0.0.1:8765", http.NewCrossOriginProtection().Handler(handler)))
}
