package restorehub

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// restoreBody is a body for a raw backups.restore request, whose body is
// required.
var restoreBody = json.RawMessage(`{"targetServerId":"srv_2"}`)

// TestRawRequestsNeedTheirRequiredBody checks that a raw Do request that
// matches an operation whose body is required, and carries none, is refused
// locally as a typed call is: an *InvalidRequestError, the guard not asked,
// nothing sent. Requests with a body, operations without a required body
// and requests that match no operation are unaffected.
func TestRawRequestsNeedTheirRequiredBody(t *testing.T) {
	var nilRestore *resources.BackupRestore
	tests := []struct {
		name     string
		req      Request
		wantOp   string // the refused operation; "" when the request must go out
		wantSent string // "METHOD path" the server must see when it goes out
	}{
		{"restore without a body", Request{Method: "POST", Path: "/backups/b1/restore"}, "backups.restore", ""},
		{"restore, lower-case method, without a body", Request{Method: "post", Path: "/backups/b1/restore"}, "backups.restore", ""},
		{"restore with an empty raw body", Request{Method: "POST", Path: "/backups/b1/restore", Body: json.RawMessage(nil)}, "backups.restore", ""},
		{"restore with a JSON null body", Request{Method: "POST", Path: "/backups/b1/restore", Body: []byte(" null ")}, "backups.restore", ""},
		{"restore with a nil typed body", Request{Method: "POST", Path: "/backups/b1/restore", Body: nilRestore}, "backups.restore", ""},
		{"pull without a body", Request{Method: "POST", Path: "/members/pull"}, "members.pull", ""},
		{"restore with a body", Request{Method: "POST", Path: "/backups/b1/restore", Body: &resources.BackupRestore{TargetServerID: "srv_2"}}, "", "POST /backups/b1/restore"},
		{"restore with a raw body", Request{Method: "POST", Path: "/backups/b1/restore", Body: json.RawMessage(`{"targetServerId":"srv_2"}`)}, "", "POST /backups/b1/restore"},
		{"GET of a matched operation needs no body", Request{Method: "GET", Path: "/backups/b1"}, "", "GET /backups/b1"},
		{"DELETE of a matched operation needs no body", Request{Method: "DELETE", Path: "/backups/b1"}, "", "DELETE /backups/b1"},
		{"POST that matches no operation is not judged by a spec", Request{Method: "POST", Path: "/not-documented"}, "", "POST /not-documented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newPathServer(t, nil)
			g := &guardLog{}
			c := newTestClient(t, srv.URL+"/api/v1", WithDestructiveGuard(g.guard))
			req := tt.req
			_, err := c.Do(context.Background(), &req, nil)
			if tt.wantOp == "" {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if s.count(tt.wantSent) != 1 {
					t.Errorf("server saw %v, want %s", s.lines(), tt.wantSent)
				}
				return
			}
			var ire *InvalidRequestError
			if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &ire) || ire.Param != "body" || ire.Operation != tt.wantOp {
				t.Fatalf("err = %v, want an *InvalidRequestError for the body of %s", err, tt.wantOp)
			}
			if !strings.Contains(err.Error(), "nothing was sent") {
				t.Errorf("err = %q: want 'nothing was sent'", err)
			}
			if n := s.count(""); n != 0 {
				t.Errorf("server saw %d requests: %v", n, s.lines())
			}
			if len(g.ops) != 0 {
				t.Errorf("the guard was asked about %+v; a refused request must not reach it", g.ops)
			}
		})
	}
}
