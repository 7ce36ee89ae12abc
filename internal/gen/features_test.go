package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// featureCase is one hand-written spec under testdata, and what the code
// generated from it must (and must not) contain. Snippets are compared with
// runs of white space collapsed, so gofmt's alignment does not matter.
type featureCase struct {
	spec     string              // file name under testdata; its base name is the package name
	want     map[string][]string // generated file → snippets it must contain
	absent   map[string][]string // generated file → snippets it must not contain
	warnings []string            // substrings of the warnings the generator must give
	scopes   bool                // the spec lists scopes: also generate and build scopes.go
}

var featureCases = []featureCase{
	{
		spec: "oas30.json",
		want: map[string][]string{
			"pets_gen.go": {
				"func (s *PetsService) List(ctx context.Context, params *PetsListParams, opts ...RequestOption) ([]Pet, error)",
				"func (s *PetsService) Create(ctx context.Context, body *NewPet, opts ...RequestOption) (*Pet, error)",
				"func (s *PetsService) Delete(ctx context.Context, petID string, opts ...RequestOption) error",
				`"/pets/"+url.PathEscape(petID)`,
				"Nickname *string `json:\"nickname\"`",
				"Owner *Owner `json:\"owner\"`",
				"Tags []string `json:\"tags,omitzero\"`",
				"Age *int `json:\"age,omitzero\"`",
				"Name string `json:\"name\"`",
				"Limit *int32 `url:\"limit,omitempty\"`",
				"Species *string `url:\"species,omitempty\"`",
			},
			"operations_gen.go": {`ID: "pets.list"`, `ID: "pets.create"`, `ID: "pets.get"`, `ID: "pets.delete"`},
		},
	},
	{
		spec: "oas31.json",
		want: map[string][]string{
			"pets_gen.go": {
				"func (s *PetsService) Update(ctx context.Context, petID string, body *PetPatch, opts ...RequestOption) (*Pet, error)",
				"Nickname *string `json:\"nickname\"`",
				"Weight *float32 `json:\"weight\"`",
				"Kind PetKind `json:\"kind\"`",
				`PetKindPet PetKind = "pet"`,
				"Born *time.Time `json:\"born,omitzero\"`",
				"Mixed json.RawMessage `json:\"mixed,omitzero\"`",
				"does not model a value of any of the types string, integer.",
				"Numeric *float64 `json:\"numeric,omitzero\"`",
				"Ref *Owner `json:\"ref,omitzero\"`",
				"Nothing json.RawMessage",
				"Anything json.RawMessage",
				"Yes json.RawMessage",
				"Tags []string `json:\"tags,omitzero\"`",
			},
		},
	},
	{
		spec: "refs.json",
		want: map[string][]string{
			"things_gen.go": {
				"func (s *ThingsService) Get(ctx context.Context, thingID string, params *ThingsGetParams, opts ...RequestOption) (*Thing, error)",
				"func (s *ThingsService) Replace(ctx context.Context, thingID string, body *Thing, opts ...RequestOption) (*Thing, error)",
				"func (s *ThingsService) List(ctx context.Context, opts ...RequestOption) ([]Thing, error)",
				"Expand []string `url:\"expand,omitempty,comma\"`",
				"Verbose *bool `url:\"verbose,omitempty\"`",
				"Parent *Thing `json:\"parent,omitzero\"`",
				"Deep *ThingLabel `json:\"deep,omitzero\"`",
				"Escaped *AB `json:\"escaped,omitzero\"`",
				"type AB = string",
				"type LoopA = json.RawMessage",
				"External json.RawMessage",
				`the $ref "other.json#/components/schemas/Thing", which the generator cannot resolve`,
				"Missing json.RawMessage",
			},
		},
		absent:   map[string][]string{"things_gen.go": {"type Label struct"}},
		warnings: []string{"GET /broken: cannot resolve a parameter"},
	},
	{
		spec: "composition.json",
		want: map[string][]string{
			"shapes_gen.go": {
				"func (s *ShapesService) Create(ctx context.Context, body Shape, opts ...RequestOption) (*Circle, error)",
				"type Shape = json.RawMessage",
				"a oneOf/anyOf of Circle, Square; decode it with json.Unmarshal into the variant you expect",
				"type Circle struct { ID is the \"id\" field: Overrides Base.id. ID string `json:\"id\"`",
				"Radius float64 `json:\"radius\"`",
				"type Square struct { ID is the square's ID. ID string `json:\"id\"`",
				"Side *float64 `json:\"side,omitzero\"`",
				"MaybeCircle *Circle `json:\"maybeCircle,omitzero\"`",
				"MaybeName *string `json:\"maybeName,omitzero\"`",
				"IDOrCode *string `json:\"idOrCode,omitzero\"`",
				"NumberOrText json.RawMessage",
				"Wrapped *Base `json:\"wrapped,omitzero\"`",
				"Merged *DrawingMerged `json:\"merged,omitzero\"`",
				"B int `json:\"b\"`",
				"BadMerge json.RawMessage",
				"WithOneOf json.RawMessage",
				"OnlyNull json.RawMessage",
			},
		},
	},
	{
		spec: "enums.json",
		want: map[string][]string{
			"orders_gen.go": {
				"func (s *OrdersService) ListByStatus(ctx context.Context, status OrderStatus, params *OrdersListByStatusParams, opts ...RequestOption) ([]Order, error)",
				`url.PathEscape(string(status))`,
				"type OrderStatus string",
				`OrderStatusPending OrderStatus = "pending"`,
				`OrderStatusInProgress OrderStatus = "in-progress"`,
				`OrderStatus1st OrderStatus = "1st"`,
				`OrderStatusValue6 OrderStatus = "*"`,
				`OrderStatusEmpty OrderStatus = ""`,
				`OrderStatusDone2 OrderStatus = "DONE"`,
				"Sort *OrdersListByStatusParamsSort `url:\"sort,omitempty\"`",
				"Priority *int `url:\"priority,omitempty\"`",
				"Channel *OrderChannel `json:\"channel,omitzero\"`",
				`OrderChannelAPI OrderChannel = "api"`,
				"Level *int `json:\"level,omitzero\"`",
				"It is one of 1, 2, 3.",
				"Mixed json.RawMessage",
				"Untyped *OrderUntyped",
				`OrderSingleOrder OrderSingle = "order"`,
			},
		},
	},
	{
		spec: "maps.json",
		want: map[string][]string{
			"settings_gen.go": {
				"func (s *SettingsService) Put(ctx context.Context, body map[string]int, opts ...RequestOption) error",
				"Filter map[string]string `url:\"filter,omitempty\"`",
				"Free map[string]any `json:\"free,omitzero\"`",
				"FreeEmpty map[string]any",
				"Bare map[string]any",
				"Closed *SettingsClosed",
				"type SettingsClosed struct{}",
				"Counts map[string]int64",
				"MaybeCounts map[string]*int",
				"ByName map[string]Entry",
				"Lists map[string][]string",
				"InlineValues map[string]SettingsInlineValuesValue",
				"Mixed *SettingsMixed",
				"Properties beyond the listed ones are allowed by the spec but not kept.",
				"Labels Labels `json:\"labels,omitzero\"`",
				"type Labels map[string]string",
			},
		},
	},
	{
		spec: "arrays.json",
		want: map[string][]string{
			"matrix_gen.go": {
				"func (s *MatrixService) Post(ctx context.Context, body []MatrixPostRequestItem, opts ...RequestOption) (*Matrix, error)",
				"X int `json:\"x\"`",
				"Rows [][]float64",
				"Cells []MatrixCellsItem",
				"Tags []MatrixCellsItemTagsItem",
				"MaybeItems []*string",
				"Refs []Cell",
				"NoItems []json.RawMessage",
				"Tuple []json.RawMessage",
				"OldTuple []json.RawMessage",
				"Tree Tree `json:\"tree,omitzero\"`",
				"type Tree []Tree",
				"type Cells []Cell",
			},
		},
	},
	{
		spec: "inline.json",
		want: map[string][]string{
			"reports_gen.go": {
				"func (s *ReportsService) Run(ctx context.Context, reportID int64, body *ReportsRunRequest, opts ...RequestOption) (*ReportsRunResponse, error)",
				`url.PathEscape(fmt.Sprint(reportID))`,
				"Options ReportsRunRequestOptions `json:\"options\"`",
				`ReportsRunRequestOptionsFormatPDF ReportsRunRequestOptionsFormat = "pdf"`,
				"Window *ReportsRunRequestOptionsWindow",
				"From *time.Time",
				"Run *ReportsRunResponseRun",
				"Owner *ReportsRunResponseRunOwner",
			},
		},
	},
	{
		spec: "noopid.json",
		want: map[string][]string{
			"operations_gen.go": {
				`ID: "widgets.list"`, `ID: "widgets.create"`, `ID: "widgets.get"`, `ID: "widgets.replace"`,
				`ID: "widgets.update"`, `ID: "widgets.delete"`, `ID: "widgets.head"`, `ID: "widgets.publish"`,
				`ID: "widgets.listParts"`, `ID: "widgets.get2"`, `ID: "default.get"`, `ID: "default.get2"`,
				`Path: "/api/v1/widgets/{widgetId}/publish"`,
			},
			"widgets_gen.go": {
				"func (s *WidgetsService) List(ctx context.Context, params *WidgetsListParams, opts ...RequestOption) ([]string, error)",
				"func (s *WidgetsService) Replace(ctx context.Context, widgetID string, opts ...RequestOption) error",
				"func (s *WidgetsService) Publish(ctx context.Context, widgetID string, opts ...RequestOption) error",
				"func (s *WidgetsService) ListParts(ctx context.Context, widgetID string, opts ...RequestOption) ([]string, error)",
			},
			"default_gen.go": {"func (s *DefaultService) Get(ctx context.Context, opts ...RequestOption) error", "func (s *DefaultService) Get2(ctx context.Context, id string, opts ...RequestOption) error"},
		},
	},
	{
		spec: "oddnames.json",
		want: map[string][]string{
			"verify_page_gen.go": {
				"func (s *VerifyPageService) Get(ctx context.Context, typeArg string, rangeArg string, ctxArg string, urlArg string, params *VerifyPageGetParams, opts ...RequestOption) (*Operation, error)",
				"XRateLimit *int `url:\"x-rate-limit,omitempty\"`",
				"N2fa *bool `url:\"2fa,omitempty\"`",
				`The query parameter "a,b" is not sent`,
				`The header parameter "X-Request-Id" is not sent`,
				`The cookie parameter "session" is not sent`,
				"Type *string `json:\"type,omitzero\"`",
				"Func *string `json:\"func,omitzero\"`",
				"N2fa *bool `json:\"2fa,omitzero\"`",
				"ID *string `json:\"id,omitzero\"`",
				"ID2 *string `json:\"ID,omitzero\"`",
				"ID3 *string `json:\"Id,omitzero\"`",
				"GuildID *string", "APIURL *string", "UserIDs []string", "DMChannel *string",
				"HasSpace *string `json:\"has space,omitzero\"`",
				`The property "a,b" cannot be named in a Go struct tag and is not modelled.`,
				`The property "-" cannot be named`,
				`The property "" cannot be named`,
				"Proto *string `json:\"__proto__,omitzero\"`",
				"X日本 *string", "Ñame *string",
			},
			"2fa_gen.go":          {"type N2faService struct", "func (s *N2faService) Enable2fa(ctx context.Context, opts ...RequestOption) (*Server2, error)"},
			"operations2_gen.go":  {"type OperationsService struct", "type Services2 struct"},
			"services2_gen.go":    {"type ServicesService struct", "type N2fa struct"},
			"models2_gen.go":      {"type Ünïcode string", `ÜnïcodeÄ Ünïcode = "ä"`, `ÜnïcodeBC Ünïcode = "b-c"`, `Ünïcode1 Ünïcode = "1"`, `ÜnïcodeType Ünïcode = "type"`},
			"type_gen.go":         {"func (s *TypeService) Type(ctx context.Context, opts ...RequestOption) (*ServersService2, error)"},
			"x_rate_limit_gen.go": {"func (s *XRateLimitService) Get(ctx context.Context, opts ...RequestOption) (*Server, error)"},
			"servers_gen.go":      {"func (s *ServersService) List(ctx context.Context, opts ...RequestOption) (*Func, error)", "func (s *ServersService) List2(", "func (s *ServersService) List3("},
			"services_gen.go":     {"N2fa *N2faService", "Services *ServicesService", "XRateLimit *XRateLimitService"},
			"operations_gen.go":   {`ID: "verify-page.get"`, `ID: "x-rate-limit.get"`, `ID: "2fa.enable2fa"`, `ID: "type.type"`, `ID: "servers.list2"`, `ID: "servers.list3"`},
		},
	},
	{
		// Names a person would write (issue 17 item 5).
		spec: "names.json",
		want: map[string][]string{
			"apis_gen.go": {
				"func (s *APIsService) Create(ctx context.Context, body *APIsCreateRequest, opts ...RequestOption) (*APIsCreateResponse, error)",
				"func (s *APIsService) Delete(ctx context.Context, body *APIsDeleteRequest, opts ...RequestOption) error",
				"func (s *APIsService) ListKeys(",
				"func (s *APIsService) Get(ctx context.Context, body *APIsGetRequest, opts ...RequestOption) (*APIsGetResponse, error)",
			},
			"keys_gen.go": {
				"func (s *KeysService) Create(", "func (s *KeysService) Verify(",
				"func (s *KeysService) Get(ctx context.Context, params *KeysGetParams,",
			},
			"openapi_json_gen.go": {"func (s *OpenapiJSONService) Get("},
			"realtime_gen.go": {
				"func (s *RealtimeService) GetConfig(", "func (s *RealtimeService) UpdateConfig(",
				"func (s *RealtimeService) GetV2(",
			},
			"users_gen.go": {
				"func (s *UsersService) Get(ctx context.Context, id string,",
				"func (s *UsersService) ListUserSessions(ctx context.Context, id string,",
				"func (s *UsersService) ListSessions(ctx context.Context, opts ...RequestOption) error",
			},
			"channels_gen.go": {
				"func (s *ChannelsService) List(ctx context.Context, opts ...RequestOption) ([]Channel, error)",
				"func (s *ChannelsService) ListMessages(ctx context.Context, id string, params *ChannelsListMessagesParams,",
				"func (s *ChannelsService) ListByType(ctx context.Context, typeArg ChannelTypes,",
				`"/channels/by-type/"+url.PathEscape(fmt.Sprint(typeArg))`,
				"type ChannelTypes int32",
				"ChannelTypesGuildText is the ChannelTypes value 0. A text channel within a server.",
				"type HTTPStatus int", "HTTPStatusCustomSuccess HTTPStatus = 200", "is the HTTPStatus value 500. Used when it failed.",
				"type Review float64", "ReviewApproved Review = 1",
				"type Plain = int", "Plain *Plain `json:\"plain,omitzero\"`",
				`RegionEurope Region = "eu-west"`, `is the Region value "eu-west". Dublin.`, `RegionAmerica Region = "us-east"`,
				"ChannelTypesGuildText ChannelTypes = 0", "ChannelTypesDM ChannelTypes = 1", "ChannelTypesGuildVoice ChannelTypes = 2",
				"type Priority int", "PriorityMinus1 Priority = -1", "Priority0 Priority = 0", "Priority5 Priority = 5",
				"type Status string", `StatusInProgress Status = "in_progress"`, `StatusDone Status = "done"`,
				"type Level int", "LevelLow Level = 1", "Level *Level `json:\"level,omitzero\"`",
				"Type ChannelTypes `json:\"type\"`",
				"Type *ChannelTypes `url:\"type,omitempty\"`",
				"type Mixed = json.RawMessage",
			},
			"widgets_gen.go":    {"Widget routes of API v2. type WidgetsService struct", "func (s *WidgetsService) List("},
			"v2_gadgets_gen.go": {"type V2GadgetsService struct"},
			"operations_gen.go": {
				`ID: "apis.create"`, `ID: "apis.delete"`, `ID: "apis.listKeys"`, `ID: "keys.create"`, `ID: "keys.verify"`,
				`ID: "keys.get"`, `ID: "openapi-json.get"`, `ID: "realtime.getConfig"`, `ID: "channels.list"`,
				`ID: "users.listUserSessions"`, `ID: "users.listSessions"`, `ID: "widgets.list"`, `ID: "v2-gadgets.list"`,
			},
			"incident_workflows_gen.go": {
				"type IncidentWorkflowInputsItemValue struct",
				"type IncidentWorkflowValueLiteralReference struct",
				"type IncidentWorkflowLiteralReferenceKind string",
			},
		},
		absent: map[string][]string{
			"incident_workflows_gen.go": {"IncidentWorkflowStepsItemActionConfigurationInlineSteps"},
		},
	},
	{
		spec: "formats.json",
		want: map[string][]string{
			"events_gen.go": {
				"At time.Time `json:\"at\"`", "Day *string", "Count int64 `json:\"count\"`", "Small *int32", "Big *uint64",
				"Plain *int", "Score *float32", "Mean *float64", "Link *string", "Mail *string", "UUID *string",
				"Blob []byte `json:\"blob,omitzero\"`", "File *string", "Flag *bool",
				"Since *time.Time `url:\"since,omitempty\"`", "IDs []int64 `url:\"ids,omitempty\"`", "Ratio *float64 `url:\"ratio,omitempty\"`",
			},
		},
	},
	{
		// Alternatives: every listed scope accepted, the least privileged
		// required; read/write words win over admin; a GET is read when only
		// the scope's name speaks; schemes in document order; extensions.
		spec:   "scopealts.json",
		scopes: true,
		want: map[string][]string{
			"operations_gen.go": {
				// Every alternative is kept (AcceptedScopes); an operation
				// that accepts only its required scope carries none.
				`opOrgsList: { ID: "orgs.list", Method: "GET", Path: "/orgs", Scope: "org:read", AcceptedScopes: []Scope{"org:admin", "org:read", "org:write"}, Tier: TierRead,`,
				`opOrgsCreate: { ID: "orgs.create", Method: "POST", Path: "/orgs", Scope: "org:write", AcceptedScopes: []Scope{"org:admin", "org:write"}, Tier: TierWrite,`,
				`opOrgsGet: { ID: "orgs.get", Method: "GET", Path: "/orgs/{id}", Scope: "org:admin", Tier: TierRead,`,
				`opOrgsDelete: { ID: "orgs.delete", Method: "DELETE", Path: "/orgs/{id}", Scope: "org:admin", Tier: TierDestructive,`,
				`opPairsPut: { ID: "pairs.put", Method: "PUT", Path: "/pairs", Scope: "b:write", AcceptedScopes: []Scope{"b:write", "a:write"}, Tier: TierWrite,`,
				`opPairsPatch: { ID: "pairs.patch", Method: "PATCH", Path: "/pairs", Scope: "org:write", Tier: TierWrite,`,
			},
			"scopes.go": {`ScopeOrgRead Scope = "org:read"`, `ScopeAWrite Scope = "a:write"`, `ScopeAll Scope = "*"`},
		},
	},
	{
		spec:   "security.json",
		scopes: true,
		want: map[string][]string{
			"operations_gen.go": {
				`opNotesList: { ID: "notes.list", Method: "GET", Path: "/notes", Scope: "notes:read", AcceptedScopes: []Scope{"notes:read", "docs:read"}, Tier: TierRead, Idempotent: true, Pagination: PaginationNone, }`,
				`opNotesCreate: { ID: "notes.create", Method: "POST", Path: "/notes", Scope: "notes:write", Tier: TierWrite, Pagination: PaginationNone, }`,
				`opNotesPurge: { ID: "notes.purge", Method: "DELETE", Path: "/notes", Scope: "notes:purge", Tier: TierDestructive, Pagination: PaginationNone, }`,
				`opNotesGet: { ID: "notes.get", Method: "GET", Path: "/notes/{id}", Scope: "docs:read", Tier: TierRead, Idempotent: true,`,
				// The spec's "admin" tier is no Tier: the tier comes from the scope name.
				`opNotesPut: { ID: "notes.put", Method: "PUT", Path: "/notes/{id}", Scope: "notes:admin", Tier: TierDestructive, Idempotent: true,`,
				`opNotesTouch: { ID: "notes.touch", Method: "POST", Path: "/notes/{id}", Idempotent: true, Pagination: PaginationNone, Inferred: true, }`,
				`Pace: &Pace{KeyField: "channelId", CountField: "items", Limit: 30, Interval: 10 * time.Second},`,
				`{"notes:purge", TierDestructive}`, `{"notes:admin", TierUnknown}`, `const scopeWildcard Scope = "*"`,
			},
			"notes_gen.go": {
				"The same security requirement also lists docs:read.",
				"It sends POST /notes/{id}; no scope is documented for it.",
				"Inferred: this operation is not documented, so its method, path",
				"Deprecated: the spec marks this operation as deprecated.",
			},
			"batches_gen.go": {
				"Pacing: the API accepts at most 30 entries of items per 10s for each channelId value.",
				"Rate limit: Only 5 per hour, says the vendor.",
			},
			"scopes.go": {
				`ScopeDocsRead Scope = "docs:read"`, `ScopeNotesPurge Scope = "notes:purge"`,
				`ScopeNotesAdmin is the scope "notes:admin" (tier not documented).`, `ScopeAll Scope = "*"`,
			},
		},
		warnings: []string{"PATCH /batches: x-rate-limit needs per"},
	},
	{
		spec: "pagination.json",
		want: map[string][]string{
			"users_gen.go": {
				"func (s *UsersService) All(ctx context.Context, params *UsersListParams, opts ...RequestOption) iter.Seq2[User, error]",
				"return cursorSeq(valueOf(p.Cursor), func(cursor string) ([]User, string, error) { q := p q.Cursor = optional(cursor)",
				"return resp.Data, valueOf(resp.NextCursor), nil",
				"func (s *UsersService) Pages(ctx context.Context, params *UsersListParams, opts ...RequestOption) iter.Seq2[*UsersListResponse, error]",
				"return resp, len(resp.Data), valueOf(resp.NextCursor), nil",
			},
			"groups_gen.go": {
				"return pagePages(int(valueOf(p.Page)), func(page int)",
				"func (s *GroupsService) PagesMembers(ctx context.Context, groupID string, params *GroupsListMembersParams, opts ...RequestOption) iter.Seq2[",
				"func (s *GroupsService) All(ctx context.Context, params *GroupsListParams, opts ...RequestOption) iter.Seq2[string, error]",
				"return pageSeq(int(valueOf(p.Page)), func(page int) ([]string, int, error) { q := p q.Page = optional(int32(page))",
				"return resp.Data, int(valueOf(resp.TotalPages)), nil",
				"func (s *GroupsService) AllMembers(ctx context.Context, groupID string, params *GroupsListMembersParams, opts ...RequestOption) iter.Seq2[*GroupsListMembersResponseResultsItem, error]",
				"return cursorSeq(p.After, func(cursor string)",
				"resp, err := s.ListMembers(ctx, groupID, &q, opts...)",
				"return resp.Results, resp.NextAfter, nil",
			},
			"detected_gen.go": {
				"func (s *DetectedService) All(ctx context.Context, params *DetectedListParams, opts ...RequestOption) iter.Seq2[int, error]",
				"return resp.Items, valueOf(resp.NextCursor), nil",
				"func (s *DetectedService) AllPages(ctx context.Context, params *DetectedListPagesParams, opts ...RequestOption) iter.Seq2[string, error]",
				"return pageSeq(p.Page, func(page int) ([]string, int, error) { q := p q.Page = page",
				"return resp.Things, 0, nil",
			},
			"events_gen.go": {
				"func (s *EventsService) All(ctx context.Context, params *EventsListParams, opts ...RequestOption) iter.Seq2[User, error]",
				"return offsetSeq(valueOf(p.Offset), func(offset int) ([]User, int, error) { q := p q.Offset = optional(offset)",
				"return resp.Data, resp.Total, nil",
				"func (s *EventsService) PagesLogs(ctx context.Context, params *EventsListLogsParams, opts ...RequestOption) iter.Seq2[*EventsListLogsResponse, error]",
				"return offsetPages(int(valueOf(p.Skip)), func(offset int) (*EventsListLogsResponse, int, int, error) { q := p q.Skip = optional(int32(offset))",
				"return resp, len(resp.Entries), 0, nil",
				"Each page's offset is the last one's plus the items it held. It stops after yielding the first error, at an empty page, and once the offset reaches the response's total.",
			},
			"operations_gen.go": {
				`opUsersList: { ID: "users.list", Method: "GET", Path: "/users", Idempotent: true, Pagination: PaginationCursor, List: &ListShape{ Items: "data", Cursor: "cursor", Next: "nextCursor", Limit: "limit", }, Model: "User", }`,
				`opGroupsList: { ID: "groups.list", Method: "GET", Path: "/groups", Idempotent: true, Pagination: PaginationPage, List: &ListShape{ Items: "data", Cursor: "page", Next: "totalPages", Limit: "limit", }, }`,
				`opGroupsListMembers: { ID: "groups.listMembers", Method: "GET", Path: "/groups/{groupId}/members", Idempotent: true, Pagination: PaginationCursor, List: &ListShape{ Items: "results", Cursor: "after", Next: "next_after", },`,
				`opEventsList: { ID: "events.list", Method: "GET", Path: "/events", Idempotent: true, Pagination: PaginationOffset, List: &ListShape{ Items: "data", Cursor: "offset", Next: "total", Limit: "limit",`,
				`opEventsListNoBody: { ID: "events.listNoBody", Method: "GET", Path: "/no-body-offset", Idempotent: true, Pagination: PaginationNone,`,
				`opDetectedListWrong: { ID: "detected.listWrong", Method: "GET", Path: "/declared-but-wrong", Idempotent: true, Pagination: PaginationNone, List: &ListShape{}, }`,
				`opDetectedListNone: { ID: "detected.listNone", Method: "GET", Path: "/none", Idempotent: true, Pagination: PaginationNone, List: &ListShape{ Items: "data", Filters: []QueryParam{ {Name: "cursor", Type: "string"}, }, },`,
			},
		},
		absent: map[string][]string{"detected_gen.go": {"AllWrong", "AllNone", "AllOdd"}, "events_gen.go": {"AllNoBody"}},
		warnings: []string{
			`x-pagination style "keyset" is not one of none, cursor, page, offset`,
			`detected.listWrong: x-pagination "cursor" but the response is not an object`,
			`events.listNoBody: x-pagination "offset" but it has no JSON response`,
		},
	},
	{
		spec: "recursion.json",
		want: map[string][]string{
			"nodes_gen.go": {
				"Self *Node `json:\"self\"`", "Children []Node", "ByName map[string]Node",
				"B *B `json:\"b\"`", "A A `json:\"a\"`", "C AliasOfA `json:\"c\"`", "type AliasOfA = A",
				"type SelfMerge = json.RawMessage", "does not model a circular allOf.",
			},
		},
	},
	{
		spec: "content.json",
		want: map[string][]string{
			"files_gen.go": {
				"func (s *FilesService) Upload(ctx context.Context, body json.RawMessage, opts ...RequestOption) (json.RawMessage, error)",
				"The request body is raw: the spec declares multipart/form-data content",
				"The response is raw: the spec declares text/plain content",
				"func (s *FilesService) Put(ctx context.Context, body *FilesPutRequest, opts ...RequestOption) (json.RawMessage, error)",
				"application/problem+json; charset=utf-8 content without a schema.",
				"func (s *FilesService) List(ctx context.Context, opts ...RequestOption) ([]string, error)",
			},
		},
	},
	{
		spec: "zod.json",
		want: map[string][]string{
			"teams_gen.go": {
				"func (s *TeamsService) List(ctx context.Context, params *TeamsListParams, opts ...RequestOption) (*TeamsListResponse, error)",
				"func (s *TeamsService) All(ctx context.Context, params *TeamsListParams, opts ...RequestOption) iter.Seq2[Team, error]",
				"func (s *TeamsService) Create(ctx context.Context, body *TeamsCreateRequest, opts ...RequestOption) (*Team, error)",
				"func (s *TeamsService) Get(ctx context.Context, id string, opts ...RequestOption) (*Team, error)",
				"Limit *float64 `url:\"limit,omitempty\"`",
				"NextCursor *string `json:\"nextCursor\"`",
				"Role Role `json:\"role\"`",
				"ArchivedAt *time.Time `json:\"archivedAt\"`",
				"Settings TeamSettings `json:\"settings\"`",
				"Members []TeamMembersItem `json:\"members\"`",
				"Meta map[string]any `json:\"meta,omitzero\"`",
				`RoleOwner Role = "owner"`,
			},
			"operations_gen.go": {`ID: "teams.list"`, `ID: "teams.create"`, `ID: "teams.get"`},
		},
	},
}

