package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"
)

// bannedDoc are phrases a generated doc comment must not contain: docs that
// say nothing beyond the field's JSON name, and maintainer instructions
// that belong in the spec's x-maintainer, not in godoc.
var bannedDoc = []*regexp.Regexp{
	regexp.MustCompile(`is the "[^"]+" field\.`),
	regexp.MustCompile(`(?i)replace (it )?with (the )?(definition from )?(the )?live spec`),
	regexp.MustCompile(`(?i)live spec's definition`),
	regexp.MustCompile(`(?i)stored (docs )?pages?\b`),
	regexp.MustCompile(`(?i)snowflake where it names`),
	regexp.MustCompile(`PARTLY INFERRED`),
}

// discordNamed reports whether a struct or field name says it names a
// Discord object, the only IDs a doc may call snowflakes.
var discordNamed = regexp.MustCompile(`Guild|Channel|Role|User|Message|Emoji|Discord|Member`)

// TestGeneratedDocsAreHonest generates the resources package from the
// project spec and checks every doc comment: no banned phrase, and no ID
// of a non-Discord object (a job, a payout, a backup) called a snowflake.
func TestGeneratedDocsAreHonest(t *testing.T) {
	t.Parallel()
	res := project(t).res
	checked := 0
	for name, src := range res.files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, cg := range f.Comments {
			text := cg.Text()
			checked++
			for _, re := range bannedDoc {
				if m := re.FindString(text); m != "" {
					t.Errorf("%s:%d: doc contains %q:\n%s", name, fset.Position(cg.Pos()).Line, m, text)
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return false
			}
			for _, fld := range st.Fields.List {
				if fld.Doc == nil || !strings.Contains(strings.ToLower(fld.Doc.Text()), "snowflake") {
					continue
				}
				for _, fn := range fld.Names {
					if !discordNamed.MatchString(fn.Name) && !discordNamed.MatchString(ts.Name.Name) {
						t.Errorf("%s: %s.%s is called a snowflake but does not name a Discord object: %s", name, ts.Name.Name, fn.Name, fld.Doc.Text())
					}
				}
			}
			return false
		})
	}
	if checked < 500 {
		t.Errorf("checked only %d doc comments", checked)
	}
}

// TestMaintainerNotesStayOutOfGodoc checks that x-maintainer text in the
// spec never reaches generated code.
func TestMaintainerNotesStayOutOfGodoc(t *testing.T) {
	spec := `{"openapi":"3.1.0","info":{"title":"t","version":"1"},
"paths":{"/things/{id}":{"get":{"operationId":"getThing","tags":["things"],"description":"Reads a thing.","x-maintainer":"SECRET-NOTE-OP",
"parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}}}}}},
"components":{"schemas":{"Thing":{"type":"object","description":"A thing.","x-maintainer":"SECRET-NOTE-TYPE","properties":{"id":{"type":"string","x-maintainer":"SECRET-NOTE-FIELD"}}}}}}`
	res, err := generate([]byte(spec), "spec.json", "things", nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range res.files {
		if strings.Contains(string(src), "SECRET-NOTE") {
			t.Errorf("%s carries an x-maintainer note:\n%s", name, src)
		}
	}
}

// TestNamedFieldDoc checks the doc of a field the spec does not describe.
func TestNamedFieldDoc(t *testing.T) {
	str := goType{kind: kString, expr: "string"}
	tests := []struct {
		typeName, json string
		typ            goType
		want           string
	}{
		{"Backup", "name", str, "Name is the backup's name."},
		{"BackupCreate", "name", str, "Name is the backup's name."},
		{"APIKeyWithSecret", "name", str, "Name is the API key's name."},
		{"Backup", "sizeBytes", goType{kind: kInt, expr: "int64"}, "SizeBytes is the backup's size, in bytes."},
		{"Payout", "amountCents", goType{kind: kInt, expr: "int64"}, "AmountCents is the payout's amount, in cents."},
		{"Backup", "completedAt", goType{kind: kTime, expr: "time.Time"}, "CompletedAt is when the backup was completed."},
		{"Subscription", "renewsAt", goType{kind: kTime, expr: "time.Time"}, "RenewsAt is when the subscription renews."},
		{"Job", "serverId", str, "ServerID is the ID of the server."},
		{"Panel", "channelId", str, "ChannelID is the ID of the channel (a Discord snowflake)."},
		{"Broadcast", "memberIds", goType{kind: kSlice, expr: "[]string"}, "MemberIDs lists the IDs of the members."},
		{"Widget", "enabled", goType{kind: kBool, expr: "bool"}, "Enabled reports whether the widget is enabled."},
		{"Billing", "cancelAtPeriodEnd", goType{kind: kBool, expr: "bool"}, `CancelAtPeriodEnd is the billing's "cancelAtPeriodEnd" flag.`},
		{"TeamPage", "data", goType{kind: kSlice, expr: "[]Team"}, "Data holds the items of this page."},
		{"VerifyPage", "title", str, "Title is the verify page's title."},
		{"Export", "data", goType{kind: kSlice, expr: "[]string"}, "Data is the export's data."},
		{"Analytics", "backups", goType{kind: kInt, expr: "int64"}, "Backups is the number of backups."},
		{"Analytics", "updatedAt", goType{kind: kTime, expr: "time.Time"}, "UpdatedAt is when the analytics was updated."},
		{"Analytics", "plan", str, "Plan is the analytics' plan."},
	}
	for _, tt := range tests {
		d := &typeDecl{name: tt.typeName}
		if strings.HasSuffix(tt.typeName, "Page") && tt.json == "data" {
			d.fields = []*field{{name: "NextCursor", jsonName: "nextCursor", typ: str}}
		}
		f := &field{name: exportedName(tt.json), jsonName: tt.json, typ: tt.typ}
		if got := namedFieldDoc(d, f); got != tt.want {
			t.Errorf("%s.%s: got %q, want %q", tt.typeName, tt.json, got, tt.want)
		}
	}
}

// TestGoTypeMapsScopes checks x-go-type: a string schema naming a
// hand-written type gets that type, through a $ref or inline, in fields and
// path parameters; an unknown name is generated as usual.
func TestGoTypeMapsScopes(t *testing.T) {
	spec := `{"openapi":"3.1.0","info":{"title":"t","version":"1"},
"paths":{"/keys/{scope}":{"get":{"operationId":"getKey","tags":["keys"],
"parameters":[{"name":"scope","in":"path","required":true,"schema":{"$ref":"#/components/schemas/Scope"}}],
"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Key"}}}}}}}},
"components":{"schemas":{
"Scope":{"type":"string","x-go-type":"Scope","enum":["a:read","a:write"]},
"Other":{"type":"string","x-go-type":"NotHandWritten"},
"Key":{"type":"object","properties":{
  "scopes":{"type":"array","items":{"$ref":"#/components/schemas/Scope"}},
  "required":{"type":"string","x-go-type":"Scope"},
  "other":{"$ref":"#/components/schemas/Other"}}}}}}`
	res, err := generate([]byte(spec), "spec.json", "keys", nil)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, src := range res.files {
		all.Write(src)
	}
	got := squash(all.String())
	for _, want := range []string{
		"Scopes []Scope `json:\"scopes,omitzero\"`",
		"Required *Scope `json:\"required,omitzero\"`",
		"Other *Other `json:\"other,omitzero\"`",
		"type Other = string",
		"url.PathEscape(string(scope))",
	} {
		if !strings.Contains(got, squash(want)) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	if strings.Contains(got, "type Scope ") {
		t.Error("the Scope component was generated instead of using the hand-written type")
	}
}
