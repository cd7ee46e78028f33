package export

import (
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestEveryPlatformColumnIsAnExportColumn: each platform's click ids and
// own consent column (platform's registry, read from the Specs) is a
// column of the export table, so the pipeline can find it by its key
// (ColumnByKey) instead of spelling it.
func TestEveryPlatformColumnIsAnExportColumn(t *testing.T) {
	keys := append(platform.ClickIDKeys(), platform.ConsentKeys()...)
	keys = append(keys, platform.KeyAdPersonalization)
	for _, k := range keys {
		c, ok := ColumnByKey(k)
		if !ok || c.Key() != k {
			t.Errorf("platform column %q has no export column", k)
		}
	}
}
