package restorehub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/internal/specdiff"
)

// driftBaseSpec is the spec the SDK's table was generated from: comparing
// with it finds no drift, and each case below plants differences in a copy.
const driftBaseSpec = "internal/gen/openapi.json"

// specWith returns the base spec after edit has changed its decoded form.
func specWith(t testing.TB, edit func(doc map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(driftBaseSpec)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(doc)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func specPaths(doc map[string]any) map[string]any { return doc["paths"].(map[string]any) }

func specOp(doc map[string]any, path, method string) map[string]any {
	return specPaths(doc)[path].(map[string]any)[method].(map[string]any)
}

// restyle rewrites every operation the way a Zod-generated spec would state
// it: the scope as a per-operation security requirement, no x-scope-tier, no
// x-pagination (paging only from the query parameters), and parameters as
// $refs into components.
func restyle(doc map[string]any) {
	comps := doc["components"].(map[string]any)
	params := map[string]any{}
	comps["parameters"] = params
	for path, iv := range specPaths(doc) {
		for method, ov := range iv.(map[string]any) {
			o, ok := ov.(map[string]any)
			if !ok {
				continue
			}
			if s, ok := o["x-required-scope"].(string); ok {
				o["security"] = []any{map[string]any{"oauth2": []any{s}}}
				delete(o, "x-required-scope")
			}
			delete(o, "x-scope-tier")
			delete(o, "x-pagination")
			list, _ := o["parameters"].([]any)
			for i, p := range list {
				name := fmt.Sprintf("p%d_%s_%s", i, method, strings.NewReplacer("/", "_", "{", "", "}", "").Replace(path))
				params[name] = p
				list[i] = map[string]any{"$ref": "#/components/parameters/" + name}
			}
		}
	}
}

type driftWant struct {
	missing []string            // "METHOD path" of the SDK
	changed map[string][]string // operation ID -> "field:sdk->live"
	extra   []string            // "METHOD path" of the document
}

func checkDrift(t *testing.T, r *DriftReport, want driftWant) {
	t.Helper()
	var missing, extra []string
	for _, m := range r.Missing {
		missing = append(missing, m.Method+" "+m.Path)
	}
	for _, e := range r.Extra {
		extra = append(extra, e.Method+" "+e.Path)
	}
	changed := map[string][]string{}
	for _, c := range r.Changed {
		for _, f := range c.Fields {
			changed[c.ID] = append(changed[c.ID], f.Name+":"+f.SDK+"->"+f.Live)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	slices.Sort(want.missing)
	slices.Sort(want.extra)
	if !slices.Equal(missing, want.missing) {
		t.Errorf("missing = %q, want %q", missing, want.missing)
	}
	if !slices.Equal(extra, want.extra) {
		t.Errorf("extra = %q, want %q", extra, want.extra)
	}
	if want.changed == nil {
		want.changed = map[string][]string{}
	}
	if fmt.Sprint(changed) != fmt.Sprint(want.changed) {
		t.Errorf("changed = %v, want %v", changed, want.changed)
	}
	wantDrift := len(want.missing)+len(want.extra)+len(want.changed) > 0
	if r.HasDrift() != wantDrift {
		t.Errorf("HasDrift() = %v, want %v", r.HasDrift(), wantDrift)
	}
}

func TestCompareSpec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(doc map[string]any)
		want driftWant
	}{
		{name: "the spec the SDK was generated from"},
		{
			name: "path parameter renamed, same shape",
			edit: func(doc map[string]any) {
				ps := specPaths(doc)
				item := ps["/servers/{serverId}"].(map[string]any)
				delete(ps, "/servers/{serverId}")
				ps["/servers/{id}"] = item
				for _, ov := range item {
					if o, ok := ov.(map[string]any); ok {
						for _, p := range o["parameters"].([]any) {
							if p := p.(map[string]any); p["name"] == "serverId" {
								p["name"] = "id"
							}
						}
					}
				}
			},
		},
		{
			name: "restyled: security scopes, tiers from the scope, paging from parameters, $ref parameters",
			edit: restyle,
		},
		{
			name: "moved path",
			edit: func(doc map[string]any) {
				ps := specPaths(doc)
				ps["/backups/{backupId}/restores"] = ps["/backups/{backupId}/restore"]
				delete(ps, "/backups/{backupId}/restore")
			},
			want: driftWant{
				missing: []string{"POST /backups/{backupId}/restore"},
				extra:   []string{"POST /backups/{backupId}/restores"},
			},
		},
		{
			name: "changed scope",
			edit: func(doc map[string]any) { specOp(doc, "/servers", "get")["x-required-scope"] = "servers:list" },
			want: driftWant{changed: map[string][]string{"servers.list": {"scope:servers:read->servers:list"}}},
		},
		{
			name: "changed scope by per-operation security, which wins over x-required-scope",
			edit: func(doc map[string]any) {
				specOp(doc, "/backups", "get")["security"] = []any{map[string]any{"oauth2": []any{"backups:list"}}}
			},
			want: driftWant{changed: map[string][]string{"backups.list": {"scope:backups:read->backups:list"}}},
		},
		{
			name: "changed tier",
			edit: func(doc map[string]any) { specOp(doc, "/members/mass-verify", "post")["x-scope-tier"] = "destructive" },
			want: driftWant{changed: map[string][]string{"members.massVerify": {"tier:write->destructive"}}},
		},
		{
			name: "changed tier through x-scopes",
			edit: func(doc map[string]any) {
				delete(specOp(doc, "/members/mass-verify", "post"), "x-scope-tier")
				xs := doc["x-scopes"].(map[string]any)
				for tier, l := range xs {
					if list, ok := l.([]any); ok {
						xs[tier] = slices.DeleteFunc(list, func(s any) bool { return s == "members:mass-verify" })
					}
				}
				xs["destructive"] = append(xs["destructive"].([]any), "members:mass-verify")
			},
			want: driftWant{changed: map[string][]string{"members.massVerify": {"tier:write->destructive"}}},
		},
		{
			name: "changed pagination by x-pagination",
			edit: func(doc map[string]any) { specOp(doc, "/ads", "get")["x-pagination"] = "page" },
			want: driftWant{changed: map[string][]string{"ads.list": {"pagination:cursor->page"}}},
		},
		{
			name: "changed pagination by parameters",
			edit: func(doc map[string]any) {
				o := specOp(doc, "/referrals", "get")
				delete(o, "x-pagination")
				for _, p := range o["parameters"].([]any) {
					if p := p.(map[string]any); p["name"] == "page" {
						p["name"] = "cursor"
					}
				}
			},
			want: driftWant{changed: map[string][]string{"referrals.list": {"pagination:page->cursor"}}},
		},
		{
			name: "missing operation",
			edit: func(doc map[string]any) { delete(specPaths(doc)["/teams/{teamId}"].(map[string]any), "get") },
			want: driftWant{missing: []string{"GET /teams/{teamId}"}},
		},
		{
			name: "extra live operation",
			edit: func(doc map[string]any) {
				specPaths(doc)["/webhooks"] = map[string]any{"get": map[string]any{
					"operationId": "listWebhooks",
					"security":    []any{map[string]any{"oauth2": []any{"webhooks:read"}}},
					"parameters":  []any{map[string]any{"name": "cursor", "in": "query"}},
					"responses":   map[string]any{"200": map[string]any{"description": "ok"}},
				}}
			},
			want: driftWant{extra: []string{"GET /webhooks"}},
		},
		{
			name: "several at once",
			edit: func(doc map[string]any) {
				ps := specPaths(doc)
				ps["/backups/{backupId}/restores"] = ps["/backups/{backupId}/restore"]
				delete(ps, "/backups/{backupId}/restore")
				specOp(doc, "/servers", "get")["x-required-scope"] = "servers:list"
				specOp(doc, "/ads", "get")["x-pagination"] = "none"
				specOp(doc, "/ads", "get")["x-scope-tier"] = "write"
			},
			want: driftWant{
				missing: []string{"POST /backups/{backupId}/restore"},
				extra:   []string{"POST /backups/{backupId}/restores"},
				changed: map[string][]string{
					"servers.list": {"scope:servers:read->servers:list"},
					"ads.list":     {"tier:read->write", "pagination:cursor->none"},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompareSpec(specWith(t, tt.edit))
			if err != nil {
				t.Fatal(err)
			}
			checkDrift(t, r, tt.want)
			if r.SDKOperations == 0 || r.LiveOperations == 0 {
				t.Errorf("operation counts = %d SDK, %d live", r.SDKOperations, r.LiveOperations)
			}
		})
	}
}

func TestCompareSpecReportsDetail(t *testing.T) {
	r, err := CompareSpec(specWith(t, func(doc map[string]any) {
		ps := specPaths(doc)
		item := ps["/servers/{serverId}"]
		delete(ps, "/servers/{serverId}")
		ps["/servers/{id}"] = item
		specOp(doc, "/servers/{id}", "get")["x-required-scope"] = "servers:admin"
		delete(specOp(doc, "/servers/{id}", "get"), "x-scope-tier")
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changed) != 1 {
		t.Fatalf("changed = %+v, want one", r.Changed)
	}
	c := r.Changed[0]
	// servers:admin is no scope the SDK knows, so its tier is unknown and
	// not compared: only the scope differs.
	want := DriftChange{ID: "servers.get", Method: "GET", Path: "/servers/{serverId}", LivePath: "/servers/{id}", Inferred: true,
		Fields: []DriftField{{Name: "scope", SDK: "servers:read", Live: "servers:admin"}}}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("change = %+v\nwant %+v", c, want)
	}
	b, err := json.Marshal(&DriftReport{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"missing"`, `"changed"`, `"extra"`, `"sdkOperations"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
}

func TestCompareSpecRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, spec, want string
	}{
		{"not JSON", "<html>", "not valid JSON"},
		{"empty", "", "not valid JSON"},
		{"array", "[]", "top level is not an object"},
		{"no paths", `{"openapi":"3.1.0"}`, `no "paths"`},
		{"swagger 2", `{"swagger":"2.0"}`, "Swagger 2.0"},
		{"swagger 2 with paths", `{"swagger":"2.0","paths":{"/servers":{"get":{}}}}`, "Swagger 2.0 document"},
		{"openapi 2", `{"openapi":"2.0","paths":{}}`, "not a 3.x version"},
		{"no version", `{"paths":{"/servers":{"get":{}}}}`, `no "openapi" version`},
		{"too big", `{"x":"` + strings.Repeat("a", MaxSpecSize) + `"}`, "MaxSpecSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompareSpec([]byte(tt.spec))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("CompareSpec = %v, %v; want an error containing %q", r, err, tt.want)
			}
		})
	}
	// A $ref cycle and refs to nowhere are skipped, not followed forever.
	r, err := CompareSpec([]byte(`{"openapi":"3.1.0","paths":{
		"/a":{"$ref":"#/paths/~1b"},"/b":{"$ref":"#/paths/~1a"},
		"/c":{"get":{"parameters":[{"$ref":"#/nowhere"},{"$ref":"http://x/y"}]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Extra) != 1 || r.Extra[0].Path != "/c" || len(r.Missing) != r.SDKOperations {
		t.Errorf("report = %+v", r)
	}
}

func TestClientDrift(t *testing.T) {
	planted := specWith(t, func(doc map[string]any) {
		specOp(doc, "/members/mass-verify", "post")["x-scope-tier"] = "destructive"
	})
	tests := []struct {
		name      string
		status    int
		body      []byte
		wantDrift bool
		wantErr   string
	}{
		{name: "no drift", status: 200, body: specWith(t, nil)},
		{name: "planted tier", status: 200, body: planted, wantDrift: true},
		{name: "not found", status: 404, body: []byte(`{"error":"not found"}`), wantErr: "fetching the live spec"},
		{name: "HTML", status: 200, body: []byte(`<html></html>`), wantErr: "fetching the live spec"},
		{name: "not OpenAPI", status: 200, body: []byte(`{"hello":"world"}`), wantErr: `no "paths"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || r.URL.Path != "/openapi.json" {
					t.Errorf("request %s %s, want GET /openapi.json", r.Method, r.URL.Path)
				}
				hits.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write(tt.body)
			}))
			c := newTestClient(t, base, WithMaxRetries(0))
			r, err := c.Drift(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Drift = %v, %v; want an error containing %q", r, err, tt.wantErr)
				}
				assertNoKey(t, "Drift error", err.Error())
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.HasDrift() != tt.wantDrift {
				t.Errorf("HasDrift = %v, want %v: %+v", r.HasDrift(), tt.wantDrift, r)
			}
			if hits.Load() != 1 {
				t.Errorf("%d requests, want 1", hits.Load())
			}
		})
	}
}

