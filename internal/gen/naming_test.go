package main

import (
	"go/token"
	"slices"
	"strings"
	"testing"
)

func TestExportedName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"guild_id", "GuildID"},
		{"guildId", "GuildID"},
		{"verify-page", "VerifyPage"},
		{"x-rate-limit", "XRateLimit"},
		{"api-keys", "APIKeys"},
		{"APIKey", "APIKey"},
		{"OpenAPISpec", "OpenAPISpec"},
		{"userIds", "UserIDs"},
		{"massDm", "MassDM"},
		{"SERVER_NAME", "ServerName"},
		{"2fa", "N2fa"},
		{"type", "Type"},
		{"日本", "X日本"},
		{"ñame", "Ñame"},
		{"__proto__", "Proto"},
		{"***", ""},
		{"", ""},
		{"members:mass-verify", "MembersMassVerify"},
		{"oauth2Token", "Oauth2Token"},
	} {
		if got := exportedName(tc.in); got != tc.want {
			t.Errorf("exportedName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := exportedName(tc.in); got != "" && (!token.IsIdentifier(got) || !token.IsExported(got)) {
			t.Errorf("exportedName(%q) = %q is not an exported identifier", tc.in, got)
		}
	}
}

func TestUnexportedName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"serverId", "serverID"},
		{"ID", "id"},
		{"type", "typeArg"},
		{"range", "rangeArg"},
		{"string", "stringArg"},
		{"2fa", "v2fa"},
		{"API-Key", "apiKey"},
		{"日本", "v日本"},
	} {
		got := unexportedName(tc.in)
		if got != tc.want {
			t.Errorf("unexportedName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !token.IsIdentifier(got) || token.IsExported(got) {
			t.Errorf("unexportedName(%q) = %q is not an unexported identifier", tc.in, got)
		}
	}
}

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"getOpenAPISpec", []string{"get", "Open", "API", "Spec"}},
		{"list_blacklist-entries", []string{"list", "blacklist", "entries"}},
		{"v1Servers", []string{"v1", "Servers"}},
		{"HTTPServer", []string{"HTTP", "Server"}},
	} {
		if got := splitWords(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestActionFromOperationID(t *testing.T) {
	for _, tc := range []struct{ opID, resource, want string }{
		{"listServers", "servers", "list"},
		{"getServer", "servers", "get"},
		{"getApiKey", "api-keys", "get"},
		{"listBlacklistEntries", "blacklist", "listEntries"},
		{"massVerifyMembers", "members", "massVerify"},
		{"massDmMembers", "members", "massDM"},
		{"restoreBackup", "backups", "restore"},
		{"getOpenAPISpec", "meta", "getOpenAPISpec"},
		{"createUpload", "upload", "create"},
		{"upload", "upload", "upload"},
		{"LIST-ENTRIES", "blacklist", "listEntries"},
		{"getCategory", "categories", "get"},
		// A repeated resource word in the plural or singular.
		{"listIdentities", "identity", "list"},
		{"batchPatchIdentities", "identity", "batchPatch"},
		{"findPetsByStatus", "pet", "findByStatus"},
		{"listChannelMessages", "channels", "listMessages"},
		// A leading version, after the resource's words are gone.
		{"v1-get-realtime-config", "realtime", "getConfig"},
		{"V1GetConfig", "realtime", "getConfig"},
		{"v1beta1ListWidgets", "widgets", "list"},
		{"v1.keys.getKey", "keys", "get"},
		{"2023-10-01-list-channels", "channels", "list"},
		{"getV2", "widgets", "getV2"}, // only a leading version goes
		{"v2", "realtime", ""},        // only a version: the path names it
		// RPC-style and NestJS operation IDs.
		// A preposition left dangling by the resource's words goes too.
		{"ban_user_from_guild", "guilds", "banUser"},
		{"createRecoveryCodeForIdentity", "identity", "createRecoveryCode"},
		{"moveFromGuildToArchive", "guilds", "moveFromToArchive"}, // not at the end: kept
		{"forGuild", "guilds", "for"},
		{"keys.createKey", "keys", "create"},
		{"CatsController_findAll", "cats", "findAll"},
		{"AppController_getHello_v1", "app", "getHelloV1"},
	} {
		if got := actionFromOperationID(tc.opID, tc.resource); got != tc.want {
			t.Errorf("actionFromOperationID(%q, %q) = %q, want %q", tc.opID, tc.resource, got, tc.want)
		}
	}
}

func TestNamespace(t *testing.T) {
	ns := newNamespace("Server")
	for _, want := range []string{"Server2", "Server3"} {
		if got := ns.claim("Server"); got != want {
			t.Errorf("claim = %q, want %q", got, want)
		}
	}
	if got := ns.claim("Backup"); got != "Backup" {
		t.Errorf("claim = %q", got)
	}
}

func TestDocSentence(t *testing.T) {
	for _, tc := range []struct{ name, desc, want string }{
		{"Server", "A Discord server.", "Server is a Discord server."},
		{"CreatedAt", "When it was created", "CreatedAt is when it was created."},
		{"Read", "Whether it was read.", "Read reports whether it was read."},
		{"Cursor", "Cursor from the previous page.", "Cursor from the previous page."},
		{"Limit", "Page size.", `Limit is the "limit" field: Page size.`},
		{"Name", "", `Name is the "limit" field.`},
		{"URL", "URL of the thing.", `URL of the thing.`},
		// A description that is only the name is no description.
		{"Name", "Name", `Name is the "limit" field.`},
		{"Name", "Name.", `Name is the "limit" field.`},
		{"Name", " Name: ", `Name is the "limit" field.`},
	} {
		if got := docSentence(tc.name, tc.desc, `"limit" field`); got != tc.want {
			t.Errorf("docSentence(%q, %q) = %q, want %q", tc.name, tc.desc, got, tc.want)
		}
	}
}

func TestCommentLines(t *testing.T) {
	got := commentLines("First paragraph that is long enough to need wrapping because it goes on and on past the width.\r\n\n- item one\n- item two\x00")
	want := []string{
		"// First paragraph that is long enough to need wrapping because it goes on and",
		"// on past the width.",
		"//",
		"// - item one",
		"// - item two",
	}
	if !slices.Equal(got, want) {
		t.Errorf("commentLines = %q, want %q", got, want)
	}
}

// TestWrapLongName: a name longer than the comment width keeps the next
// word on its line, so that the comment still starts "Name is"; later long
// words still get lines of their own.
func TestWrapLongName(t *testing.T) {
	long := strings.Repeat("Incident", 12)
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{long + " is the thing.", []string{long + " is", "the thing."}},
		{long, []string{long}},
		{"A " + long + " b", []string{"A " + long, "b"}},
		{"short words then " + long + " tail", []string{"short words then", long, "tail"}},
	} {
		if got := wrap(tc.in, commentWidth); !slices.Equal(got, tc.want) {
			t.Errorf("wrap(%.20q…) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIntervals(t *testing.T) {
	for _, tc := range []struct{ in, expr, human string }{
		{"1m", "time.Minute", "minute"},
		{"10s", "10 * time.Second", "10s"},
		{"90", "90 * time.Second", "1m30s"},
		{"1h", "time.Hour", "hour"},
		{"250ms", "250 * time.Millisecond", "250ms"},
	} {
		d, err := parseInterval(tc.in)
		if err != nil {
			t.Fatalf("parseInterval(%q): %v", tc.in, err)
		}
		if got := durationExpr(d); got != tc.expr {
			t.Errorf("durationExpr(%v) = %q, want %q", d, got, tc.expr)
		}
		if got := humanInterval(d); got != tc.human {
			t.Errorf("humanInterval(%v) = %q, want %q", d, got, tc.human)
		}
	}
	for _, bad := range []string{"", "soon", "-1", "0"} {
		if d, err := parseInterval(bad); err == nil && d > 0 {
			t.Errorf("parseInterval(%q) = %v, want an error or no duration", bad, d)
		}
	}
}
