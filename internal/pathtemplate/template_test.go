package pathtemplate

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		text    string
		wantErr string // "" when the template is accepted
		params  []string
		shape   string
	}{
		{"/", "", nil, "/"},
		{"/account", "", nil, "/account"},
		{"/servers/", "", nil, "/servers/"},
		{"/servers/{serverId}", "", []string{"serverId"}, "/servers/{}"},
		{"/servers/{serverId}/", "", []string{"serverId"}, "/servers/{}/"},
		{"/a/{x}/b/{y}", "", []string{"x", "y"}, "/a/{}/b/{}"},
		{"/files/{fileId}.json", "", []string{"fileId"}, "/files/{}.json"},
		{"/v1/{name}:cancel", "", []string{"name"}, "/v1/{}:cancel"},
		{"/{owner}.{repo}/x", "", []string{"owner", "repo"}, "/{}.{}/x"},
		{"/v1/{+name}", "", []string{"+name"}, "/v1/{}"},
		{"", "does not start with /", nil, ""},
		{"servers", "does not start with /", nil, ""},
		{"/a//b", "segment 2 is empty", nil, ""},
		{"//", "segment 1 is empty", nil, ""},
		{"/a?x=1", "query or fragment", nil, ""},
		{"/a/{x", "{ without a }", nil, ""},
		{"/a/x}", "} without a {", nil, ""},
		{"/a/{x{y}}", "{ without a }", nil, ""},
		{"/a/{}", "without a name", nil, ""},
		{"/a/{x}/{x}", "twice", nil, ""},
		{"/a/{x}{y}", "nothing between them", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			tmpl, err := Parse(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tmpl.Params(); !slices.Equal(got, tt.params) {
				t.Errorf("Params = %q, want %q", got, tt.params)
			}
			if got := tmpl.Shape(); got != tt.shape {
				t.Errorf("Shape = %q, want %q", got, tt.shape)
			}
			if tmpl.String() != tt.text {
				t.Errorf("String = %q", tmpl.String())
			}
			var joined strings.Builder
			for _, p := range tmpl.Pieces() {
				if p.Param != "" {
					joined.WriteString("{" + p.Param + "}")
				} else {
					joined.WriteString(p.Literal)
				}
			}
			if joined.String() != tt.text {
				t.Errorf("Pieces join to %q", joined.String())
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		tmpl, path string
		want       map[string]string // nil when path must not match
	}{
		{"/", "/", map[string]string{}},
		{"/", "", map[string]string{}},
		{"/account", "/account", map[string]string{}},
		{"/account", "/account/", map[string]string{}},
		{"/account", "/account?x=/y", map[string]string{}},
		{"/servers/", "/servers", map[string]string{}},
		{"/servers/{id}", "/servers/s1", map[string]string{"id": "s1"}},
		{"/servers/{id}", "/servers/s%201", map[string]string{"id": "s%201"}},
		{"/servers/{id}", "/servers/", nil},
		{"/servers/{id}", "/servers/.", nil},
		{"/servers/{id}", "/servers/..", nil},
		{"/servers/{id}", "/servers/%2e%2E", nil},
		{"/servers/{id}", "/servers/..%2Fapi-keys", nil},
		{"/servers/{id}", "/servers/a/b", nil},
		{"/servers/{id}", "/servers/a%2Fb", map[string]string{"id": "a%2Fb"}},
		{"/a/{x}/b/{y}", "/a/1/b/2", map[string]string{"x": "1", "y": "2"}},
		{"/files/{f}.json", "/files/a.json", map[string]string{"f": "a"}},
		{"/files/{f}.json", "/files/a.json.json", map[string]string{"f": "a.json"}},
		{"/files/{f}.json", "/files/.json", nil},
		{"/files/{f}.json", "/files/a.xml", nil},
		{"/v1/{name}:cancel", "/v1/op1:cancel", map[string]string{"name": "op1"}},
		{"/{owner}.{repo}/x", "/o.r.s/x", map[string]string{"owner": "o", "repo": "r.s"}},
		{"/{owner}.{repo}/x", "/o./x", nil},
		{"/pre{id}", "/prex", map[string]string{"id": "x"}},
		{"/pre{id}", "/pre", nil},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl+" "+tt.path, func(t *testing.T) {
			tmpl, err := Parse(tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := tmpl.Match(tt.path)
			if ok != (tt.want != nil) || !maps.Equal(got, tt.want) {
				t.Errorf("Match = %v, %v; want %v", got, ok, tt.want)
			}
			if tmpl.Matches(tt.path) != ok {
				t.Errorf("Matches disagrees with Match")
			}
		})
	}
}

// TestFill checks the values Fill refuses (today's rule of the
// typed calls) and that what it builds is what Check and Match accept.
func TestFill(t *testing.T) {
	tests := []struct {
		tmpl      string
		values    map[string]string
		want      string
		wantParam string // the refused parameter; "" when filled
	}{
		{"/backups/{backupId}/restore", map[string]string{"backupId": "bk_1"}, "/backups/bk_1/restore", ""},
		{"/backups/{backupId}", map[string]string{"backupId": "bk 1/x"}, "/backups/bk%201%2Fx", ""},
		{"/domains/{d}", map[string]string{"d": "example.com"}, "/domains/example.com", ""},
		{"/servers/{s}/", map[string]string{"s": "a"}, "/servers/a/", ""},
		{"/", nil, "/", ""},
		{"/files/{f}.json", map[string]string{"f": "a.json"}, "/files/a.json.json", ""},
		{"/backups/{backupId}", map[string]string{"backupId": ""}, "", "backupId"},
		{"/backups/{backupId}", map[string]string{"backupId": "."}, "", "backupId"},
		{"/backups/{backupId}", map[string]string{"backupId": ".."}, "", "backupId"},
		{"/backups/{backupId}", map[string]string{"backupId": "%2e%2e"}, "", "backupId"},
		{"/backups/{backupId}", map[string]string{"backupId": "%2E"}, "", "backupId"},
		{"/backups/{backupId}", map[string]string{"backupId": "x/../../api-keys/key_1"}, "", "backupId"},
		{"/backups/{backupId}", map[string]string{"backupId": "/x"}, "", "backupId"},
		{"/backups/{backupId}", map[string]string{}, "", "backupId"},
		{"/{owner}.{repo}/x", map[string]string{"owner": "a.b", "repo": "r"}, "", "owner"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl+" "+tt.want+tt.wantParam, func(t *testing.T) {
			tmpl, err := Parse(tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tmpl.Fill(tt.values)
			if tt.wantParam != "" {
				var pe *ParamError
				if !errors.As(err, &pe) || pe.Param != tt.wantParam || got != "" {
					t.Fatalf("Fill = %q, %v; want a refusal of %s", got, err, tt.wantParam)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Fill = %q, %v; want %q", got, err, tt.want)
			}
			if err := tmpl.Check(got); err != nil {
				t.Errorf("Check(Fill) = %v", err)
			}
			if _, ok := tmpl.Match(got); !ok {
				t.Errorf("Match(Fill) failed")
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tmpl, err := Parse("/backups/{backupId}/restore")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path      string
		wantErr   bool
		wantParam string
	}{
		{"/backups/bk_1/restore", false, ""},
		{"/backups/bk_1/delete", true, ""},
		{"/backups/bk_1/restore/now", true, ""},
		{"/backups/bk_1/restore/", true, ""},
		{"backups/bk_1/restore", true, ""},
		{"/backups/restore", true, ""},
		{"/backups/%2F%2F/restore", true, "backupId"},
		{"/backups//restore", true, "backupId"},
		{"/backups/../restore", true, "backupId"},
	}
	for _, tt := range tests {
		err := tmpl.Check(tt.path)
		var pe *ParamError
		if (err != nil) != tt.wantErr || err != nil && (!errors.As(err, &pe) || pe.Param != tt.wantParam) {
			t.Errorf("Check(%q) = %v, want error %v for %q", tt.path, err, tt.wantErr, tt.wantParam)
		}
	}
}

// TestRoutePrecedence checks the one precedence rule: the
// leftmost segment where two templates differ decides.
func TestRoutePrecedence(t *testing.T) {
	tests := []struct {
		templates []string
		path      string
		want      int
	}{
		{[]string{"/servers/{id}", "/servers/search"}, "/servers/search", 1},
		{[]string{"/servers/search", "/servers/{id}"}, "/servers/s1", 1},
		// The leftmost difference decides, not the count of literals.
		{[]string{"/a/{x}/b/{y}", "/a/{x}/{z}/c"}, "/a/1/b/c", 0},
		{[]string{"/a/{x}/{z}/c", "/a/{x}/b/{y}"}, "/a/1/b/c", 1},
		{[]string{"/{a}/b/c", "/a/{b}/{c}"}, "/a/b/c", 1},
		{[]string{"/files/{f}", "/files/{f}.json"}, "/files/x.json", 1},
		{[]string{"/x/{a}.{b}", "/x/{a}.json"}, "/x/y.json", 1},
		{[]string{"/x", "/x/"}, "/x/", 1},
		{[]string{"/x/", "/x"}, "/x", 1},
		{[]string{"/x", "/x/"}, "/x", 0},
		// Same shape: the earlier wins.
		{[]string{"/s/{a}", "/s/{b}"}, "/s/1", 0},
		{[]string{"/s/{a}", "/t/{b}"}, "/u/1", -1},
	}
	for _, tt := range tests {
		var ts []Template
		for _, s := range tt.templates {
			tmpl, err := Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			ts = append(ts, tmpl)
		}
		if got := Route(ts, tt.path, nil); got != tt.want {
			t.Errorf("Route(%q, %q) = %d, want %d", tt.templates, tt.path, got, tt.want)
		}
	}
	ts := []Template{{}, {}}
	if got := Route(ts, "/", func(i int) bool { return i == 1 }); got != 1 {
		t.Errorf("keep ignored: %d", got)
	}
}

func TestMatchesAllocatesNothing(t *testing.T) {
	tmpl, err := Parse("/servers/{serverId}/backups/{backupId}")
	if err != nil {
		t.Fatal(err)
	}
	ts := []Template{tmpl}
	if n := testing.AllocsPerRun(100, func() { Route(ts, "/servers/s1/backups/b2", nil) }); n != 0 {
		t.Errorf("%v allocations per match", n)
	}
}

// FuzzTemplate parses any template and matches any path against it:
// never a panic; what Fill builds, Check and Match accept, with the same
// values.
func FuzzTemplate(f *testing.F) {
	for _, s := range [][3]string{
		{"/servers/{serverId}", "/servers/s1", "s1"},
		{"/a/{x}/b/{y}/", "/a/1/b/2/", "v"},
		{"/files/{f}.json", "/files/a.json.json", "a.json"},
		{"/{o}.{r}/x", "/o.r/x", ".."},
		{"/x/{a}:run", "/x/%2e%2e:run", "%2F"},
		{"//{", "/", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, text, path, value string) {
		tmpl, err := Parse(text)
		if err != nil {
			return
		}
		tmpl.Match(path)
		Route([]Template{tmpl, {}}, path, nil)
		_ = tmpl.Check(path)
		values := map[string]string{}
		for _, p := range tmpl.Params() {
			values[p] = value
		}
		filled, err := tmpl.Fill(values)
		if err != nil {
			return
		}
		if err := tmpl.Check(filled); err != nil {
			t.Fatalf("Fill(%q) = %q, which Check refuses: %v", text, filled, err)
		}
		got, ok := tmpl.Match(filled)
		if !ok {
			t.Fatalf("Fill(%q) = %q, which does not match", text, filled)
		}
		for name, v := range got {
			if v != url.PathEscape(value) {
				t.Fatalf("Match(%q) gives %s = %q, Fill used %q", filled, name, v, value)
			}
		}
	})
}
