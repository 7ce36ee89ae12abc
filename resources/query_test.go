package resources

import (
	"net/url"
	"reflect"
	"testing"
	"time"
)

type level string

type queryFixture struct {
	Cursor   *string           `url:"cursor,omitempty"`
	Limit    *int              `url:"limit,omitempty"`
	Zero     *int              `url:"zero,omitempty"`
	Plain    int               `url:"plain"`
	Empty    string            `url:"empty,omitempty"`
	Required string            `url:"required"`
	Verbose  *bool             `url:"verbose,omitempty"`
	Ratio    *float64          `url:"ratio,omitempty"`
	Small    *float32          `url:"small,omitempty"`
	Big      *uint64           `url:"big,omitempty"`
	Since    *time.Time        `url:"since,omitempty"`
	Level    *level            `url:"level,omitempty"`
	IDs      []int64           `url:"ids,omitempty"`
	Expand   []string          `url:"expand,omitempty,comma"`
	Filter   map[string]string `url:"filter,omitempty"`
	Any      map[string]any    `url:"any,omitempty"`
	NilSlice []string          `url:"nilSlice,omitempty"`
	Untagged string
	Skipped  string `url:"-"`
	hidden   string
}

func TestEncodeQuery(t *testing.T) {
	since := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	f := &queryFixture{
		Cursor: Ptr("c 1&x"), Limit: Ptr(25), Zero: Ptr(0), Plain: 0, Verbose: Ptr(false),
		Ratio: Ptr(0.5), Small: Ptr(float32(0.1)), Big: Ptr(uint64(1 << 63)), Since: &since, Level: Ptr(level("high")),
		IDs: []int64{1, 2}, Expand: []string{"a", "b"}, Filter: map[string]string{"z": "1", "a": "2"},
		Any: map[string]any{"n": 3}, Untagged: "u", Skipped: "s", hidden: "h",
	}
	got := encodeQuery(f)
	want := url.Values{
		"cursor": {"c 1&x"}, "limit": {"25"}, "zero": {"0"}, "plain": {"0"}, "required": {""},
		"verbose": {"false"}, "ratio": {"0.5"}, "small": {"0.1"}, "big": {"9223372036854775808"},
		"since": {"2026-01-02T03:04:05.000000006Z"}, "level": {"high"}, "ids": {"1", "2"},
		"expand": {"a,b"}, "filter[a]": {"2"}, "filter[z]": {"1"}, "any[n]": {"3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("encodeQuery =\n %v\nwant\n %v", got, want)
	}
	if got.Encode() != want.Encode() {
		t.Errorf("Encode differs: %s", got.Encode())
	}
	for _, v := range []any{nil, (*queryFixture)(nil), 42, "x"} {
		if q := encodeQuery(v); q != nil {
			t.Errorf("encodeQuery(%#v) = %v, want nil", v, q)
		}
	}
	if q := encodeQuery(queryFixture{Required: "r"}); !reflect.DeepEqual(q, url.Values{"plain": {"0"}, "required": {"r"}}) {
		t.Errorf("struct value: %v", q)
	}
}
