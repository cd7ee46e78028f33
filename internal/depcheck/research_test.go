package depcheck

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// copiedResearch are the steering repository's research notes that code
// comments cite, copied into docs/research so that every source a comment
// names is in this repository. normalisation.md is no longer a copy: the
// shared note states counts its vectors file never had (121 rows for 80),
// and ours, corrected, is held to the file by identifier's
// TestResearchNoteCountsTheVectors instead.
var copiedResearch = []string{"platform-apis.md", "clinic-exports.md"}

// TestResearchCopiesInStep keeps docs/research's copies identical to the
// shared notes when those sit beside the checkout (developer machines and
// CI); a clone on its own skips, and says so.
func TestResearchCopiesInStep(t *testing.T) {
	shared := filepath.Join(moduleRoot, "..", "shared", "docs")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("shared/ is not beside the checkout; nothing to compare the research copies with")
	}
	for _, name := range copiedResearch {
		ours, err := os.ReadFile(filepath.Join(moduleRoot, "docs", "research", name))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatalf("shared/docs/%s: %v", name, err)
		}
		if !bytes.Equal(ours, theirs) {
			t.Errorf("docs/research/%s differs from shared/docs/%s: copy it again and rerun", name, name)
		}
	}
}
