package restorehub

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// altsTable is the operation table internal/gen emits for its test spec
// internal/gen/testdata/scopealts.json (TestFeatureSpecs checks those
// lines): operations that accept several scopes, with the least privileged
// one required and the tier the spec states or the generator infers.
var altsTable = map[string]resources.OperationSpec{
	"orgs.list":   {ID: "orgs.list", Method: "GET", Path: "/orgs", Scope: "org:read", AcceptedScopes: []Scope{"org:admin", "org:read", "org:write"}, Tier: TierRead, Idempotent: true},
	"orgs.create": {ID: "orgs.create", Method: "POST", Path: "/orgs", Scope: "org:write", AcceptedScopes: []Scope{"org:admin", "org:write"}, Tier: TierWrite},
	"orgs.get":    {ID: "orgs.get", Method: "GET", Path: "/orgs/{id}", Scope: "org:admin", Tier: TierRead, Idempotent: true},
	"orgs.delete": {ID: "orgs.delete", Method: "DELETE", Path: "/orgs/{id}", Scope: "org:admin", Tier: TierDestructive, Idempotent: true},
	"pairs.put":   {ID: "pairs.put", Method: "PUT", Path: "/pairs", Scope: "b:write", AcceptedScopes: []Scope{"b:write", "a:write"}, Tier: TierWrite, Idempotent: true},
}

// TestClassifyAcceptedScopes checks the tier rule: the table's stated tier
// wins over the scope's (a GET whose required or accepted scope is
// admin-named stays a read), naming an accepted scope changes nothing, and
// what states no tier still fails closed.
func TestClassifyAcceptedScopes(t *testing.T) {
	tests := []struct {
		name            string
		spec            resources.OperationSpec
		named           Scope
		wantScope       Scope
		wantAccepted    []Scope
		wantTier        Tier
		wantDestructive bool
		wantReadOnly    bool
	}{
		{"GET with alternatives is read", altsTable["orgs.list"], "", "org:read", []Scope{"org:admin", "org:read", "org:write"}, TierRead, false, true},
		{"GET requiring an admin-named scope is read", altsTable["orgs.get"], "", "org:admin", []Scope{"org:admin"}, TierRead, false, true},
		{"typed call names its own admin scope", altsTable["orgs.get"], "org:admin", "org:admin", []Scope{"org:admin"}, TierRead, false, true},
		{"naming an accepted alternative changes nothing", altsTable["orgs.list"], "org:admin", "org:read", []Scope{"org:admin", "org:read", "org:write"}, TierRead, false, true},
		{"POST with alternatives is write", altsTable["orgs.create"], "", "org:write", []Scope{"org:admin", "org:write"}, TierWrite, false, false},
		{"PUT with alternatives from two schemes", altsTable["pairs.put"], "", "b:write", []Scope{"b:write", "a:write"}, TierWrite, false, false},
		{"DELETE is destructive", altsTable["orgs.delete"], "", "org:admin", []Scope{"org:admin"}, TierDestructive, true, false},
		{"DELETE stated read is still destructive", resources.OperationSpec{ID: "x.del", Method: "DELETE", Path: "/x", Scope: ScopeServersRead, Tier: TierRead}, "", ScopeServersRead, []Scope{ScopeServersRead}, TierRead, true, false},
		{"GET stated read with a destructive-tier scope is read", resources.OperationSpec{ID: "x.get", Method: "GET", Path: "/x", Scope: ScopeBackupsRestore, Tier: TierRead, Idempotent: true}, "", ScopeBackupsRestore, []Scope{ScopeBackupsRestore}, TierRead, false, true},
		{"a more dangerous named scope the operation does not accept still wins", altsTable["orgs.list"], ScopeBackupsRestore, ScopeBackupsRestore, []Scope{ScopeBackupsRestore}, TierDestructive, true, false},
		{"an unknown named scope is destructive", altsTable["orgs.list"], "org:nuke", "org:nuke", []Scope{"org:nuke"}, TierDestructive, true, false},
		{"no stated tier, unknown admin scope: fail closed", resources.OperationSpec{ID: "x.g", Method: "GET", Path: "/x", Scope: "org:admin", AcceptedScopes: []Scope{"org:read", "org:admin"}, Idempotent: true}, "", "org:admin", []Scope{"org:read", "org:admin"}, TierDestructive, true, false},
		{"no stated tier, known scope: the scope's tier", resources.OperationSpec{ID: "x.h", Method: "GET", Path: "/x", Scope: ScopeBackupsRestore, Idempotent: true}, "", ScopeBackupsRestore, []Scope{ScopeBackupsRestore}, TierDestructive, true, false},
		{"no scope, no tier, POST: fail closed", resources.OperationSpec{ID: "x.i", Method: "POST", Path: "/x"}, "", "", nil, TierUnknown, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := classifySpec(&tt.spec, tt.named).owned()
			if c.Scope != tt.wantScope || !slices.Equal(c.AcceptedScopes, tt.wantAccepted) || c.Tier != tt.wantTier || c.Destructive != tt.wantDestructive || c.ReadOnly != tt.wantReadOnly {
				t.Errorf("got scope %s accepted %v tier %s destructive %v read-only %v (%s); want %s %v %s %v %v",
					c.Scope, c.AcceptedScopes, c.Tier, c.Destructive, c.ReadOnly, c.Reason, tt.wantScope, tt.wantAccepted, tt.wantTier, tt.wantDestructive, tt.wantReadOnly)
			}
			if c.Destructive && (c.Reason == "" || c.Idempotent) {
				t.Errorf("destructive with reason %q, idempotent %v", c.Reason, c.Idempotent)
			}
		})
	}
}