var (
	packageClause = regexp.MustCompile(`(?m)^package resources$`)
	commentBreaks = regexp.MustCompile(`\s*\n\s*//\s?`)
	spaces        = regexp.MustCompile(`\s+`)
)

// squash joins wrapped comment lines and collapses white space, so that
// snippets match whatever gofmt and comment wrapping did.
func squash(s string) string {
	return spaces.ReplaceAllString(commentBreaks.ReplaceAllString(s, " "), " ")
}

// runtimeFiles returns the hand-written Go files of the resources package,
// which generated code needs beside it.
func runtimeFiles(t *testing.T) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "..", "resources")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		n := e.Name()
		// pathtemplate.go re-exports the project's internal/pathtemplate,
		// which no other module may import; generated code does not use it.
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_gen.go") || strings.HasSuffix(n, "_test.go") || n == "generate.go" || n == "pathtemplate.go" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	if files["operation.go"] == nil {
		t.Fatal("resources/operation.go not found")
	}
	return files
}

// runtimeUse keeps staticcheck from reporting the runtime helpers a small
// generated package does not happen to use.
const runtimeUse = `
var _ = []any{cursorSeq[int], pageSeq[int], cursorPages[int], pagePages[int], offsetSeq[int], offsetPages[int], linkPages[int], idPages[int, int], itemsOf[int], itemsOfPages[int, int], valueOf[int], optional[int], bodyOf[int], encodeQuery, Ptr[int], Operations, LookupOperation}
`

