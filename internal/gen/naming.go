package main

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are the words Go spells in one case, as in ServerID or APIKey.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "CSV": true, "DM": true,
	"DNS": true, "EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "JWT": true, "MFA": true, "OS": true, "PDF": true, "QPS": true,
	"RAM": true, "RPC": true, "SDK": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true,
	"SSO": true, "TCP": true, "TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true,
	"URI": true, "URL": true, "UTC": true, "UUID": true, "VM": true, "VPN": true, "XML": true,
	"XSRF": true, "XSS": true,
}

// goKeywords and predeclared names are never used as identifiers the
// generator invents for local variables and parameters.
var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true,
	"defer": true, "else": true, "fallthrough": true, "for": true, "func": true, "go": true,
	"goto": true, "if": true, "import": true, "interface": true, "map": true, "package": true,
	"range": true, "return": true, "select": true, "struct": true, "switch": true, "type": true,
	"var": true,
}

var predeclared = map[string]bool{
	"any": true, "append": true, "bool": true, "byte": true, "cap": true, "clear": true,
	"close": true, "comparable": true, "complex": true, "complex128": true, "complex64": true,
	"copy": true, "delete": true, "error": true, "false": true, "float32": true, "float64": true,
	"imag": true, "int": true, "int16": true, "int32": true, "int64": true, "int8": true,
	"iota": true, "len": true, "make": true, "max": true, "min": true, "new": true, "nil": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true, "rune": true,
	"string": true, "true": true, "uint": true, "uint16": true, "uint32": true, "uint64": true,
	"uint8": true, "uintptr": true,
}

// splitWords breaks a name from a spec into words: at every character that
// is not a letter or digit, between a lower-case letter or digit and an
// upper-case letter ("guildId"), and before the last upper-case letter of an
// upper-case run followed by lower case ("APIKey").
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 && unicode.IsUpper(r) {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// capWord spells one word for an exported name: an initialism in upper case
// ("ID", "IDs"), anything else with an upper-case first letter and the rest
// in lower case.
func capWord(w string) string {
	up := strings.ToUpper(w)
	if initialisms[up] {
		return up
	}
	if len(up) > 2 && strings.HasSuffix(up, "S") && initialisms[up[:len(up)-1]] {
		return up[:len(up)-1] + "s"
	}
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + strings.ToLower(w[n:])
}

// exportedName turns a name from the spec into an exported Go identifier,
// such as "guild_id" → "GuildID" and "verify-page" → "VerifyPage". It
// returns "" when the name has no letters or digits. A name that would start
// with a digit gets an "N" in front, and one that would not start with an
// upper-case letter an "X".
func exportedName(s string) string {
	var b strings.Builder
	for _, w := range splitWords(s) {
		b.WriteString(capWord(w))
	}
	out := b.String()
	if out == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(out)
	switch {
	case unicode.IsDigit(r):
		out = "N" + out
	case !unicode.IsUpper(r):
		out = "X" + out
	}
	return out
}

// nameSuffix spells a name as exported words to append to another name,
// such as "in-progress" → "InProgress" and "1st" → "1st".
func nameSuffix(s string) string {
	var b strings.Builder
	for _, w := range splitWords(s) {
		b.WriteString(capWord(w))
	}
	return b.String()
}

// unexportedName turns a name into a lower-camel Go identifier for a
// parameter or variable, such as "serverId" → "serverID" and "ID" → "id".
// Keywords and predeclared names get "Arg" appended; the result is "" when
// the name has no letters or digits.
func unexportedName(s string) string {
	words := splitWords(s)
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(words[0]))
	for _, w := range words[1:] {
		b.WriteString(capWord(w))
	}
	out := b.String()
	if r, _ := utf8.DecodeRuneInString(out); !unicode.IsLower(r) {
		out = "v" + out
	}
	if goKeywords[out] || predeclared[out] {
		out += "Arg"
	}
	return out
}

// lowerFirst lower-cases the first letter of s, unless it starts an
// initialism or acronym ("URL of …" stays).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// kebab spells a name as lower-case words joined by hyphens ("APIKeys" →
// "api-keys"); it is how operation IDs name resources.
func kebab(s string) string {
	words := splitWords(s)
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return strings.Join(words, "-")
}

// snake spells a name as lower-case ASCII words joined by underscores, for
// file names.
func snake(s string) string {
	var words []string
	for _, w := range splitWords(s) {
		var b strings.Builder
		for _, r := range strings.ToLower(w) {
			if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				b.WriteRune(r)
			}
		}
		if b.Len() > 0 {
			words = append(words, b.String())
		}
	}
	return strings.Join(words, "_")
}

// maxIdentLen caps the length, in characters, of every identifier the
// generator hands out: a Go name a person would write stays readable, and
// deep inline schemas or long operation IDs do not produce 100-character
// types.
const maxIdentLen = 56

// capIdent shortens name to at most limit characters. It keeps the first
// word (the resource or schema the name belongs to) and the last words (what
// the thing is), dropping whole words after the first until it fits; a name
// whose first and last words alone are too long is cut. The result depends
// only on name and limit.
func capIdent(name string, limit int) string {
	if utf8.RuneCountInString(name) <= limit {
		return name
	}
	words := splitWords(name)
	if len(words) >= 2 {
		// splitWords drops nothing from an identifier, so the words
		// spell it again; drop words from the second on.
		head, tail := words[0], words[1:]
		for len(tail) > 1 && utf8.RuneCountInString(head+strings.Join(tail, "")) > limit {
			tail = tail[1:]
		}
		if out := head + strings.Join(tail, ""); utf8.RuneCountInString(out) <= limit {
			return out
		}
	}
	return string([]rune(name)[:limit])
}

// namespace hands out identifiers that are unique within one scope (a
// package, a struct's fields, a method's parameters), none longer than
// maxIdentLen.
type namespace struct {
	used map[string]bool
}

func newNamespace(reserved ...string) *namespace {
	ns := &namespace{used: map[string]bool{}}
	for _, r := range reserved {
		ns.used[r] = true
	}
	return ns
}

// claim returns name (capped at maxIdentLen), or it with the smallest
// number ≥ 2 appended that makes it unique, and marks the result as used.
// A numbered name is capped before its number, so it stays within the cap
// too.
func (ns *namespace) claim(name string) string {
	name = capIdent(name, maxIdentLen)
	if !ns.used[name] {
		ns.used[name] = true
		return name
	}
	for i := 2; ; i++ {
		num := strconv.Itoa(i)
		n := capIdent(name, maxIdentLen-len(num)) + num
		if !ns.used[n] {
			ns.used[n] = true
			return n
		}
	}
}

// taken reports whether name, capped as claim caps it, is used.
func (ns *namespace) taken(name string) bool { return ns.used[capIdent(name, maxIdentLen)] }