// TestClassifyUnmatchedStaysClosed checks that the table-tier rule did not
// open the unmatched paths: a raw request that matches nothing and is not a
// GET or HEAD is destructive, and so is any DELETE.
func TestClassifyUnmatchedStaysClosed(t *testing.T) {
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		if c := Classify(method, "/no/such/operation", ""); !c.Destructive || c.Matched() {
			t.Errorf("%s unmatched: %+v", method, c)
		}
	}
	for _, op := range resources.Operations() {
		if op.Method == http.MethodDelete {
			if c := Classify(op.Method, op.Path, ""); !c.Destructive {
				t.Errorf("%s is a DELETE and not destructive", op.ID)
			}
		}
	}
}

// TestPreflightAcceptsAnyAcceptedScope sends a typed call of an operation
// that accepts three scopes with keys holding each, none or the wildcard:
// any one of them lets it through, and the refusal names the required
// scope and the others that would do, without sending anything.
func TestPreflightAcceptsAnyAcceptedScope(t *testing.T) {
	spec := resources.OperationSpec{
		ID: "alts.get", Method: "GET", Path: "/alts/{id}", Scope: ScopeServersRead,
		AcceptedScopes: []Scope{ScopeServersWrite, ScopeServersRead, ScopeBackupsRestore},
		Tier:           TierRead, Idempotent: true,
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, 200, map[string]string{"id": "a1"})
	}))
	defer srv.Close()
	tests := []struct {
		name string
		key  []Scope
		sent bool
	}{
		{"required scope", []Scope{ScopeServersRead}, true},
		{"an alternative", []Scope{ScopeServersWrite}, true},
		{"the most privileged alternative", []Scope{ScopeAccountRead, ScopeBackupsRestore}, true},
		{"wildcard", []Scope{ScopeAll}, true},
		{"none of them", []Scope{ScopeBackupsRead, ScopeAccountRead}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, srv.URL, WithScopes(tt.key...))
			before := hits.Load()
			err := backend{c}.Call(context.Background(), &spec, "/alts/a1", nil, nil, nil)
			if sent := hits.Load() > before; sent != tt.sent {
				t.Fatalf("sent = %v, want %v (err %v)", sent, tt.sent, err)
			}
			if tt.sent {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ms *MissingScopeError
			if !errors.As(err, &ms) || !ms.Local || ms.RequiredScope != ScopeServersRead {
				t.Fatalf("err = %v, want a local MissingScopeError for %s", err, ScopeServersRead)
			}
			if want := []Scope{ScopeServersWrite, ScopeBackupsRestore}; !slices.Equal(ms.AlsoAccepted, want) {
				t.Errorf("AlsoAccepted = %v, want %v", ms.AlsoAccepted, want)
			}
			if msg := err.Error(); !strings.Contains(msg, "key lacks scope servers:read (or one of servers:write, backups:restore, which the operation also accepts)") {
				t.Errorf("Error() = %q", msg)
			}
		})
	}
}

// TestServer403NamesAlternatives checks that a 403 naming the required
// scope of an operation that accepts others gets them from the table.
func TestServer403NamesAlternatives(t *testing.T) {
	spec := altsTable["orgs.list"]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":"Missing required scope: org:read","requiredScope":"org:read","yourScopes":["account:read"]}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	err := backend{c}.Call(context.Background(), &spec, "/orgs", nil, nil, nil)
	var ms *MissingScopeError
	if !errors.As(err, &ms) || ms.Local || ms.RequiredScope != "org:read" {
		t.Fatalf("err = %v", err)
	}
	if want := []Scope{"org:admin", "org:write"}; !slices.Equal(ms.AlsoAccepted, want) {
		t.Errorf("AlsoAccepted = %v, want %v", ms.AlsoAccepted, want)
	}
	// A scope the table does not list for the operation gets no
	// alternatives from it.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":"Missing required scope: org:other","requiredScope":"org:other","yourScopes":[]}`))
	}))
	defer srv2.Close()
	err = backend{newTestClient(t, srv2.URL)}.Call(context.Background(), &spec, "/orgs", nil, nil, nil)
	if !errors.As(err, &ms) || ms.AlsoAccepted != nil {
		t.Errorf("err = %v, AlsoAccepted %v; want none", err, ms.AlsoAccepted)
	}
}

