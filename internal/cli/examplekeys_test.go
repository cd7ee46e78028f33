package cli

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/hashgate/hashgate/internal/config"
)

// TestExampleConfigListsEveryKey: configs/example.yaml is "every key with
// its meaning" (README, Configuration; config init's header and the
// missing-config error point to it), so every key the config reads is in
// it — set, or named in a comment of its section ("# dataset_id: …",
// "api_version (v25.0)") where a value would not suit the example. It
// lacked six, the ledger section whole (a review of the CLI against its
// docs).
func TestExampleConfigListsEveryKey(t *testing.T) {
	b, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, k := range configKeys(reflect.TypeOf(config.Config{}), "") {
		var at any = doc
		parts := strings.Split(k.name, ".")
		for _, part := range parts {
			m, ok := at.(map[string]any)
			if !ok {
				break // a list or a value: its keys are its items'
			}
			if at, ok = m[part]; !ok {
				leaf := parts[len(parts)-1]
				if !strings.Contains(text, "# "+leaf+":") && !strings.Contains(text, " "+leaf+" (") && !strings.Contains(text, "# "+leaf+" (") {
					t.Errorf("configs/example.yaml lacks %s", k.name)
				}
				break
			}
		}
	}
}
