package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The paths resources/generate.go passes to the generator.
const (
	projectSpecArg = "../internal/gen/openapi.json"
	resourcesDir   = "../../resources"
	scopesFile     = "../../scopes.go"
)

// TestCheckedInOutputIsFresh regenerates the resources package and the root
// scopes.go from the project spec, the way go generate does, and fails when
// a checked-in file differs, is missing, or is a stale generated file.
func TestCheckedInOutputIsFresh(t *testing.T) {
	t.Parallel()
	g := project(t)
	res := g.res
	const hint = "; run go generate ./... at the module root"
	for name, want := range res.files {
		got, err := os.ReadFile(filepath.Join(resourcesDir, name))
		if err != nil {
			t.Errorf("resources/%s: %v%s", name, err, hint)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("resources/%s is not what the generator produces%s", name, hint)
		}
	}
	entries, err := os.ReadDir(resourcesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if ours, _ := generatedByUs(filepath.Join(resourcesDir, e.Name())); ours && res.files[e.Name()] == nil {
			t.Errorf("resources/%s is a stale generated file%s", e.Name(), hint)
		}
	}
	want := g.scopes
	if want == nil {
		t.Fatal("scopes: the project spec gives no scopes.go")
	}
	got, err := os.ReadFile(scopesFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("scopes.go is not what the generator produces%s", hint)
	}
}

// TestProjectSpec pins the facts the project spec must keep and what the
// generator makes of it.
func TestProjectSpec(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := generate(data, projectSpecArg, "resources", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.warnings) > 0 {
		t.Errorf("warnings on the project spec: %q", res.warnings)
	}
	if len(res.raws) > 0 {
		t.Errorf("the project spec maps something to json.RawMessage: %q", res.raws)
	}
	if res.documented != 3 || res.inferred != 82 {
		t.Errorf("documented, inferred = %d, %d; want 3, 82", res.documented, res.inferred)
	}
	ops := squash(string(res.files["operations_gen.go"]))
	for _, s := range []string{
		`opAccountGet: { ID: "account.get", Method: "GET", Path: "/account", Scope: "account:read", Tier: TierRead, Idempotent: true, Pagination: PaginationNone, Summary: "Get the account that owns the API key", Model: "Account", }`,
		`opServersList: { ID: "servers.list", Method: "GET", Path: "/servers", Scope: "servers:read", Tier: TierRead, Idempotent: true, Pagination: PaginationCursor, Inferred: true,`,
		`opBackupsRestore: { ID: "backups.restore", Method: "POST", Path: "/backups/{backupId}/restore", Scope: "backups:restore", Tier: TierDestructive, BodyRequired: true, Pagination: PaginationNone, Inferred: true,`,
		`opMembersPull: { ID: "members.pull", Method: "POST", Path: "/members/pull", Scope: "members:pull", Tier: TierDestructive, BodyRequired: true, Pagination: PaginationNone, Inferred: true, Summary: "Pull (join) verified members into a target server", Pace: &Pace{KeyField: "targetServerId", CountField: "memberIds", Limit: 50, Interval: time.Minute}, Model: "Job", }`,
		`opAuditListEvents: { ID: "audit.listEvents", Method: "GET", Path: "/audit", Scope: "audit:read", Tier: TierRead, Idempotent: true, Pagination: PaginationPage,`,
		`List: &ListShape{ Items: "data", Cursor: "page", Next: "totalPages", Limit: "limit", Filters: []QueryParam{ {Name: "action", Type: "string"}, }, }, Model: "AuditEvent", }`,
		`List: &ListShape{ Items: "data", Cursor: "cursor", Next: "nextCursor", Limit: "limit", Filters: []QueryParam{ {Name: "serverId", Type: "string"}, }, }, Model: "Backup", }`,
		`opMetaGetOpenAPISpec: { ID: "meta.getOpenAPISpec", Method: "GET", Path: "/openapi.json", Idempotent: true, Pagination: PaginationNone, Summary:`,
	} {
		if !strings.Contains(ops, squash(s)) {
			t.Errorf("operations_gen.go lacks %s", s)
		}
	}
	// The spec documents no way to read a job, and Job's godoc says so
	// (resources' TestJobDocTellsTheTruth checks that against the table).
	models := squash(string(res.files["models_gen.go"]))
	for _, s := range []string{
		"Restore Hub documents no operation that reads a job, so the SDK cannot follow one: the Job an action returns is its state when the request was accepted",
		`Type is the operation that started the job, such as "backups.restore" or "members.pull".`,
	} {
		if !strings.Contains(models, squash(s)) {
			t.Errorf("models_gen.go lacks %s", s)
		}
	}
	members := squash(string(res.files["members_gen.go"]))
	for _, s := range []string{
		"Pacing: the API accepts at most 50 entries of memberIds per minute for each targetServerId value. The client paces these calls per targetServerId",
		"Partly inferred: the API's documentation says this operation exists but does not show it.",
		"func (s *MembersService) Pull(ctx context.Context, body *MemberPullRequest, opts ...RequestOption) (*Job, error)",
	} {
		if !strings.Contains(members, squash(s)) {
			t.Errorf("members_gen.go lacks %s", s)
		}
	}
}