func TestCappedJSON(t *testing.T) {
	t.Parallel()
	var c cappedJSON
	if err := json.Unmarshal([]byte(`{"a":1}`), &c); err != nil || string(c) != `{"a":1}` {
		t.Fatalf("Unmarshal = %q, %v", c, err)
	}
	big := []byte(`"` + strings.Repeat("a", MaxSpecSize) + `"`)
	if err := json.Unmarshal(big, &c); err == nil || !strings.Contains(err.Error(), "MaxSpecSize") {
		t.Fatalf("Unmarshal of %d bytes = %v, want a size error", len(big), err)
	}
	var nilReport *DriftReport
	if nilReport.HasDrift() {
		t.Error("nil report has drift")
	}
}

// TestClientDriftEndlessBody: a hostile or broken server that streams an
// endless spec cannot make Drift read without bound: the read stops at the
// client's response cap (WithMaxResponseBytes here, to stay fast; the
// default cap is TestResponseBodyCap's) with ErrResponseTooLarge, and the
// server sees one request.
func TestClientDriftEndlessBody(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []Option
	}{
		{"WithMaxResponseBytes(1 MiB)", []Option{WithMaxResponseBytes(1 << 20)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			chunk := []byte(strings.Repeat("a", 64<<10))
			base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"openapi":"3.1.0","paths":{"/x":"`)
				for r.Context().Err() == nil {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}))
			c := newTestClient(t, base, append([]Option{WithMaxRetries(0)}, tt.opts...)...)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			r, err := c.Drift(ctx)
			if !errors.Is(err, ErrResponseTooLarge) {
				t.Fatalf("Drift = %v, %v; want ErrResponseTooLarge", r, err)
			}
			if hits.Load() != 1 {
				t.Errorf("%d requests, want 1", hits.Load())
			}
		})
	}
}

