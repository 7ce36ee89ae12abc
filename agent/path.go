package agent

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// checkPathArgs refuses path arguments that would not name one item: an
// empty string, "." or "..", which a server may resolve to another path.
func checkPathArgs(tmpl string, p args) error {
	for rest := tmpl; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil
		}
		name := rest[i+1 : i+j]
		rest = rest[i+j+1:]
		var s string
		if json.Unmarshal(p[name], &s) == nil && (strings.TrimSpace(s) == "" || s == "." || s == "..") {
			return fmt.Errorf("argument %q must name one item: it may not be empty, \".\" or \"..\"", name)
		}
	}
}

// fillPath fills a path template's parameters from the arguments.
func fillPath(tmpl string, p args) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+1+j]
		var v any
		if err := json.Unmarshal(p[name], &v); err == nil && v != nil {
			b.WriteString(url.PathEscape(fmt.Sprint(v)))
		} else {
			b.WriteString("{" + name + "}")
		}
		tmpl = tmpl[i+j+2:]
	}
}
