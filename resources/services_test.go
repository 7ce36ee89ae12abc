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
			if !reflect.DeepEqual(*call.Op, want) {
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

// TestBackendErrors checks that every method returns the Backend's error
// and no value.
func TestBackendErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range resourcestest.Cases() {
		rec := &resourcestest.Recorder{Respond: func(resourcestest.Call) ([]byte, error) { return nil, boom }}
		got, err := c.Call(context.Background(), resources.NewServices(rec))
		if !errors.Is(err, boom) {
			t.Errorf("%s: error %v, want boom", c.ID, err)
		}
		if v := reflect.ValueOf(got); v.IsValid() && !v.IsZero() {
			t.Errorf("%s: returned %#v with the error, want nil", c.ID, got)
		}
	}
}

// TestZeroArgumentsSendNoBody calls every method of every service with
// zero values for its parameters (nil params and nil body) and checks that
// a nil request body reaches the Backend as an untyped nil, not as the JSON
// null, and nil params as no query.
func TestZeroArgumentsSendNoBody(t *testing.T) {
	ctxType := reflect.TypeFor[context.Context]()
	errType := reflect.TypeFor[error]()
	svcs := reflect.ValueOf(resources.NewServices(nil))
	called := 0
	for i := range svcs.NumField() {
		svc := svcs.Field(i)
		for j := range svc.NumMethod() {
			m, name := svc.Method(j), svcs.Type().Field(i).Name+"."+svc.Type().Method(j).Name
			mt := m.Type()
			if mt.NumIn() == 0 || mt.In(0) != ctxType || mt.NumOut() == 0 || mt.Out(mt.NumOut()-1) != errType {
				continue // an iterator, or not an operation
			}
			var sent []any
			b := backendFunc(func(_ context.Context, _ *resources.OperationSpec, _ string, q url.Values, bd, _ any) error {
				sent = append(sent, bd)
				if q != nil {
					t.Errorf("%s: nil params sent the query %v", name, q)
				}
				return nil
			})
			// Services are built per Backend: rebuild to reach b.
			m = reflect.ValueOf(resources.NewServices(b)).Field(i).Method(j)
			in := []reflect.Value{reflect.ValueOf(context.Background())}
			last := mt.NumIn()
			if mt.IsVariadic() {
				last--
			}
			for k := 1; k < last; k++ {
				in = append(in, reflect.Zero(mt.In(k)))
			}
			m.Call(in)
			called++
			if len(sent) != 1 || sent[0] != nil {
				t.Errorf("%s: the Backend got bodies %#v, want one untyped nil", name, sent)
			}
		}
	}
	if called != len(resources.Operations()) {
		t.Errorf("called %d methods for %d operations", called, len(resources.Operations()))
	}
}

type backendFunc func(ctx context.Context, op *resources.OperationSpec, path string, query url.Values, body, out any) error

func (f backendFunc) Call(ctx context.Context, op *resources.OperationSpec, path string, query url.Values, body, out any, _ ...resources.RequestOption) error {
	return f(ctx, op, path, query, body, out)
}

// TestOperationTable checks the invariants of the table, whatever the spec.
// The project spec's own figures are checked in internal/gen.
func TestOperationTable(t *testing.T) {
	ops := resources.Operations()
	seen := map[string]bool{}
	for _, op := range ops {
		if seen[op.ID] {
			t.Errorf("duplicate ID %q", op.ID)
		}
		seen[op.ID] = true
		res, action, ok := strings.Cut(op.ID, ".")
		if !ok || res == "" || action == "" {
			t.Errorf("ID %q is not resource.action", op.ID)
		}
		if !strings.HasPrefix(op.Path, "/") {
			t.Errorf("%s: path %q does not start with /", op.ID, op.Path)
		}
		// A spec may name tiers of its own (x-scope-tier), but a scope
		// always has one: the generator infers it from the scope's name.
		if op.Scope != "" && op.Tier == resources.TierUnknown {
			t.Errorf("%s: scope %q without a tier", op.ID, op.Scope)
		}
		if op.Pagination != resources.PaginationNone && op.Method != "GET" {
			t.Errorf("%s: paginated %s", op.ID, op.Method)
		}
		if p := op.Pace; p != nil && (p.KeyField == "" || p.Limit <= 0 || p.Interval <= 0) {
			t.Errorf("%s: Pace = %+v", op.ID, *p)
		}
		if op.Destructive() != (op.Tier == resources.TierDestructive) {
			t.Errorf("%s: Destructive() disagrees with the tier", op.ID)
		}
		if got, ok := resources.LookupOperation(op.ID); !ok || got.Path != op.Path {
			t.Errorf("LookupOperation(%q) = %+v, %v", op.ID, got, ok)
		}
	}
	if len(ops) > 0 {
		ops[0].ID = "changed"
		if resources.Operations()[0].ID == "changed" {
			t.Error("Operations returns the table itself, not a copy")
		}
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
}
