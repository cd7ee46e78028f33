package config

import (
	"reflect"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestSchemaSpellsTheRegistry: the input.columns keys users write for the
// platforms' own columns (the mapstructure tags of Columns, the one place
// outside internal/platform they are spelled) are the registry's, and a
// platform's own consent column is bound to the key its Spec names — so
// renaming one in the registry without the schema, or the reverse, fails
// here rather than leaving a column silently unread.
func TestSchemaSpellsTheRegistry(t *testing.T) {
	typ := reflect.TypeFor[Columns]()
	field := map[string]string{} // tag → Go field
	for i := range typ.NumField() {
		field[typ.Field(i).Tag.Get("mapstructure")] = typ.Field(i).Name
	}
	keys := append(platform.ClickIDKeys(), platform.ConsentKeys()...)
	for _, k := range append(keys, platform.KeyAdPersonalization) {
		if field[k] == "" {
			t.Errorf("input.columns.%s: no field of Columns has this key", k)
			continue
		}
		var c Columns
		reflect.ValueOf(&c).Elem().FieldByName(field[k]).SetString("H " + k)
		if got := c.ByKey(k); got != "H "+k {
			t.Errorf("Columns.ByKey(%q) = %q, want the header set on its field", k, got)
		}
	}
	if got := (Columns{Email: []string{"e"}}).ByKey("email"); got != "" {
		t.Errorf("ByKey(email) = %q: a list column is no single header", got)
	}
	for _, p := range platform.All {
		key := p.Spec().ConsentKey
		if key == "" {
			continue
		}
		c := Defaults()
		reflect.ValueOf(&c.Input.Columns).Elem().FieldByName(field[key]).SetString("Their consent")
		if got := c.OwnConsentColumn(p); got != "Their consent" {
			t.Errorf("%v: input.columns.%s set, OwnConsentColumn = %q", p, key, got)
		}
		for _, q := range platform.All {
			if q != p && c.OwnConsentColumn(q) != "" {
				t.Errorf("input.columns.%s set: %v's own consent column is %q too", key, q, c.OwnConsentColumn(q))
			}
		}
	}
}
