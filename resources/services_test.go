package resources_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
)

// TestEveryOperationHasACase keeps resourcestest.Cases in step with the
// operation table.
func TestEveryOperationHasACase(t *testing.T) {
	var ops, cases []string
	for _, op := range resources.Operations() {
		ops = append(ops, op.ID)
	}
	for _, c := range resourcestest.Cases() {
		cases = append(cases, c.ID)
	}
	if !slices.Equal(ops, cases) {
		t.Errorf("case IDs differ from the operation table, in order:\n ops:   %q\n cases: %q", ops, cases)
	}
}

// TestServices calls every typed method against a recording Backend and
// checks what the Backend saw and what the method decoded.
func TestServices(t *testing.T) {
	for _, c := range resourcestest.Cases() {
		t.Run(c.ID, func(t *testing.T) {
			rec := &resourcestest.Recorder{Respond: func(resourcestest.Call) ([]byte, error) { return []byte(c.Response), nil }}
			got, err := c.Call(context.Background(), resources.NewServices(rec))
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			calls := rec.Calls()
			if len(calls) != 1 {
				t.Fatalf("%d calls, want 1", len(calls))
			}
			call := calls[0]
			want, ok := resources.LookupOperation(c.ID)
			if !ok {
				t.Fatalf("no operation %q", c.ID)
			}
			if *call.Op != want {
				t.Errorf("operation = %+v, want %+v", *call.Op, want)
			}
			if call.Op.Method != c.Method || call.Path != c.Path {
				t.Errorf("sent %s %s, want %s %s", call.Op.Method, call.Path, c.Method, c.Path)
			}
			if call.Op.Scope != c.Scope || call.Op.Tier != c.Tier {
				t.Errorf("scope %q (%s), want %q (%s)", call.Op.Scope, call.Op.Tier, c.Scope, c.Tier)
			}
			if !resourcestest.QueryEqual(call.Query, c.Query) {
				t.Errorf("query = %v, want %v", call.Query, c.Query)
			}
			if !resourcestest.JSONEqual(call.Body, []byte(c.Body)) {
				t.Errorf("body = %s, want %s", call.Body, c.Body)
			}
			if !reflect.DeepEqual(got, c.Want) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(c.Want)
				t.Errorf("decoded %T %s, want %T %s", got, gj, c.Want, wj)
			}
		})
	}
}

// TestBackendErrors checks that a method returns the Backend's error and
// no value.
func TestBackendErrors(t *testing.T) {
	boom := errors.New("boom")
	rec := &resourcestest.Recorder{Respond: func(resourcestest.Call) ([]byte, error) { return nil, boom }}
	s := resources.NewServices(rec)
	srv, err := s.Servers.Get(context.Background(), "srv_1")
	if !errors.Is(err, boom) || srv != nil {
		t.Errorf("Get = %v, %v; want nil, boom", srv, err)
	}
	doc, err := s.Meta.GetOpenAPISpec(context.Background())
	if !errors.Is(err, boom) || doc != nil {
		t.Errorf("GetOpenAPISpec = %v, %v; want nil, boom", doc, err)
	}
	if err := s.Servers.Delete(context.Background(), "srv_1"); !errors.Is(err, boom) {
		t.Errorf("Delete = %v, want boom", err)
	}
}

// TestNilBodySendsNoBody checks that a nil request body reaches the Backend
// as an untyped nil, not as the JSON null.
func TestNilBodySendsNoBody(t *testing.T) {
	var body any = "unset"
	b := backendFunc(func(_ context.Context, _ *resources.OperationSpec, _ string, _ url.Values, bd, _ any) error {
		body = bd
		return nil
	})
	if _, err := resources.NewServices(b).Servers.Update(context.Background(), "srv_1", nil); err != nil {
		t.Fatal(err)
	}
	if body != nil {
		t.Errorf("body = %#v, want nil", body)
	}
}

type backendFunc func(ctx context.Context, op *resources.OperationSpec, path string, query url.Values, body, out any) error

func (f backendFunc) Call(ctx context.Context, op *resources.OperationSpec, path string, query url.Values, body, out any, _ ...resources.RequestOption) error {
	return f(ctx, op, path, query, body, out)
}

// TestOperationTable checks the table's invariants.
func TestOperationTable(t *testing.T) {
	ops := resources.Operations()
	if len(ops) != 85 {
		t.Errorf("%d operations, want 85", len(ops))
	}
	seen := map[string]bool{}
	inferred := 0
	for _, op := range ops {
		if seen[op.ID] {
			t.Errorf("duplicate ID %q", op.ID)
		}
		seen[op.ID] = true
		res, action, ok := strings.Cut(op.ID, ".")
		if !ok || res == "" || action == "" {
			t.Errorf("ID %q is not resource.action", op.ID)
		}
		if op.Scope != "" && !strings.HasPrefix(op.Scope, res+":") {
			t.Errorf("%s: scope %q is not a %s scope", op.ID, op.Scope, res)
		}
		switch op.Tier {
		case "read", "write", "destructive":
		case "":
			if op.Scope != "" {
				t.Errorf("%s: scope %q without a tier", op.ID, op.Scope)
			}
		default:
			t.Errorf("%s: tier %q", op.ID, op.Tier)
		}
		wantIdem := op.Method == "GET" || op.Method == "PUT" || op.Method == "DELETE" || op.Method == "HEAD"
		if op.Idempotent != wantIdem {
			t.Errorf("%s: Idempotent = %v for %s", op.ID, op.Idempotent, op.Method)
		}
		if op.Pagination != resources.PaginationNone && op.Method != "GET" {
			t.Errorf("%s: paginated %s", op.ID, op.Method)
		}
		if op.Inferred {
			inferred++
		}
		if (op.Pace != nil) != (op.ID == "members.pull") {
			t.Errorf("%s: Pace = %+v", op.ID, op.Pace)
		}
		if op.Destructive() != (op.Tier == "destructive") {
			t.Errorf("%s: Destructive() disagrees with the tier", op.ID)
		}
	}
	if inferred != 82 {
		t.Errorf("%d inferred operations, want 82", inferred)
	}
	for _, id := range []string{"account.get", "meta.getOpenAPISpec", "meta.getDataModelSchema"} {
		if op, _ := resources.LookupOperation(id); op.Inferred {
			t.Errorf("%s is documented but marked inferred", id)
		}
	}
	pull, _ := resources.LookupOperation("members.pull")
	want := resources.Pace{KeyField: "targetServerId", CountField: "memberIds", Limit: 50, Interval: 60e9}
	if pull.Pace == nil || *pull.Pace != want {
		t.Errorf("members.pull Pace = %+v, want %+v", pull.Pace, want)
	}
	ops[0].ID = "changed"
	if resources.Operations()[0].ID == "changed" {
		t.Error("Operations returns the table itself, not a copy")
	}
	if _, ok := resources.LookupOperation("nope.nope"); ok {
		t.Error("LookupOperation found an unknown ID")
	}
}

// TestServicesAreAllSet checks that NewServices fills every field.
func TestServicesAreAllSet(t *testing.T) {
	v := reflect.ValueOf(resources.NewServices(&resourcestest.Recorder{}))
	for i := range v.NumField() {
		if v.Field(i).IsNil() {
			t.Errorf("Services.%s is nil", v.Type().Field(i).Name)
		}
	}
	if v.NumField() != 25 {
		t.Errorf("%d services, want 25", v.NumField())
	}
}
