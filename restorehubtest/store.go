package restorehubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// store is the fake's in-memory data: collections of entities and single
// objects, both keyed by their concrete path below the base ("/servers",
// "/servers/server_0001/backups", "/account").
type store struct {
	collections map[string]*collection
	objects     map[string]map[string]any
	deleted     map[string]bool // single objects removed by DELETE
	seq         int
}

// collection is an ordered set of entities.
type collection struct {
	order []string
	items map[string]map[string]any
}

// newStore returns an empty store.
func newStore() *store {
	return &store{
		collections: make(map[string]*collection),
		objects:     make(map[string]map[string]any),
		deleted:     make(map[string]bool),
	}
}

// coll returns the collection at path, creating it when create is set.
func (st *store) coll(path string, create bool) *collection {
	c := st.collections[path]
	if c == nil && create {
		c = &collection{items: make(map[string]map[string]any)}
		st.collections[path] = c
	}
	return c
}

// get returns the entity id of the collection at path.
func (st *store) get(path, id string) (map[string]any, bool) {
	c := st.collections[path]
	if c == nil {
		return nil, false
	}
	e, ok := c.items[id]
	return e, ok
}

// list returns the entities of the collection at path, oldest first.
func (st *store) list(path string) []map[string]any {
	c := st.collections[path]
	if c == nil {
		return nil
	}
	out := make([]map[string]any, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.items[id])
	}
	return out
}

// newID returns an unused ID for the collection at path, such as
// "server_0001" for "/servers".
func (st *store) newID(path string) string {
	prefix := idPrefix(path)
	for {
		st.seq++
		id := fmt.Sprintf("%s_%04d", prefix, st.seq)
		if _, taken := st.get(path, id); !taken {
			return id
		}
	}
}

// idPrefix derives an ID prefix from a collection path's last segment:
// "server" for "/servers", "apikey" for "/api-keys".
func idPrefix(path string) string {
	last := path[strings.LastIndex(path, "/")+1:]
	var b strings.Builder
	for _, r := range strings.ToLower(last) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	p := b.String()
	switch {
	case p == "":
		return "obj"
	case strings.HasSuffix(p, "ies") && len(p) > 4:
		return p[:len(p)-3] + "y"
	case strings.HasSuffix(p, "s") && !strings.HasSuffix(p, "ss") && len(p) > 3:
		return p[:len(p)-1]
	}
	return p
}

// insert adds e to the collection at path, giving it an id (unless it has
// a string one) and a createdAt (unless it has one). It reports false,
// storing nothing, when the id is already taken.
func (st *store) insert(path string, e map[string]any, now time.Time) (map[string]any, bool) {
	id, _ := e["id"].(string)
	if id == "" {
		id = st.newID(path)
	} else if _, taken := st.get(path, id); taken {
		return nil, false
	}
	e["id"] = id
	if _, ok := e["createdAt"]; !ok {
		e["createdAt"] = timestamp(now)
	}
	c := st.coll(path, true)
	c.order = append(c.order, id)
	c.items[id] = e
	return e, true
}

// remove deletes entity id from the collection at path.
func (st *store) remove(path, id string) bool {
	c := st.collections[path]
	if c == nil {
		return false
	}
	if _, ok := c.items[id]; !ok {
		return false
	}
	delete(c.items, id)
	for i, x := range c.order {
		if x == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	return true
}

// merge applies patch to e the way a JSON merge patch does at the top
// level: null removes a field, anything else replaces it. The id and
// createdAt cannot be changed.
func merge(e, patch map[string]any, now time.Time) {
	for k, v := range patch {
		if k == "id" || k == "createdAt" {
			continue
		}
		if v == nil {
			delete(e, k)
		} else {
			e[k] = v
		}
	}
	e["updatedAt"] = timestamp(now)
}

// timestamp formats t as the fake's JSON timestamps do.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// cloneJSON deep-copies v through JSON, so the store never shares maps
// with callers; numbers become json.Number.
func cloneJSON(v map[string]any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return decodeObject(b)
}

// decodeObject decodes a JSON object, keeping numbers as json.Number.
func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON object")
	}
	if m == nil {
		return nil, fmt.Errorf("expected a JSON object, got null")
	}
	return m, nil
}

// cleanPath turns a caller's path ("servers", "/api/v1/servers/",
// "/servers") into the store's form ("/servers").
func cleanPath(p string) string {
	p = "/" + strings.Trim(p, "/")
	if rest, ok := strings.CutPrefix(p, BasePath); ok && (rest == "" || rest[0] == '/') {
		p = "/" + strings.Trim(rest, "/")
	}
	return p
}

// Object returns a copy of what is stored at path: an entity
// ("/servers/server_0001") or a single object ("/account"). It reports
// false when nothing is stored there.
func (s *Server) Object(path string) (map[string]any, bool) {
	p := cleanPath(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.store.objects[p]; ok {
		c, _ := cloneJSON(o)
		return c, true
	}
	i := strings.LastIndex(p, "/")
	if i > 0 {
		if e, ok := s.store.get(p[:i], p[i+1:]); ok {
			c, _ := cloneJSON(e)
			return c, true
		}
	}
	return nil, false
}

// Entities returns copies of the entities of the collection at
// collectionPath, oldest first.
func (s *Server) Entities(collectionPath string) []map[string]any {
	p := cleanPath(collectionPath)
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.store.list(p)
	out := make([]map[string]any, 0, len(items))
	for _, e := range items {
		c, _ := cloneJSON(e)
		out = append(out, c)
	}
	return out
}
