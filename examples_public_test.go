package restorehub

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExamplesUseOnlyPublicAPI checks that every example can be copied into
// a user's module as it is: it imports the standard library and this
// module's public packages, never an internal package of the repository.
func TestExamplesUseOnlyPublicAPI(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("examples", "*", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	public := map[string]bool{
		"github.com/restorehub/restorehub-go":                         true,
		"github.com/restorehub/restorehub-go/resources":               true,
		"github.com/restorehub/restorehub-go/resources/resourcestest": true,
		"github.com/restorehub/restorehub-go/restorehubtest":          true,
		"github.com/restorehub/restorehub-go/redisbudget":             true,
	}
	dirs := map[string]bool{}
	for _, f := range files {
		dirs[filepath.Dir(f)] = true
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			stdlib := !strings.Contains(first, ".")
			if strings.Contains(path, "/internal/") || strings.HasSuffix(path, "/internal") || (!stdlib && !public[path]) {
				t.Errorf("%s imports %s: an example may use only the standard library and the SDK's public packages", f, path)
			}
		}
	}
	if len(dirs) < 5 {
		t.Errorf("found %d example directories, want at least 5 (internal ones are gone?)", len(dirs))
	}
	if matches, _ := filepath.Glob(filepath.Join("examples", "internal")); len(matches) > 0 {
		t.Errorf("examples/internal exists: examples must not share hidden helpers")
	}
}
