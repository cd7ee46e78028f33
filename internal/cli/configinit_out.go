package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/hashgate/hashgate/internal/outfile"
	"github.com/hashgate/hashgate/internal/run"
)

// checkInitOut refuses a config init --out that names one of hashgate's
// own files — the default ledger with its side files, or a file it keeps
// in the state directory — even with --force: a starting config written
// there replaced the ledger, and every visit would have been sent again
// (a security review's leftover; the run outputs' rule, run.OwnFile). The
// config a command would load is not protected: replacing it is what
// --force is for. An existing --out without --force is refused too.
func checkInitOut(o *ConfigInitOptions) error {
	if o.Out == "" {
		return nil
	}
	if what := run.OwnFile(o.f.env(nil), nil, o.Out); what != "" {
		return &UsageError{Err: fmt.Errorf("--out: %s names %s; refusing to overwrite it, even with --force", run.DisplayPath(o.Out), what)}
	}
	if _, err := os.Lstat(o.Out); err == nil && !o.Force {
		return initOutExists(o.Out)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func initOutExists(path string) error {
	return &UsageError{Err: fmt.Errorf("%s exists; pass --force to overwrite it", run.DisplayPath(path))}
}

// beforeInitCommit runs between writing the config and putting it in
// place; a test makes a file appear there, as another writer would.
var beforeInitCommit = func() {}

// writeInitOut writes the config through the output guard (package
// outfile: no link followed, mode 0600, whole or not at all). Without
// --force it is linked into place only if nothing is there (CommitNew):
// the check above is a look before the write, and a file made between
// the two was replaced.
func writeInitOut(o *ConfigInitOptions, text string) error {
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o700); err != nil {
		return err
	}
	out, err := outfile.Create(o.Out)
	if err != nil {
		return err
	}
	if _, err := out.Write([]byte(text)); err != nil {
		out.Abort()
		return err
	}
	beforeInitCommit()
	if o.Force {
		return out.Commit()
	}
	if err := out.CommitNew(); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return initOutExists(o.Out)
		}
		return err
	}
	return nil
}

// writePresetHint suggests the preset whose status words the export's
// status column holds (inspect's choosePreset: OpenEMR's symbols), as a
// comment, not a key: a preset's keys fill every key the file leaves out,
// and config init leaves out the columns it did not find — openemr.yaml
// would then map fname, lname and postal_code, and appointment_date
// beside an appointment_at, columns this export may not have (a run stops
// at a missing one) and no reviewer read. Every key of the preset that
// config init can judge (statuses, consent words, region, currency) is
// written below anyway and would win over the preset's.
func writePresetHint(w func(string, ...any), preset string) {
	w("  # The status column holds the status words of configs/presets/%s.yaml; the\n", preset)
	w("  # statuses below are read as that preset reads them. Setting the preset would also\n")
	w("  # map its column names for every key this file leaves out, which this export may\n")
	w("  # not have: uncomment it only after reading the preset.\n")
	w("  # preset: %s\n", preset)
}

// initLedgerPath is the ledger a config written at o.Out gets: an
// absolute path under the state directory, named after the config's file
// and a digest of its absolute path. Without one, every config config init
// made shared $XDG_STATE_HOME/hashgate/ledger.db, and with it the lock,
// the withdrawals and their fingerprint (an agency's review:
// 15 clinics' configs, one user, one crontab). The digest keeps two
// hashgate.yaml in two folders apart; the same file written again
// (--force) gets the ledger it had. Configs written before, without
// ledger.path, keep the default: nothing moves a ledger.
func initLedgerPath(o *ConfigInitOptions) (string, error) {
	dir, err := stateDir(o.f)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(o.Out)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, "ledgers", ledgerStem(abs)+"-"+hex.EncodeToString(sum[:4])+".db"), nil
}

// ledgerStem is the config file's name without its extension, in
// letters, digits, '-', '_' and '.', at most 48 of them ("hashgate" when
// none is left): a name a person recognises in the state directory.
func ledgerStem(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	var b strings.Builder
	n := 0
	for _, r := range base {
		if n == 48 {
			break
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' {
			r = '-'
		}
		b.WriteRune(r)
		n++
	}
	stem := strings.Trim(b.String(), "-.")
	if stem == "" {
		return "hashgate"
	}
	return stem
}

// ledgerBlock is the ledger section config init writes with --out.
func ledgerBlock(path string) string {
	return "\n# The record of what each platform accepted (SQLite): back it up, and restore it\n" +
		"# rather than start a new one (README, The nightly job). This config's own: configs\n" +
		"# without ledger.path share $XDG_STATE_HOME/hashgate/ledger.db, and with it the lock,\n" +
		"# the withdrawals and their fingerprint. Another clinic's config needs\n" +
		"# another; a config reading the same export (one per platform) may share this one.\n" +
		"ledger:\n  path: " + yamlString(path) + "\n"
}

// writeInitLedger says on stderr which ledger the config names, or, on
// standard output, that it names none: a config saved from there shares
// the default with every other config without one.
func writeInitLedger(w io.Writer, led string) {
	if led == "" {
		fmt.Fprintf(w, "  ledger.path is written only with --out: a config without one shares $XDG_STATE_HOME/hashgate/ledger.db with every other config that has none.\n")
		return
	}
	fmt.Fprintf(w, "  ledger.path: %s, this config's own (back it up; a copy of this config for another clinic needs another).\n", run.DisplayPath(led))
}
