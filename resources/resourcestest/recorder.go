// Package resourcestest helps test code that sends Restore Hub operations:
// Cases is a table with one typed call per operation of the generated
// resources package and what that call must send and decode, and Recorder
// is a resources.Backend that records calls and answers them with canned
// JSON.
//
// The same table serves a test of any Backend. Through a real client and
// an HTTP mock, for each case: answer c.Method and the URL of c.Path and
// c.Query with c.Status and c.Response, run c.Call on the client's
// services, compare the request's query and JSON body with c.Query and
// c.Body (JSONEqual), and the result with c.Want (reflect.DeepEqual).
package resourcestest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sync"

	"github.com/restorehub/restorehub-go/resources"
)

// Call is one call a Recorder received.
type Call struct {
	// Op is the operation, as the service passed it.
	Op *resources.OperationSpec
	// Path is the path with its parameters filled in and escaped.
	Path string
	// Query is the encoded query; nil when the method sends none.
	Query url.Values
	// Body is the request body as JSON, encoded the way restorehub.Client
	// encodes it; nil when there is no body.
	Body []byte
	// Options is what the call's per-call options set.
	Options resources.RequestConfig
}

// Recorder is a resources.Backend that records every call and decodes the
// JSON that Respond gives into the call's result. It is safe for
// concurrent use.
type Recorder struct {
	// Respond, when not nil, returns the response body for a call (nil or
	// empty for none) or an error for the call to return.
	Respond func(c Call) ([]byte, error)
	// Header, when not nil, returns the response header for a call, which
	// the call's OnResponse hooks receive as a *Response (for an
	// iterator that reads the Link header); when nil they receive nil.
	Header func(c Call) http.Header

	mu    sync.Mutex
	calls []Call
}

// Call implements resources.Backend.
// Like restorehub.Client it returns an option's error without recording
// the call, and hands nil to the options' OnResponse hooks, since a
// Recorder has no HTTP response to describe, unless Header is set.
func (r *Recorder) Call(ctx context.Context, op *resources.OperationSpec, path string, query url.Values, body, out any, opts ...resources.RequestOption) error {
	cfg := resources.NewRequestConfig(opts...)
	var described any
	defer func() {
		for _, f := range cfg.OnResponse {
			f(described)
		}
	}()
	if cfg.Err != nil {
		return cfg.Err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c := Call{Op: op, Path: path, Query: query, Options: cfg}
	switch b := body.(type) {
	case nil:
	case json.RawMessage:
		c.Body = b
	case []byte:
		c.Body = b
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("resourcestest: encoding the %s body: %w", op.ID, err)
		}
		c.Body = enc
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	respond, header := r.Respond, r.Header
	r.mu.Unlock()
	if header != nil {
		described = &Response{Header: header(c)}
	}
	if respond == nil {
		return nil
	}
	resp, err := respond(c)
	if err != nil {
		return err
	}
	if out == nil || len(resp) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp, out); err != nil {
		return fmt.Errorf("resourcestest: decoding the %s response: %w", op.ID, err)
	}
	return nil
}

// Response is what the OnResponse hooks of a call's options receive from
// a Recorder whose Header function is set.
type Response struct {
	// Header is what the Header function returned for the call.
	Header http.Header
}

// ResponseHeader returns r.Header, nil for a nil r; it makes *Response a
// resources.ResponseHeaderer.
func (r *Response) ResponseHeader() http.Header {
	if r == nil {
		return nil
	}
	return r.Header
}

// Calls returns the calls received so far, in order.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// Reset forgets the calls received so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.calls = nil
	r.mu.Unlock()
}

// JSONEqual reports whether a and b hold the same JSON value, ignoring
// white space and the order of object keys. Two empty inputs are equal.
func JSONEqual(a, b []byte) bool {
	a, b = bytes.TrimSpace(a), bytes.TrimSpace(b)
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// QueryEqual reports whether two queries hold the same parameters; nil and
// empty are equal.
func QueryEqual(a, b url.Values) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	return reflect.DeepEqual(a, b)
}
