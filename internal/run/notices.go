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

// longNotices are the notices an upload summary shows in full once, then
// as their short line: Google's customer-data-policy paragraph and Meta's
// health-data rule, each quoting a platform's terms.
var longNotices = []struct{ full, short string }{
	{platform.GoogleIdentifiersNote, platform.GoogleIdentifiersSeenNote},
	{platform.MetaHealthNote, platform.MetaHealthSeenNote},
}

// seenNotices is the summary's notices as the text summary shows them:
// Google's customer-data-policy paragraph (platform.GoogleIdentifiersNote)
// and Meta's health-data rule (platform.MetaHealthNote) in full the first
// time an upload summary shows each for these destinations (and, for
// Google, these identifiers), then as one short line saying where to read
// it again — without it every night's cron mail repeated the paragraph. A
// changed destination, identifiers or wording shows it in full again (the
// digest holds the notice and every enabled destination's key and
// identifiers). remember, nil when there is nothing to remember, records
// what was shown in full; the caller calls it once the summary is written.
// Dry-runs keep no state: they show both in full. The JSON report keeps
// the full notices.
func seenNotices(env *Env, r UploadRequest, sum *report.Summary) (notices []string, remember func()) {
	notices = sum.Notices
	if sum.DryRun || r.Config == nil || env.StateDir == nil {
		return notices, nil
	}
	var at []int
	for _, l := range longNotices {
		at = append(at, slices.Index(sum.Notices, l.full))
	}
	if slices.Max(at) < 0 {
		return notices, nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return notices, nil
	}
	var dests []string
	ledger := ledgerDestinations(r.Config)
	for _, p := range platform.All {
		if d := r.Config.Destination(p); d.Enabled {
			dests = append(dests, ledger[p].Key+" "+strings.Join(d.Identifiers, ","))
		}
	}
	path := filepath.Join(dir, noticesFile)
	b, _ := os.ReadFile(path) // none yet, or unreadable: shown in full
	seen := strings.Fields(string(b))
	notices = slices.Clone(sum.Notices) // the JSON report keeps them in full
	var fresh []string
	for n, l := range longNotices {
		i := at[n]
		if i < 0 {
			continue
		}
		// The digest of Google's notice is the one schema 1 of this file
		// held, so an upgrade does not show it in full again.
		h := sha256.Sum256([]byte(strings.Join(append([]string{l.full}, dests...), "\n")))
		key := hex.EncodeToString(h[:])
		if slices.Contains(seen, key) {
			notices[i] = l.short
			continue
		}
		fresh = append(fresh, key)
	}
	if len(fresh) == 0 {
		return notices, nil
	}
	return notices, func() {
		seen = append(seen, fresh...)
		if len(seen) > keptNotices {
			seen = seen[len(seen)-keptNotices:]
		}
		if err := WriteFileAtomic(path, []byte(strings.Join(seen, "\n")+"\n")); err != nil {
			env.Logger.Info("could not remember the notices shown; the next summary shows them in full", "error", err)
		}
	}
}
