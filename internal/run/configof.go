package run

import (
	"fmt"
	"os"
	"slices"

	"github.com/hashgate/hashgate/internal/ledger"
)

// Whose uploads a ledger's destinations had (an agency's review, session
// 24: 15 clinics' configs in one crontab). A config copied from another
// clinic, its account ids left unchanged, sent tonight's visits to that
// clinic's Google account and Meta dataset from the first night, exit 0:
// nothing in an export says whose accounts a config names. The ledger
// records which config files uploaded to each destination
// (ledger.SetConfigOf), and an upload from another config file to a
// destination whose uploads were another's, while that config is still
// there, is warned of on every upload, dry-run and config validate
// --upload (a stop broke one clinic's configs sharing a ledger and its
// destinations, as README allows). A config moved or renamed
// leaves no file behind and takes the destination over; a second config
// on purpose (the same export, the same accounts) says so with
// ledger.shared_destinations (or passes once with --accept-new-ids, which
// passes that night's other stops too), and the ledger knows both from
// then on. Configs on
// separate ledgers are not compared: a copy that names its own
// ledger.path is not seen.

// judgeConfigOf returns, of dests (this config's destinations), those
// whose configs the ledger does not yet record self (the absolute path
// of this config) for, and the first other config still there that
// uploaded to one of them, with that destination ("" when none).
func judgeConfigOf(k ledger.EventKeys, dests []string, self string) (record []string, other, dest string) {
	for _, d := range dests {
		paths := k.Configs[d]
		if slices.Contains(paths, self) {
			continue
		}
		record = append(record, d)
		for _, p := range paths {
			if other == "" && configStillThere(p, self) {
				other, dest = p, d
			}
		}
	}
	return record, other, dest
}

// configStillThere reports whether the config file p exists and is not
// the file self (a link, another spelling of it).
func configStillThere(p, self string) bool {
	sp, err := os.Stat(p)
	if err != nil {
		return false
	}
	ss, err := os.Stat(self)
	return err != nil || !os.SameFile(sp, ss)
}

// configOfWarning says that the ledger's uploads to dest were the config
// other's, still there: a warning, not a stop, since configs of one
// clinic reading one export may share a ledger and its destinations (a
// stop broke such setups: a rerun under a second config, one config per
// platform over one dataset).
func configOfWarning(dest, other string) string {
	return fmt.Sprintf("this ledger's uploads to %s were made by another config, %s, which is still there, and never by this one: "+
		"a config copied from another clinic with its account ids unchanged sends this clinic's visits to that clinic's accounts. "+
		"Give this config its clinic's own account ids (destinations.google.operating_account and conversion_action_id, destinations.meta.dataset_id) and its own ledger.path. "+
		"If both configs are meant to upload to %s (the same clinic's export), set ledger.shared_destinations: true in this config: the ledger then knows both, and this is not said again",
		dest, DisplayPath(other), dest)
}
