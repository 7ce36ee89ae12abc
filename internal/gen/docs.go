package main

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// commentWidth is where doc comments wrap.
const commentWidth = 76

// sanitizeComment makes text safe inside a Go line comment: no carriage
// returns, control characters or byte-order marks.
func sanitizeComment(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r', r == '\uFEFF':
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// commentLines wraps text into "// " lines. Paragraphs (split by blank
// lines) are reflowed, except those that look like lists, tables or code,
// which keep their lines.
func commentLines(text string) []string {
	text = strings.TrimSpace(sanitizeComment(text))
	if text == "" {
		return nil
	}
	var out []string
	for i, para := range strings.Split(text, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		if i > 0 && len(out) > 0 {
			out = append(out, "//")
		}
		if preformatted(para) {
			for _, l := range strings.Split(para, "\n") {
				out = append(out, strings.TrimRight("// "+l, " \t"))
			}
			continue
		}
		for _, l := range wrap(strings.Join(strings.Fields(para), " "), commentWidth) {
			out = append(out, "// "+l)
		}
	}
	return out
}

func preformatted(para string) bool {
	for _, l := range strings.Split(para, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") || strings.HasPrefix(t, "- ") ||
			strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "```") {
			return true
		}
	}
	return false
}

// wrap breaks s at spaces into lines of at most width runes where possible.
// The first line always holds the first two words: a doc comment starts with
// the name it documents and the word after it ("LongName is …"), and a name
// longer than width alone on the first line would read to go doc and linters
// as a comment that does not start with the name.
func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	n, words := 0, 0
	for _, w := range strings.Fields(s) {
		wl := len([]rune(w))
		words++
		if n > 0 && n+1+wl > width && !(len(lines) == 0 && words == 2) {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// sentence makes s end with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}

// docSentence starts a doc comment with name. A description that starts
// like a noun phrase ("A …", "The …", "When …") follows "name is"; one
// starting "Whether" follows "name reports"; any other follows
// "name is the <what>:".
func docSentence(name, desc, what string) string {
	desc = strings.TrimSpace(desc)
	if desc == "" {
		return name + " is the " + what + "."
	}
	if strings.TrimRight(desc, ".!?:; ") == name {
		// A description that only repeats the name says nothing; a bare
		// "Name." would not be a sentence about it.
		return name + " is the " + what + "."
	}
	first, _, _ := strings.Cut(desc, " ")
	switch first {
	case name:
		return sentence(desc)
	case "A", "An", "The", "One", "Each", "Every", "Some", "When", "Where", "What", "Who", "How", "Which":
		return name + " is " + lowerFirst(sentence(desc))
	case "Whether":
		return name + " reports " + lowerFirst(sentence(desc))
	}
	return name + " is the " + what + ": " + sentence(desc)
}

// humanInterval says "minute" for 1m, "hour" for 1h, "10s" otherwise.
func humanInterval(d time.Duration) string {
	switch d {
	case time.Second:
		return "second"
	case time.Minute:
		return "minute"
	case time.Hour:
		return "hour"
	case 24 * time.Hour:
		return "day"
	}
	return d.String()
}

// durationExpr spells d as Go source, such as "time.Minute" or "10 * time.Second".
func durationExpr(d time.Duration) string {
	units := []struct {
		d    time.Duration
		name string
	}{{time.Hour, "time.Hour"}, {time.Minute, "time.Minute"}, {time.Second, "time.Second"}, {time.Millisecond, "time.Millisecond"}}
	for _, u := range units {
		if d%u.d == 0 {
			if d == u.d {
				return u.name
			}
			return strconv.FormatInt(int64(d/u.d), 10) + " * " + u.name
		}
	}
	return "time.Duration(" + strconv.FormatInt(int64(d), 10) + ")"
}
