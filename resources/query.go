package resources

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// encodeQuery encodes a generated params struct (usually a pointer to one)
// as a query. Each exported field with a `url:"name"` tag becomes a
// parameter:
//
//   - a nil pointer, nil slice or nil map is left out; with ",omitempty" so
//     is a zero non-pointer value (a pointer to a zero value is sent);
//   - strings, booleans, numbers and time.Time (RFC 3339) are sent as text;
//   - a slice repeats the parameter, or joins its values with commas when
//     the tag says ",comma";
//   - a map is sent in deepObject style, name[key]=value, keys sorted.
//
// A nil params encodes as nil.
func encodeQuery(params any) url.Values {
	rv := reflect.ValueOf(params)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil
	}
	q := url.Values{}
	rt := rv.Type()
	for i := range rt.NumField() {
		sf := rt.Field(i)
		tag := sf.Tag.Get("url")
		if !sf.IsExported() || tag == "" || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		optList := strings.Split(opts, ",")
		omitEmpty := slices.Contains(optList, "omitempty")
		fv := rv.Field(i)
		switch fv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		case reflect.Slice, reflect.Map:
			if fv.IsNil() {
				continue
			}
		default:
			if omitEmpty && fv.IsZero() {
				continue
			}
		}
		switch fv.Kind() {
		case reflect.Slice, reflect.Array:
			if fv.Type().Elem().Kind() == reflect.Uint8 {
				q.Add(name, queryText(fv))
				continue
			}
			vals := make([]string, fv.Len())
			for j := range vals {
				vals[j] = queryText(fv.Index(j))
			}
			if slices.Contains(optList, "comma") {
				q.Add(name, strings.Join(vals, ","))
				continue
			}
			for _, v := range vals {
				q.Add(name, v)
			}
		case reflect.Map:
			keys := make([]string, 0, fv.Len())
			byKey := map[string]reflect.Value{}
			for it := fv.MapRange(); it.Next(); {
				k := queryText(it.Key())
				keys = append(keys, k)
				byKey[k] = it.Value()
			}
			slices.Sort(keys)
			for _, k := range keys {
				q.Add(name+"["+k+"]", queryText(byKey[k]))
			}
		default:
			q.Add(name, queryText(fv))
		}
	}
	return q
}

// queryText spells one value for a query.
func queryText(v reflect.Value) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t.Format(time.RFC3339Nano)
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32:
		return strconv.FormatFloat(v.Float(), 'f', -1, 32)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return string(v.Bytes())
		}
	}
	return fmt.Sprint(v.Interface())
}
