// Package pathtemplate parses, matches and fills OpenAPI path templates
// such as "/servers/{serverId}/backups/{backupId}", with the one precedence
// rule (Route) by which the client's classifier, its fake, its agent
// toolkit, its drift report and its generator pick the operation a path
// names.
//
// It is a leaf: it imports only the standard library and nothing the
// generator produces, so the generator (internal/gen) builds and can
// repair the resources package even when the generated code does not
// compile. The resources package re-exports it as PathTemplate,
// ParsePathTemplate and MatchPathTemplate.
package pathtemplate
