package restorehub

// DeclaredScopes returns the scopes given to WithScopes, sorted, and true;
// or nil and false when the client was built without WithScopes. The agent
// toolkit reads it to list only the operations the key may call.
func (c *Client) DeclaredScopes() ([]Scope, bool) {
	if c == nil || c.cfg.scopes == nil {
		return nil, false
	}
	return c.cfg.scopes.Scopes(), true
}
