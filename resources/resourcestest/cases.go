package resourcestest

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// Case is one call through a typed service method, what it must send, and
// what it must decode.
type Case struct {
	// ID is the operation's ID, such as "servers.list".
	ID string
	// Call calls the typed method on s and returns its result (nil for a
	// method that returns only an error).
	Call func(ctx context.Context, s resources.Services) (any, error)
	// Method and Path are what the call must send; Path is below the base
	// URL, with its parameters escaped.
	Method, Path string
	// Query is the query the call must send; nil for none.
	Query url.Values
	// Body is the JSON body the call must send; "" for none.
	Body string
	// Scope and Tier are the operation's, as the Backend must see them.
	Scope, Tier string
	// Status is the status a fake API should answer with.
	Status int
	// Response is the JSON body a fake API should answer with; "" for none.
	Response string
	// Want is what Call must return when the API answers Response.
	Want any
}

// The instant every fixture uses, and its JSON form.
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const ts = `"2026-01-02T03:04:05Z"`

func ptr[T any](v T) *T { return &v }

// Cases returns one case per operation of the resources package, in the
// order of resources.Operations. Each call returns fresh values.
func Cases() []Case {
	return []Case{
		// meta
		{
			ID: "meta.getOpenAPISpec", Method: http.MethodGet, Path: "/openapi.json",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Meta.GetOpenAPISpec(ctx) },
			Status:   http.StatusOK,
			Response: `{"openapi":"3.1.0"}`,
			Want:     resources.OpenAPIDocument{"openapi": "3.1.0"},
		},
		{
			ID: "meta.getDataModelSchema", Method: http.MethodGet, Path: "/public/schema.json",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Meta.GetDataModelSchema(ctx) },
			Status:   http.StatusOK,
			Response: `{"models":[]}`,
			Want:     resources.DataModelDocument{"models": []any{}},
		},

		// account
		{
			ID: "account.get", Method: http.MethodGet, Path: "/account", Scope: "account:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Account.Get(ctx) },
			Status:   http.StatusOK,
			Response: `{"id":"acc_1","username":"owner","plan":"BUSINESS","email":null,"createdAt":` + ts + `}`,
			Want:     &resources.Account{ID: "acc_1", Username: ptr("owner"), Plan: "BUSINESS", CreatedAt: ptr(t0)},
		},
		{
			ID: "account.update", Method: http.MethodPatch, Path: "/account", Scope: "account:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Account.Update(ctx, &resources.AccountUpdate{Username: ptr("new name")})
			},
			Body:     `{"username":"new name"}`,
			Status:   http.StatusOK,
			Response: `{"id":"acc_1","username":"new name","plan":"FREE"}`,
			Want:     &resources.Account{ID: "acc_1", Username: ptr("new name"), Plan: "FREE"},
		},
		{
			ID: "account.delete", Method: http.MethodDelete, Path: "/account", Scope: "account:delete", Tier: "destructive",
			Call:   func(ctx context.Context, s resources.Services) (any, error) { return nil, s.Account.Delete(ctx) },
			Status: http.StatusNoContent,
		},
		{
			ID: "account.link", Method: http.MethodPost, Path: "/account/link", Scope: "account:link", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Account.Link(ctx, &resources.AccountLinkRequest{Provider: "discord", Code: ptr("oauth-code")})
			},
			Body:     `{"provider":"discord","code":"oauth-code"}`,
			Status:   http.StatusOK,
			Response: `{"id":"acc_1","plan":"PREMIUM","discordId":"42"}`,
			Want:     &resources.Account{ID: "acc_1", Plan: "PREMIUM", DiscordID: ptr("42")},
		},

		// ads
		{
			ID: "ads.list", Method: http.MethodGet, Path: "/ads", Scope: "ads:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Ads.List(ctx, &resources.AdsListParams{Cursor: ptr("c1"), Limit: ptr(25)})
			},
			Query:    url.Values{"cursor": {"c1"}, "limit": {"25"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"ad_1","title":"Join us","url":"https://example.com","active":true}],"nextCursor":"c2"}`,
			Want:     &resources.AdPage{Data: []resources.Ad{{ID: "ad_1", Title: "Join us", URL: ptr("https://example.com"), Active: ptr(true)}}, NextCursor: ptr("c2")},
		},
		{
			ID: "ads.create", Method: http.MethodPost, Path: "/ads", Scope: "ads:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Ads.Create(ctx, &resources.AdCreate{Title: "Join us", Active: ptr(false)})
			},
			Body:     `{"title":"Join us","active":false}`,
			Status:   http.StatusCreated,
			Response: `{"id":"ad_1","title":"Join us","active":false,"createdAt":` + ts + `}`,
			Want:     &resources.Ad{ID: "ad_1", Title: "Join us", Active: ptr(false), CreatedAt: ptr(t0)},
		},
		{
			ID: "ads.get", Method: http.MethodGet, Path: "/ads/ad_1", Scope: "ads:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Ads.Get(ctx, "ad_1") },
			Status:   http.StatusOK,
			Response: `{"id":"ad_1","title":"Join us"}`,
			Want:     &resources.Ad{ID: "ad_1", Title: "Join us"},
		},
		{
			ID: "ads.update", Method: http.MethodPatch, Path: "/ads/ad_1", Scope: "ads:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Ads.Update(ctx, "ad_1", &resources.AdUpdate{URL: ptr("https://example.org")})
			},
			Body:     `{"url":"https://example.org"}`,
			Status:   http.StatusOK,
			Response: `{"id":"ad_1","title":"Join us","url":"https://example.org"}`,
			Want:     &resources.Ad{ID: "ad_1", Title: "Join us", URL: ptr("https://example.org")},
		},
		{
			ID: "ads.delete", Method: http.MethodDelete, Path: "/ads/ad_1", Scope: "ads:write", Tier: "write",
			Call:   func(ctx context.Context, s resources.Services) (any, error) { return nil, s.Ads.Delete(ctx, "ad_1") },
			Status: http.StatusNoContent,
		},

		// alerts
		{
			ID: "alerts.list", Method: http.MethodGet, Path: "/alerts", Scope: "alerts:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Alerts.List(ctx, nil) },
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"al_1","type":"backup.failed","read":false}],"nextCursor":null}`,
			Want:     &resources.AlertPage{Data: []resources.Alert{{ID: "al_1", Type: ptr("backup.failed"), Read: ptr(false)}}},
		},
		{
			ID: "alerts.create", Method: http.MethodPost, Path: "/alerts", Scope: "alerts:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Alerts.Create(ctx, &resources.AlertCreate{Type: "backup.failed", ServerID: ptr("srv_1")})
			},
			Body:     `{"type":"backup.failed","serverId":"srv_1"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"al_1","type":"backup.failed"}`,
			Want:     &resources.Alert{ID: "al_1", Type: ptr("backup.failed")},
		},
		{
			ID: "alerts.get", Method: http.MethodGet, Path: "/alerts/al_1", Scope: "alerts:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Alerts.Get(ctx, "al_1") },
			Status:   http.StatusOK,
			Response: `{"id":"al_1","message":"Backup failed","createdAt":` + ts + `}`,
			Want:     &resources.Alert{ID: "al_1", Message: ptr("Backup failed"), CreatedAt: ptr(t0)},
		},
		{
			ID: "alerts.update", Method: http.MethodPatch, Path: "/alerts/al_1", Scope: "alerts:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Alerts.Update(ctx, "al_1", &resources.AlertUpdate{Read: ptr(true)})
			},
			Body:     `{"read":true}`,
			Status:   http.StatusOK,
			Response: `{"id":"al_1","read":true}`,
			Want:     &resources.Alert{ID: "al_1", Read: ptr(true)},
		},
		{
			ID: "alerts.delete", Method: http.MethodDelete, Path: "/alerts/al_1", Scope: "alerts:write", Tier: "write",
			Call:   func(ctx context.Context, s resources.Services) (any, error) { return nil, s.Alerts.Delete(ctx, "al_1") },
			Status: http.StatusNoContent,
		},

		// analytics
		{
			ID: "analytics.get", Method: http.MethodGet, Path: "/analytics", Scope: "analytics:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Analytics.Get(ctx) },
			Status:   http.StatusOK,
			Response: `{"servers":2,"members":100,"pulls":0,"updatedAt":` + ts + `}`,
			Want:     &resources.Analytics{Servers: ptr(int64(2)), Members: ptr(int64(100)), Pulls: ptr(int64(0)), UpdatedAt: ptr(t0)},
		},

		// api-keys
		{
			ID: "api-keys.list", Method: http.MethodGet, Path: "/api-keys", Scope: "api-keys:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.APIKeys.List(ctx, &resources.APIKeysListParams{Limit: ptr(100)})
			},
			Query:    url.Values{"limit": {"100"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"key_1","name":"ci","prefix":"rh_ab12","scopes":["servers:read"],"lastUsedAt":null}],"nextCursor":""}`,
			Want:     &resources.APIKeyPage{Data: []resources.APIKey{{ID: "key_1", Name: "ci", Prefix: ptr("rh_ab12"), Scopes: []resources.Scope{"servers:read"}}}, NextCursor: ptr("")},
		},
		{
			ID: "api-keys.create", Method: http.MethodPost, Path: "/api-keys", Scope: "api-keys:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.APIKeys.Create(ctx, &resources.APIKeyCreate{Name: "agent", Scopes: []resources.Scope{"servers:read", "backups:read"}})
			},
			Body:     `{"name":"agent","scopes":["servers:read","backups:read"]}`,
			Status:   http.StatusCreated,
			Response: `{"id":"key_2","name":"agent","scopes":["servers:read","backups:read"],"key":"rh_secret"}`,
			Want:     &resources.APIKeyWithSecret{ID: "key_2", Name: "agent", Scopes: []resources.Scope{"servers:read", "backups:read"}, Key: "rh_secret"},
		},
		{
			ID: "api-keys.get", Method: http.MethodGet, Path: "/api-keys/key_1", Scope: "api-keys:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.APIKeys.Get(ctx, "key_1") },
			Status:   http.StatusOK,
			Response: `{"id":"key_1","name":"ci","scopes":[],"lastUsedAt":` + ts + `}`,
			Want:     &resources.APIKey{ID: "key_1", Name: "ci", Scopes: []resources.Scope{}, LastUsedAt: ptr(t0)},
		},
		{
			ID: "api-keys.update", Method: http.MethodPatch, Path: "/api-keys/key_1", Scope: "api-keys:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.APIKeys.Update(ctx, "key_1", &resources.APIKeyUpdate{Scopes: []resources.Scope{"servers:read"}})
			},
			Body:     `{"scopes":["servers:read"]}`,
			Status:   http.StatusOK,
			Response: `{"id":"key_1","name":"ci","scopes":["servers:read"]}`,
			Want:     &resources.APIKey{ID: "key_1", Name: "ci", Scopes: []resources.Scope{"servers:read"}},
		},
		{
			ID: "api-keys.delete", Method: http.MethodDelete, Path: "/api-keys/key_1", Scope: "api-keys:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return nil, s.APIKeys.Delete(ctx, "key_1")
			},
			Status: http.StatusNoContent,
		},

		// audit
		{
			ID: "audit.listEvents", Method: http.MethodGet, Path: "/audit", Scope: "audit:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Audit.ListEvents(ctx, &resources.AuditListEventsParams{Action: ptr("backup.restore"), Page: ptr(2), Limit: ptr(10)})
			},
			Query:    url.Values{"action": {"backup.restore"}, "page": {"2"}, "limit": {"10"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"ev_1","action":"backup.restore","actorId":"acc_1","metadata":{"n":1},"createdAt":` + ts + `}],"total":11,"totalPages":2}`,
			Want: &resources.AuditEventPage{
				Data:  []resources.AuditEvent{{ID: "ev_1", Action: "backup.restore", ActorID: ptr("acc_1"), Metadata: map[string]any{"n": float64(1)}, CreatedAt: t0}},
				Total: ptr(11), TotalPages: ptr(2),
			},
		},

		// backups
		{
			ID: "backups.list", Method: http.MethodGet, Path: "/backups", Scope: "backups:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Backups.List(ctx, &resources.BackupsListParams{ServerID: ptr("srv_1"), Cursor: ptr("c1")})
			},
			Query:    url.Values{"serverId": {"srv_1"}, "cursor": {"c1"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"bk_1","serverId":"srv_1","status":"completed","sizeBytes":1024,"createdAt":` + ts + `,"completedAt":null}],"nextCursor":"c2"}`,
			Want: &resources.BackupPage{
				Data:       []resources.Backup{{ID: "bk_1", ServerID: "srv_1", Status: resources.BackupStatusCompleted, SizeBytes: ptr(int64(1024)), CreatedAt: t0}},
				NextCursor: ptr("c2"),
			},
		},
		{
			ID: "backups.create", Method: http.MethodPost, Path: "/backups", Scope: "backups:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Backups.Create(ctx, &resources.BackupCreate{ServerID: "srv_1", Name: ptr("nightly")})
			},
			Body:     `{"serverId":"srv_1","name":"nightly"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"bk_2","serverId":"srv_1","name":"nightly","status":"pending","createdAt":` + ts + `}`,
			Want:     &resources.Backup{ID: "bk_2", ServerID: "srv_1", Name: ptr("nightly"), Status: resources.BackupStatusPending, CreatedAt: t0},
		},
		{
			ID: "backups.get", Method: http.MethodGet, Path: "/backups/bk%201%2Fx", Scope: "backups:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Backups.Get(ctx, "bk 1/x") },
			Status:   http.StatusOK,
			Response: `{"id":"bk 1/x","serverId":"srv_1","status":"failed","createdAt":` + ts + `}`,
			Want:     &resources.Backup{ID: "bk 1/x", ServerID: "srv_1", Status: resources.BackupStatusFailed, CreatedAt: t0},
		},
		{
			ID: "backups.delete", Method: http.MethodDelete, Path: "/backups/bk_1", Scope: "backups:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return nil, s.Backups.Delete(ctx, "bk_1")
			},
			Status: http.StatusNoContent,
		},
		{
			ID: "backups.restore", Method: http.MethodPost, Path: "/backups/bk_1/restore", Scope: "backups:restore", Tier: "destructive",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Backups.Restore(ctx, "bk_1", &resources.BackupRestore{TargetServerID: "srv_2", Roles: ptr(true), Channels: ptr(false)})
			},
			Body:     `{"targetServerId":"srv_2","roles":true,"channels":false}`,
			Status:   http.StatusAccepted,
			Response: `{"id":"job_1","type":"backup.restore","status":"queued","progress":0,"total":null,"createdAt":` + ts + `,"finishedAt":null}`,
			Want:     &resources.Job{ID: "job_1", Type: ptr("backup.restore"), Status: resources.JobStatusQueued, Progress: ptr(0), CreatedAt: t0},
		},

		// billing
		{
			ID: "billing.get", Method: http.MethodGet, Path: "/billing", Scope: "billing:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Billing.Get(ctx) },
			Status:   http.StatusOK,
			Response: `{"plan":"PREMIUM","status":"active","renewsAt":` + ts + `,"cancelAtPeriodEnd":false}`,
			Want:     &resources.Billing{Plan: "PREMIUM", Status: ptr("active"), RenewsAt: ptr(t0), CancelAtPeriodEnd: ptr(false)},
		},
		{
			ID: "billing.update", Method: http.MethodPatch, Path: "/billing", Scope: "billing:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Billing.Update(ctx, &resources.BillingUpdate{Plan: ptr(resources.Plan("BUSINESS"))})
			},
			Body:     `{"plan":"BUSINESS"}`,
			Status:   http.StatusOK,
			Response: `{"plan":"BUSINESS"}`,
			Want:     &resources.Billing{Plan: "BUSINESS"},
		},

		// blacklist
		{
			ID: "blacklist.listEntries", Method: http.MethodGet, Path: "/blacklist", Scope: "blacklist:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Blacklist.ListEntries(ctx, &resources.BlacklistListEntriesParams{Limit: ptr(1)})
			},
			Query:    url.Values{"limit": {"1"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"bl_1","userId":"42","reason":"spam"}],"nextCursor":"c2"}`,
			Want:     &resources.ListEntryPage{Data: []resources.ListEntry{{ID: "bl_1", UserID: "42", Reason: ptr("spam")}}, NextCursor: ptr("c2")},
		},
		{
			ID: "blacklist.createEntry", Method: http.MethodPost, Path: "/blacklist", Scope: "blacklist:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Blacklist.CreateEntry(ctx, &resources.ListEntryCreate{UserID: "42", Reason: ptr("spam")})
			},
			Body:     `{"userId":"42","reason":"spam"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"bl_1","userId":"42","reason":"spam","createdAt":` + ts + `}`,
			Want:     &resources.ListEntry{ID: "bl_1", UserID: "42", Reason: ptr("spam"), CreatedAt: ptr(t0)},
		},
		{
			ID: "blacklist.deleteEntry", Method: http.MethodDelete, Path: "/blacklist/bl_1", Scope: "blacklist:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return nil, s.Blacklist.DeleteEntry(ctx, "bl_1")
			},
			Status: http.StatusNoContent,
		},

		// bots
		{
			ID: "bots.list", Method: http.MethodGet, Path: "/bots", Scope: "bots:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Bots.List(ctx, &resources.BotsListParams{})
			},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"bot_1","name":"Helper","clientId":"999","online":true}]}`,
			Want:     &resources.BotPage{Data: []resources.Bot{{ID: "bot_1", Name: "Helper", ClientID: ptr("999"), Online: ptr(true)}}},
		},
		{
			ID: "bots.create", Method: http.MethodPost, Path: "/bots", Scope: "bots:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Bots.Create(ctx, &resources.BotCreate{Name: "Helper", Token: "bot-token"})
			},
			Body:     `{"name":"Helper","token":"bot-token"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"bot_1","name":"Helper"}`,
			Want:     &resources.Bot{ID: "bot_1", Name: "Helper"},
		},
		{
			ID: "bots.get", Method: http.MethodGet, Path: "/bots/bot_1", Scope: "bots:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Bots.Get(ctx, "bot_1") },
			Status:   http.StatusOK,
			Response: `{"id":"bot_1","name":"Helper","createdAt":` + ts + `}`,
			Want:     &resources.Bot{ID: "bot_1", Name: "Helper", CreatedAt: ptr(t0)},
		},
		{
			ID: "bots.update", Method: http.MethodPatch, Path: "/bots/bot_1", Scope: "bots:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Bots.Update(ctx, "bot_1", &resources.BotUpdate{Name: ptr("Helper 2")})
			},
			Body:     `{"name":"Helper 2"}`,
			Status:   http.StatusOK,
			Response: `{"id":"bot_1","name":"Helper 2"}`,
			Want:     &resources.Bot{ID: "bot_1", Name: "Helper 2"},
		},
		{
			ID: "bots.delete", Method: http.MethodDelete, Path: "/bots/bot_1", Scope: "bots:delete", Tier: "destructive",
			Call:   func(ctx context.Context, s resources.Services) (any, error) { return nil, s.Bots.Delete(ctx, "bot_1") },
			Status: http.StatusNoContent,
		},

		// discord
		{
			ID: "discord.listGuilds", Method: http.MethodGet, Path: "/discord/guilds", Scope: "discord:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Discord.ListGuilds(ctx) },
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"123","name":"Main","icon":null,"owner":true}]}`,
			Want:     &resources.DiscordGuildList{Data: []resources.DiscordGuild{{ID: "123", Name: "Main", Owner: ptr(true)}}},
		},

		// domains
		{
			ID: "domains.list", Method: http.MethodGet, Path: "/domains", Scope: "domains:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Domains.List(ctx, &resources.DomainsListParams{Cursor: ptr("c 1&x=y")})
			},
			Query:    url.Values{"cursor": {"c 1&x=y"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"dom_1","hostname":"verify.example.com","verified":false}],"nextCursor":null}`,
			Want:     &resources.DomainPage{Data: []resources.Domain{{ID: "dom_1", Hostname: "verify.example.com", Verified: ptr(false)}}},
		},
		{
			ID: "domains.create", Method: http.MethodPost, Path: "/domains", Scope: "domains:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Domains.Create(ctx, &resources.DomainCreate{Hostname: "verify.example.com"})
			},
			Body:     `{"hostname":"verify.example.com"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"dom_1","hostname":"verify.example.com"}`,
			Want:     &resources.Domain{ID: "dom_1", Hostname: "verify.example.com"},
		},
		{
			ID: "domains.get", Method: http.MethodGet, Path: "/domains/dom_1", Scope: "domains:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Domains.Get(ctx, "dom_1") },
			Status:   http.StatusOK,
			Response: `{"id":"dom_1","hostname":"verify.example.com","verified":true,"createdAt":` + ts + `}`,
			Want:     &resources.Domain{ID: "dom_1", Hostname: "verify.example.com", Verified: ptr(true), CreatedAt: ptr(t0)},
		},
		{
			ID: "domains.delete", Method: http.MethodDelete, Path: "/domains/dom_1", Scope: "domains:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return nil, s.Domains.Delete(ctx, "dom_1")
			},
			Status: http.StatusNoContent,
		},

		// firewall
		{
			ID: "firewall.get", Method: http.MethodGet, Path: "/firewall", Scope: "firewall:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Firewall.Get(ctx) },
			Status:   http.StatusOK,
			Response: `{"enabled":true,"blockVpn":true,"minAccountAgeDays":7,"blockedCountries":["XX"]}`,
			Want:     &resources.Firewall{Enabled: ptr(true), BlockVPN: ptr(true), MinAccountAgeDays: ptr(7), BlockedCountries: []string{"XX"}},
		},
		{
			ID: "firewall.update", Method: http.MethodPatch, Path: "/firewall", Scope: "firewall:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Firewall.Update(ctx, &resources.FirewallUpdate{BlockVPN: ptr(false), MinAccountAgeDays: ptr(0)})
			},
			Body:     `{"blockVpn":false,"minAccountAgeDays":0}`,
			Status:   http.StatusOK,
			Response: `{"enabled":true,"blockVpn":false,"minAccountAgeDays":0}`,
			Want:     &resources.Firewall{Enabled: ptr(true), BlockVPN: ptr(false), MinAccountAgeDays: ptr(0)},
		},

		// marketplace
		{
			ID: "marketplace.listListings", Method: http.MethodGet, Path: "/marketplace", Scope: "marketplace:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Marketplace.ListListings(ctx, nil)
			},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"mk_1","title":"Template pack","priceCents":500,"currency":"USD"}],"nextCursor":null}`,
			Want:     &resources.MarketplaceListingPage{Data: []resources.MarketplaceListing{{ID: "mk_1", Title: "Template pack", PriceCents: ptr(int64(500)), Currency: ptr("USD")}}},
		},
		{
			ID: "marketplace.createListing", Method: http.MethodPost, Path: "/marketplace", Scope: "marketplace:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Marketplace.CreateListing(ctx, &resources.MarketplaceListingCreate{Title: "Template pack", PriceCents: 500})
			},
			Body:     `{"title":"Template pack","priceCents":500}`,
			Status:   http.StatusCreated,
			Response: `{"id":"mk_1","title":"Template pack","priceCents":500}`,
			Want:     &resources.MarketplaceListing{ID: "mk_1", Title: "Template pack", PriceCents: ptr(int64(500))},
		},
		{
			ID: "marketplace.getListing", Method: http.MethodGet, Path: "/marketplace/mk_1", Scope: "marketplace:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Marketplace.GetListing(ctx, "mk_1")
			},
			Status:   http.StatusOK,
			Response: `{"id":"mk_1","title":"Template pack","description":"Roles and channels"}`,
			Want:     &resources.MarketplaceListing{ID: "mk_1", Title: "Template pack", Description: ptr("Roles and channels")},
		},
		{
			ID: "marketplace.updateListing", Method: http.MethodPatch, Path: "/marketplace/mk_1", Scope: "marketplace:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Marketplace.UpdateListing(ctx, "mk_1", &resources.MarketplaceListingUpdate{PriceCents: ptr(int64(750))})
			},
			Body:     `{"priceCents":750}`,
			Status:   http.StatusOK,
			Response: `{"id":"mk_1","title":"Template pack","priceCents":750}`,
			Want:     &resources.MarketplaceListing{ID: "mk_1", Title: "Template pack", PriceCents: ptr(int64(750))},
		},
		{
			ID: "marketplace.createPayout", Method: http.MethodPost, Path: "/marketplace/payouts", Scope: "marketplace:payout", Tier: "destructive",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Marketplace.CreatePayout(ctx, &resources.PayoutRequest{AmountCents: 1000, Currency: ptr("EUR")})
			},
			Body:     `{"amountCents":1000,"currency":"EUR"}`,
			Status:   http.StatusOK,
			Response: `{"id":"po_1","amountCents":1000,"currency":"EUR","status":"pending"}`,
			Want:     &resources.Payout{ID: "po_1", AmountCents: 1000, Currency: ptr("EUR"), Status: ptr("pending")},
		},

		// members
		{
			ID: "members.list", Method: http.MethodGet, Path: "/members", Scope: "members:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Members.List(ctx, &resources.MembersListParams{ServerID: ptr("srv_1"), Limit: ptr(50)})
			},
			Query:    url.Values{"serverId": {"srv_1"}, "limit": {"50"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"mem_1","userId":"42","serverId":"srv_1","username":"ana","verified":true,"verifiedAt":` + ts + `}],"nextCursor":"c2"}`,
			Want: &resources.MemberPage{
				Data:       []resources.Member{{ID: "mem_1", UserID: "42", ServerID: ptr("srv_1"), Username: ptr("ana"), Verified: ptr(true), VerifiedAt: ptr(t0)}},
				NextCursor: ptr("c2"),
			},
		},
		{
			ID: "members.get", Method: http.MethodGet, Path: "/members/mem_1", Scope: "members:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Members.Get(ctx, "mem_1") },
			Status:   http.StatusOK,
			Response: `{"id":"mem_1","userId":"42","verified":false,"verifiedAt":null}`,
			Want:     &resources.Member{ID: "mem_1", UserID: "42", Verified: ptr(false)},
		},
		{
			ID: "members.update", Method: http.MethodPatch, Path: "/members/mem_1", Scope: "members:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Members.Update(ctx, "mem_1", &resources.MemberUpdate{Note: ptr("trusted")})
			},
			Body:     `{"note":"trusted"}`,
			Status:   http.StatusOK,
			Response: `{"id":"mem_1","userId":"42"}`,
			Want:     &resources.Member{ID: "mem_1", UserID: "42"},
		},
		{
			ID: "members.massVerify", Method: http.MethodPost, Path: "/members/mass-verify", Scope: "members:mass-verify", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Members.MassVerify(ctx, &resources.MassVerifyRequest{ServerID: "srv_1"})
			},
			Body:     `{"serverId":"srv_1"}`,
			Status:   http.StatusAccepted,
			Response: `{"id":"job_2","type":"members.mass-verify","status":"running","createdAt":` + ts + `}`,
			Want:     &resources.Job{ID: "job_2", Type: ptr("members.mass-verify"), Status: resources.JobStatusRunning, CreatedAt: t0},
		},
		{
			ID: "members.massDM", Method: http.MethodPost, Path: "/members/massdm", Scope: "members:massdm", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Members.MassDM(ctx, &resources.MassDMRequest{ServerID: "srv_1", Message: "Hello", MemberIDs: []string{"42", "43"}})
			},
			Body:     `{"serverId":"srv_1","message":"Hello","memberIds":["42","43"]}`,
			Status:   http.StatusAccepted,
			Response: `{"id":"job_3","status":"queued","createdAt":` + ts + `}`,
			Want:     &resources.Job{ID: "job_3", Status: resources.JobStatusQueued, CreatedAt: t0},
		},
		{
			ID: "members.pull", Method: http.MethodPost, Path: "/members/pull", Scope: "members:pull", Tier: "destructive",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Members.Pull(ctx, &resources.MemberPullRequest{TargetServerID: "srv_2", MemberIDs: []string{"42", "43", "44"}})
			},
			Body:     `{"targetServerId":"srv_2","memberIds":["42","43","44"]}`,
			Status:   http.StatusAccepted,
			Response: `{"id":"job_4","type":"members.pull","status":"queued","progress":0,"total":3,"createdAt":` + ts + `}`,
			Want:     &resources.Job{ID: "job_4", Type: ptr("members.pull"), Status: resources.JobStatusQueued, Progress: ptr(0), Total: ptr(3), CreatedAt: t0},
		},

		// panels
		{
			ID: "panels.list", Method: http.MethodGet, Path: "/panels", Scope: "panels:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Panels.List(ctx, nil) },
			Status:   http.StatusOK,
			Response: `{"data":[],"nextCursor":null}`,
			Want:     &resources.PanelPage{Data: []resources.Panel{}},
		},
		{
			ID: "panels.create", Method: http.MethodPost, Path: "/panels", Scope: "panels:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Panels.Create(ctx, &resources.PanelCreate{ServerID: "srv_1", ChannelID: "c1", Title: ptr("Verify")})
			},
			Body:     `{"serverId":"srv_1","channelId":"c1","title":"Verify"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"pn_1","serverId":"srv_1","channelId":"c1","title":"Verify"}`,
			Want:     &resources.Panel{ID: "pn_1", ServerID: "srv_1", ChannelID: ptr("c1"), Title: ptr("Verify")},
		},
		{
			ID: "panels.get", Method: http.MethodGet, Path: "/panels/pn_1", Scope: "panels:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Panels.Get(ctx, "pn_1") },
			Status:   http.StatusOK,
			Response: `{"id":"pn_1","serverId":"srv_1","createdAt":` + ts + `}`,
			Want:     &resources.Panel{ID: "pn_1", ServerID: "srv_1", CreatedAt: ptr(t0)},
		},
		{
			ID: "panels.update", Method: http.MethodPatch, Path: "/panels/pn_1", Scope: "panels:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Panels.Update(ctx, "pn_1", &resources.PanelUpdate{Description: ptr("Click to verify")})
			},
			Body:     `{"description":"Click to verify"}`,
			Status:   http.StatusOK,
			Response: `{"id":"pn_1","serverId":"srv_1"}`,
			Want:     &resources.Panel{ID: "pn_1", ServerID: "srv_1"},
		},
		{
			ID: "panels.delete", Method: http.MethodDelete, Path: "/panels/pn_1", Scope: "panels:write", Tier: "write",
			Call:   func(ctx context.Context, s resources.Services) (any, error) { return nil, s.Panels.Delete(ctx, "pn_1") },
			Status: http.StatusNoContent,
		},

		// referrals
		{
			ID: "referrals.list", Method: http.MethodGet, Path: "/referrals", Scope: "referrals:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Referrals.List(ctx, &resources.ReferralsListParams{Page: ptr(1)})
			},
			Query:    url.Values{"page": {"1"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"ref_1","code":"ABC","referredUserId":null,"rewardCents":100}],"total":1,"totalPages":1}`,
			Want:     &resources.ReferralPage{Data: []resources.Referral{{ID: "ref_1", Code: ptr("ABC"), RewardCents: ptr(int64(100))}}, Total: ptr(1), TotalPages: ptr(1)},
		},

		// servers
		{
			ID: "servers.list", Method: http.MethodGet, Path: "/servers", Scope: "servers:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Servers.List(ctx, &resources.ServersListParams{Cursor: ptr("c1"), Limit: ptr(2)})
			},
			Query:    url.Values{"cursor": {"c1"}, "limit": {"2"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"srv_1","name":"Main","guildId":"123","createdAt":` + ts + `},{"id":"srv_2","name":"Backup","guildId":"456","memberCount":12,"createdAt":` + ts + `}],"nextCursor":"c2"}`,
			Want: &resources.ServerPage{
				Data: []resources.Server{
					{ID: "srv_1", Name: "Main", GuildID: "123", CreatedAt: t0},
					{ID: "srv_2", Name: "Backup", GuildID: "456", MemberCount: ptr(int64(12)), CreatedAt: t0},
				},
				NextCursor: ptr("c2"),
			},
		},
		{
			ID: "servers.create", Method: http.MethodPost, Path: "/servers", Scope: "servers:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Servers.Create(ctx, &resources.ServerCreate{GuildID: "123"})
			},
			Body:     `{"guildId":"123"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"srv_1","name":"Main","guildId":"123","ownerId":"42","createdAt":` + ts + `}`,
			Want:     &resources.Server{ID: "srv_1", Name: "Main", GuildID: "123", OwnerID: ptr("42"), CreatedAt: t0},
		},
		{
			ID: "servers.get", Method: http.MethodGet, Path: "/servers/srv%201%2F%C3%A9", Scope: "servers:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Servers.Get(ctx, "srv 1/é") },
			Status:   http.StatusOK,
			Response: `{"id":"srv 1/é","name":"Main","guildId":"123","createdAt":` + ts + `}`,
			Want:     &resources.Server{ID: "srv 1/é", Name: "Main", GuildID: "123", CreatedAt: t0},
		},
		{
			ID: "servers.update", Method: http.MethodPatch, Path: "/servers/srv_1", Scope: "servers:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Servers.Update(ctx, "srv_1", &resources.ServerUpdate{Name: ptr("Renamed")})
			},
			Body:     `{"name":"Renamed"}`,
			Status:   http.StatusOK,
			Response: `{"id":"srv_1","name":"Renamed","guildId":"123","createdAt":` + ts + `}`,
			Want:     &resources.Server{ID: "srv_1", Name: "Renamed", GuildID: "123", CreatedAt: t0},
		},
		{
			ID: "servers.delete", Method: http.MethodDelete, Path: "/servers/srv_1", Scope: "servers:delete", Tier: "destructive",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return nil, s.Servers.Delete(ctx, "srv_1")
			},
			Status: http.StatusNoContent,
		},

		// teams
		{
			ID: "teams.list", Method: http.MethodGet, Path: "/teams", Scope: "teams:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Teams.List(ctx, nil) },
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"tm_1","name":"Ops","memberIds":["42"]}],"nextCursor":null}`,
			Want:     &resources.TeamPage{Data: []resources.Team{{ID: "tm_1", Name: "Ops", MemberIDs: []string{"42"}}}},
		},
		{
			ID: "teams.create", Method: http.MethodPost, Path: "/teams", Scope: "teams:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Teams.Create(ctx, &resources.TeamCreate{Name: "Ops", MemberIDs: []string{"42"}})
			},
			Body:     `{"name":"Ops","memberIds":["42"]}`,
			Status:   http.StatusCreated,
			Response: `{"id":"tm_1","name":"Ops","memberIds":["42"]}`,
			Want:     &resources.Team{ID: "tm_1", Name: "Ops", MemberIDs: []string{"42"}},
		},
		{
			ID: "teams.get", Method: http.MethodGet, Path: "/teams/tm_1", Scope: "teams:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Teams.Get(ctx, "tm_1") },
			Status:   http.StatusOK,
			Response: `{"id":"tm_1","name":"Ops","createdAt":` + ts + `}`,
			Want:     &resources.Team{ID: "tm_1", Name: "Ops", CreatedAt: ptr(t0)},
		},
		{
			ID: "teams.update", Method: http.MethodPatch, Path: "/teams/tm_1", Scope: "teams:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Teams.Update(ctx, "tm_1", &resources.TeamUpdate{MemberIDs: []string{}})
			},
			Body:     `{"memberIds":[]}`,
			Status:   http.StatusOK,
			Response: `{"id":"tm_1","name":"Ops","memberIds":[]}`,
			Want:     &resources.Team{ID: "tm_1", Name: "Ops", MemberIDs: []string{}},
		},
		{
			ID: "teams.delete", Method: http.MethodDelete, Path: "/teams/tm_1", Scope: "teams:write", Tier: "write",
			Call:   func(ctx context.Context, s resources.Services) (any, error) { return nil, s.Teams.Delete(ctx, "tm_1") },
			Status: http.StatusNoContent,
		},

		// templates
		{
			ID: "templates.list", Method: http.MethodGet, Path: "/templates", Scope: "templates:read", Tier: "read",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Templates.List(ctx, &resources.TemplatesListParams{Limit: ptr(10)})
			},
			Query:    url.Values{"limit": {"10"}},
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"tp_1","name":"Gaming","sourceServerId":null}],"nextCursor":null}`,
			Want:     &resources.TemplatePage{Data: []resources.Template{{ID: "tp_1", Name: "Gaming"}}},
		},
		{
			ID: "templates.create", Method: http.MethodPost, Path: "/templates", Scope: "templates:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Templates.Create(ctx, &resources.TemplateCreate{Name: "Gaming", SourceServerID: ptr("srv_1")})
			},
			Body:     `{"name":"Gaming","sourceServerId":"srv_1"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"tp_1","name":"Gaming","sourceServerId":"srv_1"}`,
			Want:     &resources.Template{ID: "tp_1", Name: "Gaming", SourceServerID: ptr("srv_1")},
		},
		{
			ID: "templates.get", Method: http.MethodGet, Path: "/templates/tp_1", Scope: "templates:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Templates.Get(ctx, "tp_1") },
			Status:   http.StatusOK,
			Response: `{"id":"tp_1","name":"Gaming","description":"For gaming communities","createdAt":` + ts + `}`,
			Want:     &resources.Template{ID: "tp_1", Name: "Gaming", Description: ptr("For gaming communities"), CreatedAt: ptr(t0)},
		},
		{
			ID: "templates.update", Method: http.MethodPatch, Path: "/templates/tp_1", Scope: "templates:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Templates.Update(ctx, "tp_1", &resources.TemplateUpdate{Name: ptr("Gaming 2")})
			},
			Body:     `{"name":"Gaming 2"}`,
			Status:   http.StatusOK,
			Response: `{"id":"tp_1","name":"Gaming 2"}`,
			Want:     &resources.Template{ID: "tp_1", Name: "Gaming 2"},
		},
		{
			ID: "templates.apply", Method: http.MethodPost, Path: "/templates/tp_1/apply", Scope: "templates:apply", Tier: "destructive",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Templates.Apply(ctx, "tp_1", &resources.TemplateApply{TargetServerID: "srv_2"})
			},
			Body:     `{"targetServerId":"srv_2"}`,
			Status:   http.StatusAccepted,
			Response: `{"id":"job_5","type":"templates.apply","status":"completed","createdAt":` + ts + `,"finishedAt":` + ts + `}`,
			Want:     &resources.Job{ID: "job_5", Type: ptr("templates.apply"), Status: resources.JobStatusCompleted, CreatedAt: t0, FinishedAt: ptr(t0)},
		},

		// upload
		{
			ID: "upload.create", Method: http.MethodPost, Path: "/upload", Scope: "upload:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Upload.Create(ctx, &resources.UploadCreate{FileName: "logo.png", ContentType: ptr("image/png"), Data: []byte("png")})
			},
			Body:     `{"fileName":"logo.png","contentType":"image/png","data":"cG5n"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"up_1","url":"https://cdn.example.com/logo.png","size":3}`,
			Want:     &resources.Upload{ID: "up_1", URL: "https://cdn.example.com/logo.png", Size: ptr(int64(3))},
		},

		// verify-page
		{
			ID: "verify-page.get", Method: http.MethodGet, Path: "/verify-page", Scope: "verify-page:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.VerifyPage.Get(ctx) },
			Status:   http.StatusOK,
			Response: `{"title":"Verify","accentColor":"#5865F2","logoUrl":null}`,
			Want:     &resources.VerifyPage{Title: ptr("Verify"), AccentColor: ptr("#5865F2")},
		},
		{
			ID: "verify-page.update", Method: http.MethodPatch, Path: "/verify-page", Scope: "verify-page:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.VerifyPage.Update(ctx, &resources.VerifyPageUpdate{Title: ptr("Welcome"), LogoURL: ptr("https://example.com/logo.png")})
			},
			Body:     `{"title":"Welcome","logoUrl":"https://example.com/logo.png"}`,
			Status:   http.StatusOK,
			Response: `{"title":"Welcome","logoUrl":"https://example.com/logo.png"}`,
			Want:     &resources.VerifyPage{Title: ptr("Welcome"), LogoURL: ptr("https://example.com/logo.png")},
		},

		// whitelist
		{
			ID: "whitelist.listEntries", Method: http.MethodGet, Path: "/whitelist", Scope: "whitelist:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Whitelist.ListEntries(ctx, nil) },
			Status:   http.StatusOK,
			Response: `{"data":[{"id":"wl_1","userId":"42"}],"nextCursor":null}`,
			Want:     &resources.ListEntryPage{Data: []resources.ListEntry{{ID: "wl_1", UserID: "42"}}},
		},
		{
			ID: "whitelist.createEntry", Method: http.MethodPost, Path: "/whitelist", Scope: "whitelist:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Whitelist.CreateEntry(ctx, &resources.ListEntryCreate{UserID: "42"})
			},
			Body:     `{"userId":"42"}`,
			Status:   http.StatusCreated,
			Response: `{"id":"wl_1","userId":"42"}`,
			Want:     &resources.ListEntry{ID: "wl_1", UserID: "42"},
		},
		{
			ID: "whitelist.deleteEntry", Method: http.MethodDelete, Path: "/whitelist/wl_1", Scope: "whitelist:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return nil, s.Whitelist.DeleteEntry(ctx, "wl_1")
			},
			Status: http.StatusNoContent,
		},

		// widget
		{
			ID: "widget.get", Method: http.MethodGet, Path: "/widget", Scope: "widget:read", Tier: "read",
			Call:     func(ctx context.Context, s resources.Services) (any, error) { return s.Widget.Get(ctx) },
			Status:   http.StatusOK,
			Response: `{"enabled":true,"theme":"dark","allowedOrigins":["https://example.com"]}`,
			Want:     &resources.Widget{Enabled: ptr(true), Theme: ptr("dark"), AllowedOrigins: []string{"https://example.com"}},
		},
		{
			ID: "widget.update", Method: http.MethodPatch, Path: "/widget", Scope: "widget:write", Tier: "write",
			Call: func(ctx context.Context, s resources.Services) (any, error) {
				return s.Widget.Update(ctx, &resources.WidgetUpdate{Enabled: ptr(false)})
			},
			Body:     `{"enabled":false}`,
			Status:   http.StatusOK,
			Response: `{"enabled":false}`,
			Want:     &resources.Widget{Enabled: ptr(false)},
		},
	}
}
