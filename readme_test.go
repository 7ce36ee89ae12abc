package restorehub

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The README's Go snippets compile. TestREADMESnippetsCompile extracts
// every block fenced as ```go from README.md and builds it in a scratch
// module that uses this checkout (and redisbudget) through replace
// directives. The convention, for whoever edits the README:
//
//   - A block with a package clause is a whole file and builds on its own.
//   - A block whose first code line starts a declaration at column 0
//     (func, type, var, const) and that parses as a list of declarations
//     is a file fragment: its declarations are compiled as they are.
//   - Any other block is a function body: it is wrapped in a func.
//     Variables it declares need not be used.
//   - Imports are added for the packages a block names (restorehub,
//     resources, restorehubtest, redisbudget, redis and the usual standard
//     packages; see readmeImports), so blocks stay short.
//   - Every block may use, without declaring them, the names readmeGiven
//     declares: ctx, key, apiKey, backupID, serverID, id, client,
//     askOperator, askHuman, and a stand-in chat API for agent loops
//     (chat, messages, toolMessage).
//   - A block that is not meant to compile (pseudo-code, output) is fenced
//     as ```text, or preceded by the line <!-- readme:nocompile -->.
//
// The test fails naming the README line of a block that does not build.

// readmeImports are the packages a snippet may name without importing.
var readmeImports = map[string]string{
	"restorehub":     "github.com/restorehub/restorehub-go",
	"resources":      "github.com/restorehub/restorehub-go/resources",
	"restorehubtest": "github.com/restorehub/restorehub-go/restorehubtest",
	"resourcestest":  "github.com/restorehub/restorehub-go/resources/resourcestest",
	"redisbudget":    "github.com/restorehub/restorehub-go/redisbudget",
	"agent":          "github.com/restorehub/restorehub-go/agent",
	"mcpserver":      "github.com/restorehub/restorehub-go/agent/mcpserver",
	"redis":          "github.com/redis/go-redis/v9",
	"httpmock":       "github.com/jarcoal/httpmock",
	"context":        "context",
	"errors":         "errors",
	"fmt":            "fmt",
	"http":           "net/http",
	"io":             "io",
	"json":           "encoding/json",
	"log":            "log",
	"os":             "os",
	"slog":           "log/slog",
	"strings":        "strings",
	"synctest":       "testing/synctest",
	"testing":        "testing",
	"time":           "time",
	"url":            "net/url",
}

// readmeGiven is what every snippet may use without declaring it.
const readmeGiven = `package snippets

import (
	"context"
	"encoding/json"

	restorehub "github.com/restorehub/restorehub-go"
)

var (
	ctx                             = context.Background()
	key, apiKey                     = "rh_0123456789abcdefghijABCDEFGHIJklmn", "rh_0123456789abcdefghijABCDEFGHIJklmn"
	backupID, serverID, id          string
	client                          *restorehub.Client
	_, _, _, _, _, _, _             = ctx, key, apiKey, backupID, serverID, id, client
)

func askOperator(ctx context.Context, op restorehub.Operation) error { return nil }

func askHuman(ctx context.Context, summary string) bool { return false }

// A stand-in for an LLM provider's chat API, for the agent loop.
type (
	chatToolCall struct {
		ID       string
		Function struct{ Name, Arguments string }
	}
	chatReply   struct{ ToolCalls []chatToolCall }
	chatMessage struct{}
)

var messages []chatMessage

func chat(ctx context.Context, messages []chatMessage, tools json.RawMessage) chatReply {
	return chatReply{}
}

func toolMessage(id, text string, data json.RawMessage) chatMessage { return chatMessage{} }

var _, _, _, _ = askOperator, askHuman, chat, toolMessage
`

// readmeBlock is one ```go block of the README.
type readmeBlock struct {
	line int // the line of the opening fence
	code string
}

