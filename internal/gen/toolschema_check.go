package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// checkToolSchema checks the keywords of a tool's input schema the way a
// strict JSON Schema 2020-12 validator compiles them, so that go generate
// fails, naming the keyword and where it is, instead of agent.New at run
// time. The generator lives in the root module, which does not depend on
// the agent module's validator (jsonschema-go), so the check is structural;
// the spec swap then compiles every tool with the toolkit itself.
func checkToolSchema(schema []byte) error {
	var v any
	if err := json.Unmarshal(schema, &v); err != nil {
		return err
	}
	return checkSchemaValue(v, "#")
}

var jsonSchemaTypes = []string{"null", "boolean", "object", "array", "number", "string", "integer"}

func checkSchemaValue(v any, at string) error {
	switch s := v.(type) {
	case bool:
		return nil
	case map[string]any:
		for k, val := range s {
			where := at + "/" + k
			switch k {
			case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
				if _, ok := val.(float64); !ok {
					return fmt.Errorf("keyword %s at %s is not a number", k, where)
				}
			case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
				if n, ok := val.(float64); !ok || n < 0 || n != float64(int64(n)) {
					return fmt.Errorf("keyword %s at %s is not a non-negative integer", k, where)
				}
			case "pattern":
				p, ok := val.(string)
				if !ok {
					return fmt.Errorf("keyword pattern at %s is not a string", where)
				}
				if _, err := regexp.Compile(p); err != nil {
					return fmt.Errorf("keyword pattern at %s: %v", where, err)
				}
			case "type":
				var types []any
				switch t := val.(type) {
				case string:
					types = []any{t}
				case []any:
					types = t
				}
				if len(types) == 0 {
					return fmt.Errorf("keyword type at %s is neither a type name nor a list of them", where)
				}
				for _, t := range types {
					if n, _ := t.(string); !slices.Contains(jsonSchemaTypes, n) {
						return fmt.Errorf("keyword type at %s names %v, not a JSON Schema type", where, t)
					}
				}
			case "required":
				list, ok := val.([]any)
				if !ok {
					return fmt.Errorf("keyword required at %s is not an array", where)
				}
				for _, e := range list {
					if _, ok := e.(string); !ok {
						return fmt.Errorf("keyword required at %s holds a non-string", where)
					}
				}
			case "uniqueItems":
				if _, ok := val.(bool); !ok {
					return fmt.Errorf("keyword uniqueItems at %s is not a boolean", where)
				}
			case "enum":
				if _, ok := val.([]any); !ok {
					return fmt.Errorf("keyword enum at %s is not an array", where)
				}
			case "properties":
				props, ok := val.(map[string]any)
				if !ok {
					return fmt.Errorf("keyword properties at %s is not an object", where)
				}
				for name, p := range props {
					if err := checkSchemaValue(p, where+"/"+name); err != nil {
						return err
					}
				}
			case "items", "additionalProperties":
				if err := checkSchemaValue(val, where); err != nil {
					return err
				}
			case "allOf", "oneOf", "anyOf":
				list, ok := val.([]any)
				if !ok || len(list) == 0 {
					return fmt.Errorf("keyword %s at %s is not a non-empty array", k, where)
				}
				for i, e := range list {
					if err := checkSchemaValue(e, fmt.Sprintf("%s/%d", where, i)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	return fmt.Errorf("the schema at %s is neither an object nor a boolean", at)
}
