package agent

import (
	"slices"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
)

// TestListedDescription: the safety marks come from the classification,
// the scope is named only where Instructions' rule would not give it, and
// the inferred mark follows the spec's marking.
func TestListedDescription(t *testing.T) {
	read := restorehub.Class{Method: "GET", Scope: "ads:read", AcceptedScopes: []restorehub.Scope{"ads:read"}, Tier: restorehub.TierRead, ReadOnly: true}
	write := restorehub.Class{Method: "POST", Scope: "ads:write", AcceptedScopes: []restorehub.Scope{"ads:write"}, Tier: restorehub.TierWrite}
	del := restorehub.Class{Method: "DELETE", Scope: "ads:write", AcceptedScopes: []restorehub.Scope{"ads:write"}, Tier: restorehub.TierWrite, Destructive: true}
	restore := restorehub.Class{Method: "POST", Scope: "backups:restore", AcceptedScopes: []restorehub.Scope{"backups:restore"}, Tier: restorehub.TierDestructive, Destructive: true}
	alts := restorehub.Class{Method: "GET", Scope: "org:read", AcceptedScopes: []restorehub.Scope{"org:admin", "org:read", "org:write"}, Tier: restorehub.TierRead, ReadOnly: true}
	other := restorehub.Class{Method: "POST", Scope: "members:massdm", AcceptedScopes: []restorehub.Scope{"members:massdm"}, Tier: restorehub.TierWrite}
	none := restorehub.Class{Method: "GET", ReadOnly: true}
	// A tier the SDK cannot tell counts as destructive in the classifier,
	// so the description says a human confirms it.
	unknown := restorehub.Class{Method: "POST", Scope: "ads:frobnicate", AcceptedScopes: []restorehub.Scope{"ads:frobnicate"}, Tier: restorehub.TierUnknown, Destructive: true}
	for _, tc := range []struct {
		name  string
		def   toolDef
		class restorehub.Class
		marks inferenceMark
		want  string
	}{
		{"read by the rule", toolDef{toolset: "ads", description: "List ads."}, read, markNone, "List ads."},
		{"write by the rule", toolDef{toolset: "ads", description: "Create ad."}, write, markNone, "Create ad. Writes."},
		{"delete below the destructive tier", toolDef{toolset: "ads", description: "Delete ad."}, del, markNone, "Delete ad. Deletes: a human must confirm each call."},
		{"destructive scope named", toolDef{toolset: "backups", description: "Restore."}, restore, markNone, "Restore. Scope backups:restore. Destructive: a human must confirm each call."},
		{"alternatives named", toolDef{toolset: "orgs", description: "List orgs."}, alts, markNone, "List orgs. Scope org:admin, org:read or org:write."},
		{"scope off the rule", toolDef{toolset: "members", description: "Mass DM."}, other, markNone, "Mass DM. Scope members:massdm. Writes."},
		{"no scope", toolDef{toolset: "meta", description: "Spec."}, none, markNone, "Spec. No scope."},
		{"unknown tier is confirmed", toolDef{toolset: "ads", description: "Frob."}, unknown, markNone, "Frob. Scope ads:frobnicate. Destructive: a human must confirm each call."},
		{"empty everything", toolDef{}, none, markNone, "No scope."},
		{"a toolset whose read scope differs", toolDef{toolset: "reports", description: "List."}, read, markNone, "List. Scope ads:read."},
		{"no summary: the title", toolDef{toolset: "ads", title: "ads.list"}, read, markNone, "ads.list."},
		{"pacing after the marks", toolDef{toolset: "backups", description: "Restore.", pacing: "Paced: 1 per minute."}, restore, markNone, "Restore. Scope backups:restore. Destructive: a human must confirm each call. Paced: 1 per minute."},
		{"inferred, marked when few", toolDef{toolset: "ads", description: "List ads.", inferred: true}, read, markInferred, "List ads. Inferred."},
		{"inferred, unmarked when most", toolDef{toolset: "ads", description: "List ads.", inferred: true}, read, markDocumented, "List ads."},
		{"documented, marked when inferred are most", toolDef{toolset: "ads", description: "List ads."}, read, markDocumented, "List ads. Documented."},
		{"documented, unmarked when inferred are few", toolDef{toolset: "ads", description: "List ads."}, read, markInferred, "List ads."},
		{"partly inferred, always marked", toolDef{toolset: "ads", description: "List ads.", inferred: true, partlyInferred: true}, read, markDocumented, "List ads. Partly inferred."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := listedDescription(&tc.def, tc.class, tc.marks); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestMarksFor: the marker goes on the fewer tools; nothing is marked when
// nothing is inferred.
func TestMarksFor(t *testing.T) {
	d, i, p := toolDef{}, toolDef{inferred: true}, toolDef{inferred: true, partlyInferred: true}
	for _, tc := range []struct {
		defs []toolDef
		want inferenceMark
	}{
		{nil, markNone},
		{[]toolDef{d, d, p}, markNone},
		{[]toolDef{d, i}, markInferred},
		{[]toolDef{d, d, i}, markInferred},
		{[]toolDef{d, i, i}, markDocumented},
		{[]toolDef{p, i, i}, markDocumented},
	} {
		if got := marksFor(tc.defs); got != tc.want {
			t.Errorf("%v: got %d, want %d", tc.defs, got, tc.want)
		}
	}
}

// TestDescriptionsKeepSafety reads every generated tool's listed
// description the way Instructions tells a model to, and checks it gives
// back what the classifier decided: the scopes that allow the call, whether
// it writes, and whether a human confirms it. Nothing of that is lost by
// saying the scope rule once.
func TestDescriptionsKeepSafety(t *testing.T) {
	entries, err := catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		desc, c := e.tool.Description, e.class
		var want []string
		for _, s := range c.AcceptedScopes {
			want = append(want, string(s))
		}
		if len(want) == 0 && c.Scope != "" {
			want = []string{string(c.Scope)}
		}
		var got []string
		switch {
		case strings.Contains(desc, "No scope."):
		case strings.Contains(desc, "Scope "):
			named := desc[strings.Index(desc, "Scope ")+len("Scope "):]
			named = named[:strings.Index(named, ". ")+1]
			named = strings.TrimSuffix(named, ".")
			for _, f := range strings.FieldsFunc(named, func(r rune) bool { return r == ',' || r == ' ' }) {
				if f != "or" {
					got = append(got, f)
				}
			}
		case c.ReadOnly:
			got = []string{e.def.toolset + ":read"}
		default:
			got = []string{e.def.toolset + ":write"}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the description gives scopes %v, the classifier %v: %q", e.def.name, got, want, desc)
		}
		confirms := strings.Contains(desc, "a human must confirm each call.")
		if confirms != c.Destructive {
			t.Errorf("%s: says it is confirmed %v, the classifier's destructive %v: %q", e.def.name, confirms, c.Destructive, desc)
		}
		if writes := strings.Contains(desc, "Writes.") || confirms; writes == c.ReadOnly {
			t.Errorf("%s: says it writes %v, the classifier's read-only %v: %q", e.def.name, writes, c.ReadOnly, desc)
		}
	}
}
