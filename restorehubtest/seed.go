package restorehubtest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// resourcesPkg is the import path of the package whose model types Seed
// takes.
var resourcesPkg = reflect.TypeFor[resources.OperationSpec]().PkgPath()

// zeroTime is how encoding/json writes a zero time.Time.
const zeroTime = "0001-01-01T00:00:00Z"

// Seed stores entities, each a value of (or a pointer to) a model type of
// package resources, such as resources.Server or resources.Backup, where
// the API keeps them, and returns their IDs in order:
//
//	ids, err := srv.Seed(
//		resources.Server{ID: "srv_1", Name: "Pixel Lounge", GuildID: "412290157281476608"},
//		resources.Backup{ServerID: "srv_1", Status: resources.BackupStatusCompleted},
//	)
//
// Each type goes to the collection whose operations return it (the
// operation table's Model: first an item get, then a create, then a list),
// so resources.Backup goes to /backups with today's spec. In a nested
// collection such as /servers/{serverId}/backups, the entity's fields of
// the parameters' names (serverId) name its parents. A type that an
// object operation such as GET /account returns replaces that object
// (resources.Account); its ID is "". An entity keeps the id it has and gets
// a generated one when it is empty; a zero timestamp counts as absent and
// createdAt is set to the server's time. The entities are copied.
//
// Seed stores nothing and returns an error when an entity is not a
// resources model, no operation of the table returns its type, its
// collection is nested and it lacks the fields that name its parents (use
// SeedAt with the parent's path), it cannot be encoded, or its id is taken.
func (s *Server) Seed(entities ...any) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	batch := make([]seedItem, 0, len(entities))
	for i, e := range entities {
		home, name, err := s.homeOf(e)
		if err != nil {
			return nil, fmt.Errorf("restorehubtest: Seed: entity %d: %w", i, err)
		}
		obj, err := encodeEntity(e)
		if err != nil {
			return nil, fmt.Errorf("restorehubtest: Seed: entity %d (resources.%s): %w", i, name, err)
		}
		path := home.path
		if !home.object && strings.Contains(path, "{}") {
			var ok bool
			if path, ok = home.resolve(obj); !ok {
				return nil, fmt.Errorf("restorehubtest: Seed: entity %d: resources.%s lives in the nested collection %s and lacks the fields that name its parents; use SeedAt with the parent's path", i, name, home.path)
			}
		}
		batch = append(batch, seedItem{path: path, object: home.object, obj: obj})
	}
	return s.storeBatchLocked("Seed", batch)
}

// SeedAt stores entities in the collection at collectionPath (below the
// base, such as "/servers/srv_1/backups"; a leading /api/v1 is ignored)
// and returns their IDs in order. It is for entities Seed cannot place:
// maps, entities of a nested collection that do not name their parents,
// and collections of a table without models (WithOperations). The
// entities are values of resources types or anything else that encodes as
// a JSON object; they get ids and createdAt as with Seed. It stores
// nothing and returns an error when one cannot be encoded as a JSON object
// or its id is taken.
func (s *Server) SeedAt(collectionPath string, entities ...any) ([]string, error) {
	path := cleanPath(collectionPath)
	s.mu.Lock()
	defer s.mu.Unlock()
	batch := make([]seedItem, 0, len(entities))
	for i, e := range entities {
		obj, err := encodeEntity(e)
		if err != nil {
			return nil, fmt.Errorf("restorehubtest: SeedAt(%q): entity %d: %w", path, i, err)
		}
		batch = append(batch, seedItem{path: path, obj: obj})
	}
	return s.storeBatchLocked("SeedAt", batch)
}