// loopingRefSpec is an OpenAPI document of about size bytes whose GET
// parameters all reference one long $ref that points at itself: each
// reference is followed 32 hops over a pointer of thousands of tokens.
func loopingRefSpec(size int) []byte {
	const depth = 400                                                  // within the reader's nesting limit of 512
	ptr := "#/" + strings.TrimSuffix(strings.Repeat("x/", depth), "/") // the innermost object: the ref itself
	ref := `{"$ref":"` + ptr + `"}`
	var b strings.Builder
	b.WriteString(`{"openapi":"3.0.0","info":{"title":"loop","version":"1"},"x":`)
	b.WriteString(strings.Repeat(`{"x":`, depth-2) + `{"x":` + ref + `}` + strings.Repeat(`}`, depth-2))
	b.WriteString(`,"paths":{"/a":{"get":{"parameters":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(ref)
	}
	b.WriteString(`]}}}}`)
	return []byte(b.String())
}

// TestCompareSpecBoundsLoopingRefs: a 1 MB document whose $refs loop is
// refused by the work budget (before the fix every one of its references
// was followed 32 hops, the whole document's work unbounded), and a context
// stops the comparison.
func TestCompareSpecBoundsLoopingRefs(t *testing.T) {
	t.Parallel()
	doc := loopingRefSpec(1 << 20)
	if len(doc) < 1<<20 {
		t.Fatalf("document of %d bytes", len(doc))
	}
	_, err := CompareSpec(doc)
	if !errors.Is(err, specdiff.ErrBudget) || !strings.Contains(err.Error(), "$ref") {
		t.Fatalf("CompareSpec of a looping document = %v, want specdiff.ErrBudget", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CompareSpecContext(ctx, doc); !errors.Is(err, context.Canceled) {
		t.Fatalf("CompareSpecContext with a cancelled context = %v", err)
	}
	// The budget leaves real documents alone: the spec the SDK was built from.
	spec, err := os.ReadFile("internal/gen/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CompareSpecContext(context.Background(), spec); err != nil {
		t.Fatalf("the SDK's own spec: %v", err)
	}
}

// TestCompareSpecWithoutScopes: a document that names no scope at all is
// reported once (NoScopes), not as every operation's scope changed.
func TestCompareSpecWithoutScopes(t *testing.T) {
	t.Parallel()
	spec := specWith(t, func(doc map[string]any) {
		delete(doc, "security")
		for _, item := range doc["paths"].(map[string]any) {
			for _, op := range item.(map[string]any) {
				if o, ok := op.(map[string]any); ok {
					delete(o, "security")
					delete(o, "x-required-scope")
				}
			}
		}
	})
	r, err := CompareSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !r.NoScopes || len(r.Changed) != 0 {
		t.Fatalf("NoScopes %v, %d changed (want true, 0): %+v", r.NoScopes, len(r.Changed), r.Changed)
	}
}
