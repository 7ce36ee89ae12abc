package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// toolPath is a tool's path template, parsed once with the catalog rather
// than on every call.
type toolPath struct {
	text string                 // the template as the operation table states it
	tmpl resources.PathTemplate // text parsed; meaningful only when err is nil
	err  error                  // why text is not a template
}

// parseToolPath parses the path template text of a tool.
func parseToolPath(text string) toolPath {
	t, err := resources.ParsePathTemplate(text)
	return toolPath{text: text, tmpl: t, err: err}
}

// checkArgs refuses path arguments that would not name one item: a
// missing or blank one, or one the path template's rule refuses
// (resources.PathTemplate: "", ".", "..", their escaped forms, or a value
// that decodes to a path change such as "x/../../api-keys"), which a
// server may resolve to another path. It checks the path fill builds,
// the one the call sends.
func (tp toolPath) checkArgs(p args) error {
	if tp.err != nil {
		return fmt.Errorf("the tool's path cannot be filled: %v", tp.err)
	}
	t, tmpl := tp.tmpl, tp.text
	for _, name := range t.Params() {
		var s string
		if json.Unmarshal(p[name], &s) == nil && (strings.TrimSpace(s) == "" || s == "." || s == "..") {
			return fmt.Errorf("argument %q must name one item: it may not be empty, \".\" or \"..\"", name)
		}
		if _, ok := p[name]; !ok {
			return fmt.Errorf("argument %q is required: it names the item in the path %s", name, tmpl)
		}
	}
	var refused *resources.PathParamError
	switch err := t.Check(tp.fill(p)); {
	case err == nil:
		return nil
	case errors.As(err, &refused) && refused.Param != "":
		return fmt.Errorf("argument %q must name one item: %s", refused.Param, refused.Reason)
	default:
		return fmt.Errorf("the arguments do not fill the path %s: %v", tmpl, err)
	}
}

// fill fills a path template's parameters from the arguments exactly
// as the typed call the tool makes fills them (resources.PathTemplate.Fill,
// each value escaped), so the path a confirmer is shown is the path that
// is sent: a string as it is, a number in decimal without an exponent (the
// generated methods format theirs so), a boolean as true or false. A
// missing argument is shown as "{name}"; checkArgs refuses such a call
// before anything is confirmed or sent. A template that does not parse is
// shown as it is.
func (tp toolPath) fill(p args) string {
	if tp.err != nil {
		return tp.text
	}
	t := tp.tmpl
	values := make(map[string]string)
	for _, name := range t.Params() {
		dec := json.NewDecoder(bytes.NewReader(p[name]))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil || v == nil {
			continue
		}
		switch x := v.(type) {
		case string:
			values[name] = x
		case json.Number:
			if f, err := strconv.ParseFloat(x.String(), 64); err == nil {
				values[name] = strconv.FormatFloat(f, 'f', -1, 64)
			} else {
				values[name] = x.String()
			}
		default:
			values[name] = fmt.Sprint(x)
		}
	}
	if path, err := t.Fill(values); err == nil {
		return path
	}
	// A value is missing or refused: the same pieces, escaped the same way.
	var b strings.Builder
	for _, piece := range t.Pieces() {
		v, ok := values[piece.Param]
		switch {
		case piece.Param == "":
			b.WriteString(piece.Literal)
		case ok:
			b.WriteString(url.PathEscape(v))
		default:
			b.WriteString("{" + piece.Param + "}")
		}
	}
	return b.String()
}
