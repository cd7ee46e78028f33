package config

import (
	"reflect"
	"sync"
)

// columnFields maps each single-header input.columns key (a string field
// of Columns) to its field index, read from the schema's mapstructure tags
// once.
var columnFields = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	t := reflect.TypeFor[Columns]()
	for i := range t.NumField() {
		if f := t.Field(i); f.Type.Kind() == reflect.String {
			out[f.Tag.Get("mapstructure")] = i
		}
	}
	return out
})

// ByKey returns the header mapped to input.columns.<key>, "" when it is
// unset or key names no single-header column. Code that handles the
// platforms' own columns (their click ids and consent columns, named by
// platform.Spec) reads them through it instead of naming each field.
func (c Columns) ByKey(key string) string {
	i, ok := columnFields()[key]
	if !ok {
		return ""
	}
	return reflect.ValueOf(c).Field(i).String()
}

// ColumnKeys lists the single-header input.columns keys, for code that
// asks which headers a config maps.
func ColumnKeys() []string {
	keys := make([]string, 0, len(columnFields()))
	for k := range columnFields() {
		keys = append(keys, k)
	}
	return keys
}
