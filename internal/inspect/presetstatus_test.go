package inspect

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/hashgate/hashgate/configs"
)

// TestPresetStatusesMatchThePresets: presetStatuses reads a preset's
// words as its file does. config init writes the visits it finds there
// as conversion.statuses: a symbol the preset does not count as a visit
// would be proposed as one (or the other way round) if the two drifted.
func TestPresetStatusesMatchThePresets(t *testing.T) {
	for name, words := range presetStatuses() {
		data, err := configs.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		var pre struct {
			Conversion struct {
				Statuses []string `yaml:"statuses"`
			} `yaml:"conversion"`
		}
		if err := yaml.Unmarshal(data, &pre); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		visits := map[string]bool{}
		for _, w := range pre.Conversion.Statuses {
			visits[w] = true
			if cl, ok := words[w]; ok && cl.class != StatusVisit || !ok && ClassOf(w) != StatusVisit {
				t.Errorf("%s: %q is a visit in the preset, not in presetStatuses nor hashgate's vocabulary", name, w)
			}
		}
		for w, ps := range words {
			if ps.class == StatusVisit && !visits[w] {
				t.Errorf("%s: %q is a visit in presetStatuses, not in the preset's conversion.statuses", name, w)
			}
			if len(w) > presetWordMax {
				t.Errorf("%s: %q is longer than presetWordMax: never counted", name, w)
			}
			if Known(w) {
				t.Errorf("%s: %q is a word of hashgate's own vocabulary: it would be counted twice", name, w)
			}
		}
	}
}
