package resources

// QueryParam is one query parameter an operation declares.
type QueryParam struct {
	// Name is the parameter's name as sent, such as "serverId".
	Name string
	// Type is the JSON type of its value: "string", "integer", "number",
	// "boolean" or "array", or "" when it is none of these.
	Type string
}

// ListShape names the parts of a list operation's request and response, as
// the spec declares them (or as the generator detected them). It is a
// pointer in OperationSpec, which keeps OperationSpec comparable.
type ListShape struct {
	// Items is the response field holding the array of items, such as
	// "data"; "" when the response body is the array itself (a bare-array
	// list, such as Discord's).
	Items string
	// Cursor is the query parameter carrying the cursor (cursor paging) or
	// the page number (page paging), such as "cursor" or "page"; "" when the
	// list is not paginated.
	Cursor string
	// Next is the response field holding the next page's cursor (cursor
	// paging) or the number of pages (page paging), written "holder.name"
	// when it is one level down, such as "meta.next_cursor"; "" when there
	// is none.
	Next string
	// ID is the items' field whose value an after or before list sends
	// back (PaginationAfter, PaginationBefore); "" means "id".
	ID string
	// Limit is the query parameter carrying the page size, such as "limit";
	// "" when there is none.
	Limit string
	// Filters are the other query parameters the operation declares, in
	// the spec's order, such as "serverId" of backups.list.
	Filters []QueryParam
}
