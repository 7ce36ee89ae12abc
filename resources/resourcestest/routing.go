package resourcestest

import "github.com/restorehub/restorehub-go/resources"

// RoutingCase is a request and the operation every router of the SDK must
// pick for it from Operations: the client's classifier, its fake
// (restorehubtest) and resources.MatchPathTemplate. Each router's tests run
// RoutingCases, so that none can drift to a rule of its own.
type RoutingCase struct {
	// Name says what the case shows.
	Name string
	// Operations is the table to route in.
	Operations []resources.OperationSpec
	// Method and Path are the request; Path is escaped, below the base URL.
	Method, Path string
	// WantID is the operation that must be picked; "" for none.
	WantID string
}

// RoutingCases returns the cases every router must agree on: templates of
// two parameters each that overlap, where the count of literal segments
// and the leftmost literal would pick differently, literal text beside a
// parameter, and trailing slashes.
func RoutingCases() []RoutingCase {
	twoParams := []resources.OperationSpec{
		{ID: "a.second", Method: "GET", Path: "/a/{x}/{z}/c"},
		{ID: "a.first", Method: "GET", Path: "/a/{x}/b/{y}"},
	}
	moreLiterals := []resources.OperationSpec{
		{ID: "m.leftLiteral", Method: "GET", Path: "/m/k/{x}/{y}"},
		{ID: "m.moreLiterals", Method: "GET", Path: "/m/{w}/l/n"},
	}
	mixed := []resources.OperationSpec{
		{ID: "files.get", Method: "GET", Path: "/files/{fileId}"},
		{ID: "files.getJSON", Method: "GET", Path: "/files/{fileId}.json"},
		{ID: "items.list", Method: "GET", Path: "/items/"},
		{ID: "items.get", Method: "GET", Path: "/items/{itemId}/"},
		{ID: "items.search", Method: "GET", Path: "/items/search/"},
	}
	return []RoutingCase{
		{"the leftmost difference decides", twoParams, "GET", "/a/1/b/c", "a.first"},
		{"only the second fits", twoParams, "GET", "/a/1/z/c", "a.second"},
		{"only the first fits", twoParams, "GET", "/a/1/b/2", "a.first"},
		{"a parameter refused by the template rule", twoParams, "GET", "/a/../b/c", ""},
		{"another method", twoParams, "POST", "/a/1/b/c", ""},
		{"a leftmost literal beats more literals", moreLiterals, "GET", "/m/k/l/n", "m.leftLiteral"},
		{"literal text beside a parameter beats a lone one", mixed, "GET", "/files/f1.json", "files.getJSON"},
		{"a lone parameter", mixed, "GET", "/files/f1", "files.get"},
		{"a trailing slash", mixed, "GET", "/items/", "items.list"},
		{"no trailing slash on a template with one", mixed, "GET", "/items/it1", "items.get"},
		{"a literal beats a parameter", mixed, "GET", "/items/search/", "items.search"},
	}
}
