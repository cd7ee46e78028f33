package run

// An output never replaces one of hashgate's own files. A review:
// `upload --dry-run --out $XDG_STATE_HOME/hashgate/ledger.db` replaced the
// ledger (what each platform accepted: every visit would be sent again)
// with the review CSV; `--report …/channels.key` replaced the key that
// keeps the channel report's released cells stable; `--out cfg.yaml`
// replaced the config in use. Only the input export was protected.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
)

// ownFile names the file of hashgate's own that path would replace — the
// config file in use (env.ConfigFile), the ledger (ledger.path or the
// default) with its -wal, -shm, -journal and .lock, or one of the files
// hashgate keeps in the state directory (stateFile: channels.key,
// channels.starts, notices, reports) — or
// is "" when it names none. A file that exists is matched by device and
// inode (a hard link, another spelling); one that does not by its cleaned
// absolute path, its directory's links resolved. cfg may be nil (a config
// that did not load): the default ledger is then protected.
func ownFile(env *Env, cfg *config.Config, path string) string {
	if path == "" || path == "-" {
		return ""
	}
	if env.ConfigFile != "" && sameOrSamePath(path, env.ConfigFile) {
		return "the config file in use (" + DisplayPath(env.ConfigFile) + ")"
	}
	var dir string
	if env.StateDir != nil {
		dir, _ = env.StateDir() // an unusable state directory fails the run elsewhere
	}
	ledgerPath := ""
	if cfg != nil && cfg.Ledger.Path != "" {
		ledgerPath = cfg.Ledger.Path
	} else if dir != "" {
		ledgerPath = filepath.Join(dir, "ledger.db")
	}
	if ledgerPath != "" {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal", ".lock"} {
			if sameOrSamePath(path, ledgerPath+suffix) {
				return "the ledger's file " + DisplayPath(ledgerPath+suffix)
			}
		}
	}
	if dir != "" && stateFile(path, dir) {
		return "a file hashgate keeps in its state directory (" + DisplayPath(dir) + ")"
	}
	return ""
}

// stateNames are the files hashgate keeps at the top of its state
// directory besides the ledger (which has its own check, wherever
// ledger.path puts it).
var stateNames = map[string]bool{
	channels.KeyFile: true, channels.StartsFile: true, noticesFile: true, "last-run.json": true,
	"ledger.db": true, "ledger.db-wal": true, "ledger.db-shm": true, "ledger.db-journal": true, "ledger.db.lock": true,
}

// stateFile: path is one of hashgate's files in the state directory dir —
// a name of stateNames at its top (the same file, or the same path), or anything in a directory under it
// (reports/; in the container image, the auth google token under
// config/). Any other name at the top is the user's: the container's
// documented `--report /var/lib/hashgate/last.json` writes there, the one
// volume it can write.
func stateFile(path, dir string) bool {
	for name := range stateNames {
		if sameOrSamePath(path, filepath.Join(dir, name)) {
			return true
		}
	}
	rel, err := filepath.Rel(canonical(dir), canonical(path))
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	return strings.ContainsRune(rel, filepath.Separator)
}

// OwnFile is ownFile for the commands that write outside a run (config
// init --out): what of hashgate's own files path would replace, or "".
func OwnFile(env *Env, cfg *config.Config, path string) string { return ownFile(env, cfg, path) }

// ownFileError refuses an output that names one of hashgate's own files:
// a usage error (exit 2), the flag to fix, before anything is read or sent.
func ownFileError(env *Env, cfg *config.Config, flag, path string) error {
	what := ownFile(env, cfg, path)
	if what == "" {
		return nil
	}
	return &UsageError{Err: &OutputError{Flag: flag, Path: path,
		Err: fmt.Errorf("names %s; refusing to overwrite it; nothing was read or sent", what)}}
}

// sameOrSamePath: a and b are the same file, or — when either does not
// exist — the same cleaned absolute path.
func sameOrSamePath(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	return canonical(a) == canonical(b)
}

// canonical is path made absolute and clean, the symbolic links of its
// longest existing ancestor resolved (the file, and the directories
// WriteFileAtomic would make, may not exist yet).
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest)
		}
		if filepath.Dir(dir) == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}
