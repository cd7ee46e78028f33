package run

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// noticesFile, in the state directory beside last-run.json, lists the
// digests of the long notices an upload summary has shown in full, one a
// line, newest last.
const noticesFile = "notices-shown"

// keptNotices bounds noticesFile: one line per config an installation
// has uploaded under.
const keptNotices = 32

// seenNotices is the summary's notices as the text summary shows them:
// Google's customer-data-policy paragraph (platform.GoogleIdentifiersNote)
// in full the first time an upload summary shows it for this Google
// destination and these identifiers, then as one short line saying where
// to read it again — without it every night's cron mail repeated the
// paragraph. A changed destination, identifiers or wording shows it in
// full again (the digest holds every enabled destination's key and
// identifiers). remember, nil when there is nothing to remember, records
// it as shown; the caller calls it once the summary is written. Dry-runs
// keep no state: they show it in full. The JSON report keeps the full
// notice.
func seenNotices(env *Env, r UploadRequest, sum *report.Summary) (notices []string, remember func()) {
	i := slices.Index(sum.Notices, platform.GoogleIdentifiersNote)
	if i < 0 || sum.DryRun || r.Config == nil || env.StateDir == nil {
		return sum.Notices, nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return sum.Notices, nil
	}
	parts := []string{platform.GoogleIdentifiersNote}
	dests := ledgerDestinations(r.Config)
	for _, p := range platform.All {
		if d := r.Config.Destination(p); d.Enabled {
			parts = append(parts, dests[p].Key+" "+strings.Join(d.Identifiers, ","))
		}
	}
	h := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	key := hex.EncodeToString(h[:])
	path := filepath.Join(dir, noticesFile)
	b, _ := os.ReadFile(path) // none yet, or unreadable: shown in full
	seen := strings.Fields(string(b))
	if slices.Contains(seen, key) {
		notices = slices.Clone(sum.Notices)
		notices[i] = platform.GoogleIdentifiersSeenNote
		return notices, nil
	}
	return sum.Notices, func() {
		seen = append(seen, key)
		if len(seen) > keptNotices {
			seen = seen[len(seen)-keptNotices:]
		}
		if err := WriteFileAtomic(path, []byte(strings.Join(seen, "\n")+"\n")); err != nil {
			env.Logger.Info("could not remember the notices shown; the next summary shows them in full", "error", err)
		}
	}
}