// TestMissingScopeErrorAlternativesText checks the wording for none, one
// and many alternatives, and that a long list is cut.
func TestMissingScopeErrorAlternativesText(t *testing.T) {
	many := make([]Scope, 11)
	for i := range many {
		many[i] = Scope("s:" + string(rune('a'+i)))
	}
	tests := []struct {
		also    []Scope
		want    string
		notWant string
	}{
		{nil, "key lacks scope org:read (it has no scopes)", "which the operation also accepts"},
		{[]Scope{"org:admin"}, "key lacks scope org:read (or org:admin, which the operation also accepts)", "one of"},
		{many, "(or one of s:a, s:b, s:c, s:d, s:e, s:f, s:g, s:h and 3 more, which the operation also accepts)", "s:i"},
	}
	// A hostile or careless alternative: a key, and a very long name.
	e := &MissingScopeError{APIError: &APIError{Method: "GET", Path: "/orgs"}, RequiredScope: "org:read", AlsoAccepted: []Scope{Scope(testKey), Scope(strings.Repeat("x", 5000))}}
	msg := e.Error()
	assertNoKey(t, "Error()", msg)
	if len(msg) > 600 {
		t.Errorf("Error() is %d bytes long", len(msg))
	}
	for _, tt := range tests {
		e := &MissingScopeError{APIError: &APIError{Local: true, Method: "GET", Path: "/orgs"}, RequiredScope: "org:read", AlsoAccepted: tt.also}
		msg := e.Error()
		if !strings.Contains(msg, tt.want) || strings.Contains(msg, tt.notWant) {
			t.Errorf("Error() = %q, want it to contain %q and not %q", msg, tt.want, tt.notWant)
		}
	}
}

func TestScopeSetAllowsAny(t *testing.T) {
	tests := []struct {
		set    ScopeSet
		scopes []Scope
		want   bool
	}{
		{NewScopeSet(ScopeServersRead), []Scope{ScopeServersWrite, ScopeServersRead}, true},
		{NewScopeSet(ScopeServersRead), []Scope{ScopeServersWrite}, false},
		{NewScopeSet(ScopeServersRead), nil, true},
		{ScopeSet{}, []Scope{ScopeServersRead}, false},
		{NewScopeSet(ScopeAll), []Scope{"org:admin"}, true},
	}
	for _, tt := range tests {
		if got := tt.set.AllowsAny(tt.scopes...); got != tt.want {
			t.Errorf("%v.AllowsAny(%v) = %v, want %v", tt.set.Scopes(), tt.scopes, got, tt.want)
		}
	}
}

// TestClassOwnedAcceptedScopes checks that a Class handed out of the
// package owns its AcceptedScopes: writing to it changes neither the
// operation's table entry nor the next classification, and the compact
// form the client uses per call (nil for Scope alone) allows exactly what
// the documented one does.
func TestClassOwnedAcceptedScopes(t *testing.T) {
	for _, id := range []string{"orgs.list", "orgs.get", "pairs.put"} {
		t.Run(id, func(t *testing.T) {
			spec := altsTable[id]
			want := spec.Accepted()
			got := classifySpec(&spec, "").owned()
			if !slices.Equal(got.AcceptedScopes, want) {
				t.Fatalf("owned AcceptedScopes %v, want %v", got.AcceptedScopes, want)
			}
			for i := range got.AcceptedScopes {
				got.AcceptedScopes[i] = "x:written"
			}
			if again := classifySpec(&spec, "").owned(); !slices.Equal(again.AcceptedScopes, want) || !slices.Equal(spec.Accepted(), want) {
				t.Fatalf("a caller's write reached the table: now %v (entry %v), want %v", again.AcceptedScopes, spec.AcceptedScopes, want)
			}
			compact := classifySpec(&spec, "")
			for _, s := range append(slices.Clone(want), "x:other") {
				set := NewScopeSet(s)
				documented := set.Allows(got.Scope) || set.AllowsAny(want...)
				perCall := set.Allows(compact.Scope) || slices.ContainsFunc(compact.AcceptedScopes, set.Allows)
				if documented != perCall {
					t.Errorf("key with %s: per-call form allows %v, documented %v", s, perCall, documented)
				}
			}
		})
	}
}

// TestClassifySpecIsTheCallersCopy checks that writing to the Spec a
// Classify result carries changes nothing the client decides next: the
// operation stays destructive, guarded and refused by a narrow key.
func TestClassifySpecIsTheCallersCopy(t *testing.T) {
	var id string
	for _, op := range resources.Operations() {
		if op.Tier == TierDestructive && op.Method != http.MethodDelete && !strings.Contains(op.Path, "{") {
			id = op.ID
			break
		}
	}
	if id == "" {
		t.Skip("the table has no destructive operation without path parameters")
	}
	spec, _ := resources.LookupOperation(id)
	want := Classify(spec.Method, spec.Path, "")
	if !want.Destructive || want.Spec == nil {
		t.Fatalf("%s: %+v, want a destructive match", id, want)
	}
	want.Spec.Tier, want.Spec.Scope, want.Spec.Method = TierRead, ScopeServersRead, http.MethodGet
	if got := Classify(spec.Method, spec.Path, ""); !got.Destructive || got.Tier != TierDestructive || got.Scope != spec.Scope || got.Spec.Tier != spec.Tier {
		t.Fatalf("after writing to a returned Spec: %+v, want it destructive with scope %s", got, spec.Scope)
	}
}
