package destinationtest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The discovery-schema half of the Data Manager fake: the request is
// checked against the discovery document the client is generated from, so
// a field name, type, enum value or timestamp the API would refuse is
// refused here too, whatever hashgate believes. Violations are reported
// with the proto paths Google uses.

type schema struct {
	Type                 string            `json:"type"`
	Ref                  string            `json:"$ref"`
	Format               string            `json:"format"`
	Enum                 []string          `json:"enum"`
	Items                *schema           `json:"items"`
	Properties           map[string]schema `json:"properties"`
	AdditionalProperties *schema           `json:"additionalProperties"`
}

var (
	discoveryOnce    sync.Once
	discoverySchemas map[string]schema
)

// loadDiscovery reads datamanager-api.json from the module the client is
// built with, so the fake and the client always describe one API version.
// It is read once per test binary.
func loadDiscovery(t testing.TB) map[string]schema {
	t.Helper()
	discoveryOnce.Do(func() { discoverySchemas = readDiscovery(t) })
	if discoverySchemas == nil {
		t.Fatal("discovery document not loaded")
	}
	return discoverySchemas
}

func readDiscovery(t testing.TB) map[string]schema {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "google.golang.org/api").Output()
	if err != nil {
		t.Errorf("locate google.golang.org/api: %v", err)
		return nil
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "datamanager", "v1", "datamanager-api.json"))
	if err != nil {
		t.Error(err)
		return nil
	}
	var doc struct {
		Schemas map[string]schema `json:"schemas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Error(err)
		return nil
	}
	if _, ok := doc.Schemas["IngestEventsRequest"]; !ok {
		t.Error("discovery document has no IngestEventsRequest")
		return nil
	}
	return doc.Schemas
}

// protoPaths rewrites violations from the JSON paths the schema walk
// produces (events[0].userData.userIdentifiers[1]) to the proto paths
// Google sends (events.events[0].user_data.user_identifiers[1];
// understand-errors page examples, docs/research/contract-notes.md G2.2).
func protoPaths(vs []violation) []violation {
	for i := range vs {
		f := snake(vs[i].Field)
		if strings.HasPrefix(f, "events[") {
			f = "events." + f
		}
		vs[i].Field = f
	}
	return vs
}

func snake(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			b.WriteByte('_')
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// validate checks v against the discovery schema s: known fields only,
// JSON types, enum values, RFC 3339 timestamps.
func (d *DataManager) validate(v any, s schema, path string, vs *[]violation) {
	if s.Ref != "" {
		s = d.schemas[s.Ref]
	}
	bad := func(msg string) { *vs = append(*vs, violation{Field: path, Description: msg}) }
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("must be an object")
			return
		}
		for k, x := range m {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if ps, ok := s.Properties[k]; ok {
				d.validate(x, ps, p, vs)
			} else if s.AdditionalProperties != nil {
				d.validate(x, *s.AdditionalProperties, p, vs)
			} else {
				*vs = append(*vs, violation{Field: p, Description: fmt.Sprintf("Cannot find field %q.", k)})
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("must be an array")
			return
		}
		for i, x := range a {
			d.validate(x, *s.Items, fmt.Sprintf("%s[%d]", path, i), vs)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("must be a string")
			return
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			bad(fmt.Sprintf("invalid enum value %q", str))
		}
		switch s.Format {
		case "google-datetime":
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				bad("must be an RFC 3339 timestamp")
			}
		case "int64":
			if strings.Trim(str, "-0123456789") != "" {
				bad("must be an integer string")
			}
		}
	case "number", "integer":
		if _, ok := v.(json.Number); !ok {
			bad("must be a number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("must be a boolean")
		}
	}
}
