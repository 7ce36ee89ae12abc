package restorehubtest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// Page sizes of list operations.
const (
	// DefaultPageSize is the page size of a list request that names no limit.
	DefaultPageSize = 20
	// MaxPageSize caps the limit a list request may ask for.
	MaxPageSize = 100
)

// call is one routed, authorised request being executed.
type call struct {
	rt     *route
	parts  []string // the unescaped path segments below the base
	params map[string]string
	query  url.Values
	body   []byte
	now    time.Time
	h      http.Header // response headers so far (the rate-limit headers)
}

// join renders parts[:n] as a store path.
func (c *call) join(n int) string {
	if n == 0 {
		return "/"
	}
	return "/" + strings.Join(c.parts[:n], "/")
}

// executeLocked runs an authorised request against the store and answers
// an operation whose response is a scalar (OperationSpec.Scalar) with a
// zero value of its type instead of the store's object.
func (s *Server) executeLocked(c *call) *reply {
	r := s.storeLocked(c)
	if zero, ok := scalarZero[c.rt.op.Scalar]; ok && r.status >= 200 && r.status < 300 && len(r.body) > 0 {
		return jsonReply(r.status, r.header, zero)
	}
	return r
}

// scalarZero is the zero value of each scalar JSON type.
var scalarZero = map[string]any{"string": "", "integer": 0, "number": 0, "boolean": false}

// storeLocked runs an authorised request against the store.
func (s *Server) storeLocked(c *call) *reply {
	for _, i := range c.rt.checks {
		coll := c.join(i)
		if _, ok := s.store.get(coll, c.parts[i]); !ok {
			return notFound(c.h, resourceName(c.rt.segs, i), coll, c.parts[i])
		}
	}
	var body map[string]any
	switch c.rt.kind {
	case kindCreate, kindUpdate, kindObjectUpdate, kindAction:
		var bad *reply
		if body, bad = parseBody(c.body, c.h); bad != nil {
			return bad
		}
	}
	n := len(c.parts)
	switch c.rt.kind {
	case kindList:
		return s.listLocked(c)
	case kindCreate:
		e, ok := s.store.insert(c.join(n), body, c.now)
		if !ok {
			return errorReply(http.StatusConflict, c.h, fmt.Sprintf("An entity with id %q already exists.", body["id"]),
				map[string]any{"id": body["id"]})
		}
		return jsonReply(http.StatusCreated, c.h, e)
	case kindGet:
		e, _ := s.store.get(c.join(n-1), c.parts[n-1])
		if s.router.jobs != "" && c.rt.normalize(n-1) == s.router.jobs {
			advanceJob(e, c.now)
		}
		return jsonReply(http.StatusOK, c.h, e)
	case kindUpdate:
		e, _ := s.store.get(c.join(n-1), c.parts[n-1])
		merge(e, body, c.now)
		return jsonReply(http.StatusOK, c.h, e)
	case kindDelete:
		s.store.remove(c.join(n-1), c.parts[n-1])
		return emptyReply(http.StatusNoContent, c.h)
	case kindObjectGet:
		path := c.join(n)
		if s.store.deleted[path] {
			return errorReply(http.StatusNotFound, c.h, "Not found.", map[string]any{"path": path})
		}
		o := s.store.objects[path]
		if o == nil {
			o = map[string]any{}
		}
		return jsonReply(http.StatusOK, c.h, o)
	case kindObjectUpdate:
		path := c.join(n)
		o := s.store.objects[path]
		if o == nil {
			o = map[string]any{}
			s.store.objects[path] = o
		}
		delete(s.store.deleted, path)
		merge(o, body, c.now)
		return jsonReply(http.StatusOK, c.h, o)
	case kindObjectDelete:
		path := c.join(n)
		delete(s.store.objects, path)
		s.store.deleted[path] = true
		return emptyReply(http.StatusNoContent, c.h)
	}
	if bad := s.paceLocked(&c.rt.op, body, c.params, c.now, c.h); bad != nil {
		return bad
	}
	return jsonReply(http.StatusOK, c.h, s.jobLocked(c, body))
}

// The states a fake job goes through, one per read of it.
const (
	jobQueued    = "queued"
	jobRunning   = "running"
	jobCompleted = "completed"
)

// jobLocked returns the queued job an action answers with, in the shape
// of the spec's Job: id, the operation ID as its type, status "queued",
// progress 0, as total the count an operation budget spent (null
// otherwise), createdAt and a null finishedAt. When the table has a way to
// read jobs, the job is stored there.
func (s *Server) jobLocked(c *call, body map[string]any) map[string]any {
	var total any
	if p := c.rt.op.Pace; p != nil {
		total = paceCount(p, body)
	}
	job := map[string]any{
		"type":       c.rt.op.ID,
		"status":     jobQueued,
		"progress":   0,
		"total":      total,
		"createdAt":  timestamp(c.now),
		"finishedAt": nil,
	}
	if jobs := s.router.jobs; jobs != "" && !strings.Contains(jobs, "{}") {
		job["id"] = s.store.newID(jobs)
		stored, _ := cloneJSON(job)
		s.store.insert(jobs, stored, c.now)
		return job
	}
	s.store.seq++
	job["id"] = fmt.Sprintf("job_%04d", s.store.seq)
	return job
}

// advanceJob moves a stored job one state on: queued to running, running
// to completed (progress reaching total, finishedAt set). Other states
// stay.
func advanceJob(job map[string]any, now time.Time) {
	switch job["status"] {
	case jobQueued:
		job["status"] = jobRunning
	case jobRunning:
		job["status"] = jobCompleted
		if t, ok := job["total"]; ok && t != nil {
			job["progress"] = t
		}
		job["finishedAt"] = timestamp(now)
	}
}

// resourceName names the entities of the parameter at segs[i]: the
// literal before it ("servers" for "/servers/{serverId}"), or "entity".
func resourceName(segs []resources.PathSegment, i int) string {
	if i > 0 {
		if lit, ok := segs[i-1].Literal(); ok {
			return lit
		}
	}
	return "entity"
}

// notFound returns the 404 for an unknown entity id of the collection at
// path (named resource).
func notFound(h http.Header, resource, path, id string) *reply {
	return errorReply(http.StatusNotFound, h, fmt.Sprintf("No %s with id %q.", resource, id),
		map[string]any{"resource": resource, "path": path, "id": id})
}

// parseBody decodes a request body as a JSON object; an empty body is an
// empty object. It returns the 400 reply when the body is not an object.
func parseBody(b []byte, h http.Header) (map[string]any, *reply) {
	if len(strings.TrimSpace(string(b))) == 0 {
		return map[string]any{}, nil
	}
	m, err := decodeObject(b)
	if err != nil {
		return nil, errorReply(http.StatusBadRequest, h, "Invalid request body: expected a JSON object.",
			map[string]any{"issues": []map[string]any{{
				"code":    "invalid_type",
				"path":    []string{},
				"message": err.Error(),
			}}})
	}
	return m, nil
}

// badQuery returns the 400 for an invalid query parameter.
func badQuery(h http.Header, name, message string) *reply {
	return errorReply(http.StatusBadRequest, h, fmt.Sprintf("Invalid query parameter %q: %s", name, message),
		map[string]any{"issues": []map[string]any{{
			"code":    "invalid_query",
			"path":    []string{name},
			"message": message,
		}}})
}

// positiveQuery reads a positive integer query parameter, or def when absent.
func positiveQuery(q url.Values, name string, def int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

// encodeCursor makes the opaque cursor of the item at offset.
func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

// decodeCursor reads a cursor made by encodeCursor.
func decodeCursor(cur string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(b), "offset:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