// SetObject replaces the single object at path, such as "/account" or
// "/billing", which GET then returns and PATCH merges into. obj is a
// resources value or anything else that encodes as a JSON object; it is
// copied. SetObject returns an error, storing nothing, when it does not.
func (s *Server) SetObject(path string, obj any) error {
	p := cleanPath(path)
	c, err := encodeEntity(obj)
	if err != nil {
		return fmt.Errorf("restorehubtest: SetObject(%q): %w", p, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.objects[p] = c
	delete(s.store.deleted, p)
	return nil
}

// seedItem is one entity of a Seed call, ready to store.
type seedItem struct {
	path   string // the collection's path, or the object's
	object bool
	obj    map[string]any
}

// storeBatchLocked checks that no id of batch is taken, in the store or
// twice in batch, then stores it all.
func (s *Server) storeBatchLocked(fn string, batch []seedItem) ([]string, error) {
	seen := make(map[string]bool)
	for i, it := range batch {
		id, _ := it.obj["id"].(string)
		if it.object || id == "" {
			continue
		}
		key := it.path + "/" + id
		if _, taken := s.store.get(it.path, id); taken || seen[key] {
			return nil, fmt.Errorf("restorehubtest: %s: entity %d: id %q is already taken in %s", fn, i, id, it.path)
		}
		seen[key] = true
	}
	now := s.now()
	ids := make([]string, 0, len(batch))
	for _, it := range batch {
		if it.object {
			s.store.objects[it.path] = it.obj
			delete(s.store.deleted, it.path)
			ids = append(ids, "")
			continue
		}
		stored, _ := s.store.insert(it.path, it.obj, now)
		ids = append(ids, stored["id"].(string))
	}
	return ids, nil
}

// home is where the entities of a model type live.
type home struct {
	path   string                  // the collection's or object's path, parameters as "{}"
	segs   []resources.PathSegment // the collection's template, with parameter names
	object bool
}

// resolve fills the parameters of h's collection template from the
// entity's fields of the same names ("/servers/{serverId}/backups" takes
// serverId), reporting false when one is missing or not a string or
// number.
func (h home) resolve(obj map[string]any) (string, bool) {
	var b strings.Builder
	for _, sg := range h.segs {
		b.WriteByte('/')
		if lit, ok := sg.Literal(); ok {
			b.WriteString(lit)
			continue
		}
		param := sg.Param()
		if param == "" {
			return "", false // literal text beside a parameter: not a collection the fake keeps
		}
		v, _ := fieldFor(obj, param)
		switch x := v.(type) {
		case string:
			if x == "" {
				return "", false
			}
			b.WriteString(x)
		case json.Number:
			b.WriteString(x.String())
		default:
			return "", false
		}
	}
	return b.String(), true
}

// homeOf finds where e, a resources model value, is kept, and its type's
// name.
func (s *Server) homeOf(e any) (home, string, error) {
	t := reflect.TypeOf(e)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, ok := e.(string); ok {
		return home{}, "", fmt.Errorf("a collection path (%q) is not a value of a resources type; use SeedAt(path, ...)", e)
	}
	if t == nil || t.PkgPath() != resourcesPkg || t.Name() == "" {
		return home{}, "", fmt.Errorf("%T is not a type of package resources; use SeedAt with a collection path", e)
	}
	name := t.Name()
	tmpl, ok := s.router.models[name]
	if !ok {
		return home{}, name, fmt.Errorf("no operation of the table returns resources.%s, so the fake keeps no collection of it; use SeedAt with a collection path", name)
	}
	if tmpl.object {
		return tmpl, name, nil
	}
	return tmpl, name, nil
}

// encodeEntity encodes e as a JSON object for the store, leaving out an
// empty id and zero timestamps so the store fills them in.
func encodeEntity(e any) (map[string]any, error) {
	if e == nil {
		return nil, fmt.Errorf("nil entity")
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	m, err := decodeObject(b)
	if err != nil {
		return nil, fmt.Errorf("%T does not encode as a JSON object: %w", e, err)
	}
	if id, ok := m["id"]; ok && (id == nil || id == "") {
		delete(m, "id")
	}
	for k, v := range m {
		if v == zeroTime {
			delete(m, k)
		}
	}
	return m, nil
}