// scopesStub declares what the root package gives scopes.go: the Scope
// type (an alias of resources.Scope in the real root package).
const scopesStub = `
type Scope string
`

// TestFeatureSpecs generates a package from every feature spec, checks the
// snippets each must contain, and builds, vets (and, when staticcheck is
// installed, checks) all of them in one temporary module.
func TestFeatureSpecs(t *testing.T) {
	t.Parallel()
	goBin := goTool(t)
	specs, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	var covered []string
	for _, fc := range featureCases {
		covered = append(covered, filepath.Join("testdata", fc.spec))
	}
	for _, s := range specs {
		if !slices.Contains(covered, s) {
			t.Errorf("%s has no entry in featureCases", s)
		}
	}

	mod := t.TempDir()
	writeTestFile(t, filepath.Join(mod, "go.mod"), []byte("module example.com/genfeatures\n\ngo 1.26\n"))
	runtime := runtimeFiles(t)
	reserved, err := handWrittenNames(filepath.Join("..", "..", "resources"))
	if err != nil {
		t.Fatal(err)
	}

	for _, fc := range featureCases {
		pkg := strings.TrimSuffix(fc.spec, ".json")
		t.Run(pkg, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", fc.spec))
			if err != nil {
				t.Fatal(err)
			}
			specPath := "testdata/" + fc.spec
			res, err := generate(data, specPath, pkg, reserved)
			if err != nil {
				t.Fatalf("generate: %v", err)
			}
			again, err := generate(data, specPath, pkg, reserved)
			if err != nil {
				t.Fatal(err)
			}
			for name, src := range res.files {
				if !bytes.Equal(src, again.files[name]) {
					t.Errorf("%s differs between two runs", name)
				}
				if !bytes.HasPrefix(src, []byte("// Code generated by restorehub-gen from "+specPath+". DO NOT EDIT.\n")) {
					t.Errorf("%s lacks the generated-code header", name)
				}
				writeTestFile(t, filepath.Join(mod, pkg, name), src)
			}
			for name, src := range runtime {
				writeTestFile(t, filepath.Join(mod, pkg, name), packageClause.ReplaceAll(src, []byte("package "+pkg)))
			}
			writeTestFile(t, filepath.Join(mod, pkg, "use_test_helpers.go"), []byte("package "+pkg+"\n"+runtimeUse))
			files := map[string]string{}
			for name, src := range res.files {
				files[name] = squash(string(src))
			}
			if fc.scopes {
				src, err := res.doc.scopesFile(specPath, pkg+"scopes")
				if err != nil || src == nil {
					t.Fatalf("scopes file: %v (nil: %v)", err, src == nil)
				}
				writeTestFile(t, filepath.Join(mod, pkg+"scopes", "scopes.go"), src)
				writeTestFile(t, filepath.Join(mod, pkg+"scopes", "stub.go"), []byte("package "+pkg+"scopes\n"+scopesStub))
				files["scopes.go"] = squash(string(src))
			}
			for file, snippets := range fc.want {
				got, ok := files[file]
				if !ok {
					t.Errorf("no %s generated; files: %v", file, keys(files))
					continue
				}
				for _, s := range snippets {
					if !strings.Contains(got, squash(s)) {
						t.Errorf("%s lacks %q", file, s)
					}
				}
			}
			for file, snippets := range fc.absent {
				for _, s := range snippets {
					if strings.Contains(files[file], squash(s)) {
						t.Errorf("%s contains %q", file, s)
					}
				}
			}
			for _, w := range fc.warnings {
				if !slices.ContainsFunc(res.warnings, func(got string) bool { return strings.Contains(got, w) }) {
					t.Errorf("no warning containing %q; got %q", w, res.warnings)
				}
			}
		})
	}
	if t.Failed() {
		return
	}

	// The go command caches what it builds and vets by the content of the
	// packages (and, without -trimpath, their directory, which t.TempDir
	// makes new on every run). With -trimpath the directory drops out of the
	// key, so unchanged generated code is a cache hit; whatever changed is
	// compiled, vetted and checked afresh. Build first, so that vet and
	// staticcheck (whose go list -export needs the compiled packages) find
	// them in the cache, then run those two at once.
	env := append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod -trimpath", "GOTOOLCHAIN=local")
	run := func(name string, args ...string) error {
		cmd := exec.Command(name, args...)
		cmd.Dir = mod
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := run(goBin, "build", "./..."); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = run(goBin, "vet", "./...") })
	if sc := staticcheckPath(); sc != "" {
		wg.Go(func() { errs[1] = run(sc, "./...") })
	} else {
		t.Log("staticcheck not found; skipped")
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// staticcheckPath finds staticcheck in PATH or in the Go bin directory.
func staticcheckPath() string {
	if p, err := exec.LookPath("staticcheck"); err == nil {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, "go", "bin", "staticcheck")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
