package mcpserver

import (
	"context"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ToolsListTTL is how long the server tells clients they may keep its tool
// list (protocol 2026-07-28 and later), unless WithServerOptions sets
// SetCacheable. The SDK lists tools sorted by name, so the same list is the
// same bytes every time: a host that puts it in a cached prompt prefix
// keeps its cache. When the list changes, the server sends
// notifications/tools/list_changed; a client that still uses a removed tool
// is refused, and nothing is sent.
const ToolsListTTL = 5 * time.Minute

// toolsCacheHint marks tools/list results cacheable for ToolsListTTL, and
// private: the list depends on the key's scopes.
func toolsCacheHint(_ context.Context, req mcp.Request, c *mcp.Cacheable) {
	if _, ok := req.(*mcp.ListToolsRequest); !ok {
		return
	}
	c.TTLMs = int(ToolsListTTL / time.Millisecond)
	c.CacheScope = "private"
}
