package agent

import (
	"bytes"
	"strings"
	"testing"
)

// withheldKeysBefore is withheldKeys as it was before mayHoldKey: a
// lower-cased copy of the whole response to look for "rh_".
func withheldKeysBefore(data []byte) []byte {
	if !bytes.Contains(bytes.ToLower(data), []byte("rh_")) {
		return data
	}
	return keyLike.ReplaceAllLiteral(data, []byte(withheldKey))
}

// TestMayHoldKey: mayHoldKey finds "rh_" in every letter case, wherever
// it is, and nothing else; withheldKeys agrees with the lower-casing rule
// it replaced.
func TestMayHoldKey(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false}, {"_", false}, {"h_", false}, {"rh", false}, {"rh_", true}, {"RH_", true}, {"rH_", true}, {"Rh_", true},
		{`{"a":"x_y","b":"rh_abcdef1"}`, true}, {`{"a_b":"_rh","c":"r_h_"}`, false}, {"__rh_", true}, {"zh_", false},
		{"rj_", false}, {"sh_", false}, {"r\x08_", false}, {"\xd2h_", false}, {"r\xc8_", false},
	} {
		if got := mayHoldKey([]byte(tc.in)); got != tc.want {
			t.Errorf("mayHoldKey(%q) = %v, want %v", tc.in, got, tc.want)
		}
		if got, want := withheldKeys([]byte(tc.in)), withheldKeysBefore([]byte(tc.in)); !bytes.Equal(got, want) {
			t.Errorf("withheldKeys(%q) = %q, the lower-casing rule gives %q", tc.in, got, want)
		}
	}
}

// FuzzMayHoldKey: mayHoldKey says what the lower-casing rule said.
func FuzzMayHoldKey(f *testing.F) {
	for _, s := range []string{"", "rh_", "RH_abcdefg", `{"k":"v_w"}`, "\xd2h_"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := mayHoldKey(data), bytes.Contains(bytes.ToLower(data), []byte("rh_")); got != want {
			t.Fatalf("mayHoldKey(%q) = %v, lower-casing says %v", data, got, want)
		}
	})
}

// BenchmarkWithheldKeys: a 64 KiB page without a key, the common case,
// against the lower-casing rule it replaced; run both in one go test.
func BenchmarkWithheldKeys(b *testing.B) {
	page := []byte(`[` + strings.Repeat(`{"id":"srv_0123456789","name":"A server","memberCount":1234,"createdAt":"2026-01-02T15:04:05Z"},`, 650) + `{}]`)
	for _, bc := range []struct {
		name string
		fn   func([]byte) []byte
	}{{"before", withheldKeysBefore}, {"after", withheldKeys}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				bc.fn(page)
			}
		})
	}
}