// readmeBlocks returns the README's ```go blocks that must compile.
func readmeBlocks(readme []byte) []readmeBlock {
	var blocks []readmeBlock
	sc := bufio.NewScanner(bytes.NewReader(readme))
	var cur *readmeBlock
	var buf strings.Builder
	skipNext, inOther := false, false
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		t := strings.TrimSpace(l)
		switch {
		case cur != nil:
			if t == "```" {
				cur.code = buf.String()
				blocks = append(blocks, *cur)
				cur = nil
				continue
			}
			buf.WriteString(l + "\n")
		case inOther:
			if t == "```" {
				inOther = false
			}
		case t == "<!-- readme:nocompile -->":
			skipNext = true
		case strings.HasPrefix(t, "```"):
			lang := strings.TrimSpace(strings.TrimPrefix(t, "```"))
			if lang == "go" && !skipNext {
				cur = &readmeBlock{line: n}
				buf.Reset()
			} else {
				inOther = true
			}
			skipNext = false
		case t != "":
			skipNext = false
		}
	}
	return blocks
}

var declStart = regexp.MustCompile(`^(func|type|var|const) `)

// readmeSource turns block i into a Go file of package snippets, or a
// whole file when it has its own package clause.
func readmeSource(i int, b readmeBlock) (src []byte, whole bool, err error) {
	code := b.code
	first := ""
	for _, l := range strings.Split(code, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "//") {
			first = l
			break
		}
	}
	if strings.HasPrefix(first, "package ") {
		return []byte(code), true, nil
	}
	var body string
	fileLevel := false
	if declStart.MatchString(first) {
		_, perr := parser.ParseFile(token.NewFileSet(), "", "package snippets\n\n"+code, parser.SkipObjectResolution)
		fileLevel = perr == nil
	}
	if fileLevel {
		body = code
	} else {
		body = fmt.Sprintf("func readmeSnippet%d() {\n%s\n}\n", i, code)
	}
	file := "package snippets\n\n" + body
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", file, parser.SkipObjectResolution)
	if err != nil {
		return nil, false, err
	}
	// Imports for the packages the block names.
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && readmeImports[x.Name] != "" {
				used[x.Name] = true
			}
		}
		return true
	})
	// Variables the body declares at its top level need not be used.
	var blank []string
	if !fileLevel {
		fn := f.Decls[0].(*ast.FuncDecl)
		seen := map[string]bool{}
		add := func(id *ast.Ident) {
			if id.Name != "_" && !seen[id.Name] {
				seen[id.Name] = true
				blank = append(blank, id.Name)
			}
		}
		for _, st := range fn.Body.List {
			switch s := st.(type) {
			case *ast.AssignStmt:
				if s.Tok == token.DEFINE {
					for _, e := range s.Lhs {
						if id, ok := e.(*ast.Ident); ok {
							add(id)
						}
					}
				}
			case *ast.DeclStmt:
				if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
					for _, sp := range g.Specs {
						for _, id := range sp.(*ast.ValueSpec).Names {
							add(id)
						}
					}
				}
			}
		}
	}
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	var out strings.Builder
	out.WriteString("package snippets\n\nimport (\n")
	for _, n := range names {
		fmt.Fprintf(&out, "\t%s %q\n", n, readmeImports[n])
	}
	out.WriteString(")\n\n")
	if len(blank) > 0 {
		body = strings.TrimSuffix(body, "}\n") + "\t_ = []any{" + strings.Join(blank, ", ") + "}\n}\n"
	}
	out.WriteString(body)
	formatted, err := format.Source([]byte(out.String()))
	if err != nil {
		return []byte(out.String()), false, err
	}
	return formatted, false, nil
}

// readmeRequires returns the require lines of a go.mod, without the
// project's own modules.
func readmeRequires(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inBlock := false
	for _, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "require (":
			inBlock = true
			continue
		case inBlock && t == ")":
			inBlock = false
			continue
		case strings.HasPrefix(t, "require "):
			t = strings.TrimPrefix(t, "require ")
		case !inBlock:
			continue
		}
		t, _, _ = strings.Cut(t, "//")
		if f := strings.Fields(t); len(f) == 2 && !strings.HasPrefix(f[0], "github.com/restorehub/") {
			out = append(out, f[0]+" "+f[1])
		}
	}
	return out
}

func TestREADMESnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module")
	}
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(readme)
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```go blocks")
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reqs := map[string]bool{}
	for _, gm := range []string{"go.mod", filepath.Join("redisbudget", "go.mod"), filepath.Join("agent", "go.mod")} {
		for _, r := range readmeRequires(t, gm) {
			reqs[r] = true
		}
	}
	var mod strings.Builder
	mod.WriteString("module example.com/readmesnippets\n\ngo 1.26.0\n\nrequire (\n")
	mod.WriteString("\tgithub.com/restorehub/restorehub-go v0.0.0\n\tgithub.com/restorehub/restorehub-go/redisbudget v0.0.0\n\tgithub.com/restorehub/restorehub-go/agent v0.0.0\n")
	sorted := make([]string, 0, len(reqs))
	for r := range reqs {
		sorted = append(sorted, r)
	}
	sort.Strings(sorted)
	for _, r := range sorted {
		mod.WriteString("\t" + r + "\n")
	}
	fmt.Fprintf(&mod, ")\n\nreplace github.com/restorehub/restorehub-go => %s\n\nreplace github.com/restorehub/restorehub-go/redisbudget => %s\n\nreplace github.com/restorehub/restorehub-go/agent => %s\n",
		root, filepath.Join(root, "redisbudget"), filepath.Join(root, "agent"))
	write("go.mod", []byte(mod.String()))
	var sum []byte
	for _, gs := range []string{"go.sum", filepath.Join("redisbudget", "go.sum"), filepath.Join("agent", "go.sum")} {
		b, _ := os.ReadFile(gs)
		sum = append(sum, b...)
	}
	write("go.sum", sum)
	write(filepath.Join("snippets", "given.go"), []byte(readmeGiven))

	where := map[string]int{} // file → README line
	for i, b := range blocks {
		src, whole, err := readmeSource(i, b)
		if err != nil {
			t.Errorf("README.md:%d: the ```go block does not parse: %v\n%s", b.line, err, src)
			continue
		}
		name := filepath.Join("snippets", fmt.Sprintf("readme_line_%d.go", b.line))
		if whole {
			name = filepath.Join(fmt.Sprintf("whole%d", b.line), "main.go")
		}
		write(name, src)
		where[filepath.ToSlash(name)] = b.line
	}
	// -trimpath keeps the scratch directory's name out of the build cache's
	// keys, so a README that has not changed is not compiled again.
	cmd := exec.Command("go", "build", "-trimpath", "-o", os.DevNull, "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		text := string(out)
		if strings.Contains(text, "GOPROXY=off") || strings.Contains(text, "module lookup disabled") {
			if os.Getenv("CI") != "" {
				t.Fatalf("a dependency is not in the module cache; .ci/run downloads them first: %s", text)
			}
			t.Skipf("a dependency is not in the module cache (run go mod download in redisbudget and agent): %s", text)
		}
		t.Errorf("README snippets do not build (each file is named after the README line of its block):\n%s", text)
	}
	t.Logf("built %d README blocks", len(blocks))
}

// TestREADMEBlocks checks which fenced blocks the README check compiles.
func TestREADMEBlocks(t *testing.T) {
	md := "intro\n```go\na := 1\n```\n```text\nnot go\n```\n<!-- readme:nocompile -->\n```go\npseudo code\n```\n```sh\ngo test\n```\n\n```go\nfunc f() {}\n```\n"
	got := readmeBlocks([]byte(md))
	var lines []int
	for _, b := range got {
		lines = append(lines, b.line)
	}
	if fmt.Sprint(lines) != "[2 16]" {
		t.Fatalf("blocks at lines %v, want [2 16]", lines)
	}
	tests := []struct {
		code  string
		whole bool
		want  []string
	}{
		{code: "x, err := restorehub.New(key)\n", want: []string{"func readmeSnippet0() {", `restorehub "github.com/restorehub/restorehub-go"`, "_ = []any{x, err}"}},
		{code: "func f() { fmt.Println() }\n", want: []string{"\nfunc f() {", `fmt "fmt"`}},
		{code: "package main\n\nfunc main() {}\n", whole: true, want: []string{"package main"}},
	}
	for _, tt := range tests {
		src, whole, err := readmeSource(0, readmeBlock{code: tt.code})
		if err != nil || whole != tt.whole {
			t.Errorf("%q: whole %t, err %v", tt.code, whole, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(string(src), w) {
				t.Errorf("%q: source lacks %q:\n%s", tt.code, w, src)
			}
		}
	}
}
