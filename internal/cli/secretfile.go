package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/outfile"
)

// secretEnvVar is the environment variable that carries the event-id key.
const secretEnvVar = envPrefix + "SECRET"

// checkSecretFile applies checkSecretSource to the config file the
// command loaded.
func (r *rootOptions) checkSecretFile(f *Factory, cfg *config.Config) error {
	path, _ := configPath(f, r.ConfigPath, r.configChanged)
	if err := checkSecretSource(f, cfg, path); err != nil {
		return err
	}
	if key := overriddenSource(f, path); key != "" {
		return &config.Error{Key: key, Problem: fmt.Sprintf("the config file %s names its own and %s names another: %s; nothing was sent",
			path, envName(key), sourcesDifferAdvice(key))}
	}
	return nil
}

// warnSecretsDiffer warns, for a dry-run, of the two secrets an upload
// refuses (secretsDiffer).
func (r *rootOptions) warnSecretsDiffer(f *Factory) {
	path, _ := configPath(f, r.ConfigPath, r.configChanged)
	if secretsDiffer(f, path) {
		f.Logger.Warn("the config file sets its own secret: and " + secretEnvVar + " is set to another: this dry-run uses the environment's, and an upload refuses the two (exit 2): " + secretsDifferAdvice)
	}
	if key := overriddenSource(f, path); key != "" {
		f.Logger.Warn("the config file names its own " + key + " and " + envName(key) + " names another: this dry-run uses the environment's, and an upload refuses the two (exit 2): " + sourcesDifferAdvice(key))
	}
}

// ownSourceKeys are the settings besides the secret that make a config's
// uploads its clinic's: where its credentials are read and which ledger
// it keeps. Every HASHGATE_<KEY> overrides its key, so a crontab-wide
// HASHGATE_DESTINATIONS_META_ACCESS_TOKEN_FILE (or _GOOGLE_CREDENTIALS_FILE,
// or HASHGATE_LEDGER_PATH) silently replaced the file a clinic's config
// names (an agency's review, session 24: one crontab, 15 configs). A
// config naming its own token file never reads HASHGATE_META_ACCESS_TOKEN
// (clients.Secret: the file wins), nor ADC its own key file.
var ownSourceKeys = []string{
	"destinations.meta.access_token_file",
	"destinations.meta.app_secret_file",
	"destinations.google.credentials_file",
	"ledger.path",
}

// overriddenSource is the first of ownSourceKeys that the config file at
// path sets itself while its environment variable names another file;
// "" when none. Two names of one file (relative, a link) are one. Only
// names are compared: nothing is read from either file.
func overriddenSource(f *Factory, path string) string {
	for _, key := range ownSourceKeys {
		env := f.Getenv(envName(key))
		own, ok := fileSetting(path, key)
		if env == "" || !ok || sameFileName(own, env) {
			continue
		}
		return key
	}
	return ""
}

// sameFileName reports whether a and b name one file: equal once
// cleaned, or, both there, the same file.
func sameFileName(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// sourcesDifferAdvice is what the refusal and the dry-run's warning say of key.
func sourcesDifferAdvice(key string) string {
	what := "every upload would go under the environment's credentials rather than this config's"
	if key == "ledger.path" {
		what = "this config's uploads would be recorded in the environment's ledger, shared with every config of that environment, rather than in its own"
	}
	return "the environment's wins, and " + what + ". Keep the setting in one place: remove it from the file, or leave " + envName(key) +
		" out of this config's job (a crontab-wide environment file sets it for every config)"
}

// checkSecretSource refuses, for runs whose event ids leave, a config
// file that holds a secret key and that group or others can read — the
// same rule as the token and key files. A secret key in the file is
// refused even while HASHGATE_SECRET is set and wins (a security review:
// cfg.Secret was then the environment's, and a 0644 file holding the key
// passed): the file's own keys decide (fileSecret). A secret from
// HASHGATE_SECRET alone is not checked here (the environment file it
// comes from is the operator's to protect).
func checkSecretSource(f *Factory, cfg *config.Config, path string) error {
	if cfg.Secret == "" {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil // no file: the secret came from a preset or a flag, never from here
	}
	fromEnv := f.Getenv(secretEnvVar) != ""
	if st.Mode().Perm()&0o077 != 0 {
		if !fromEnv {
			return &config.Error{Key: "secret", Problem: fmt.Sprintf(
				"the config file %s holds the secret in use and is readable by others (mode %04o): chmod 600 it, or move the secret to %s",
				path, st.Mode().Perm(), secretEnvVar)}
		}
		if _, ok := fileSecret(path); ok {
			return &config.Error{Key: "secret", Problem: fmt.Sprintf(
				"the config file %s holds a secret key and is readable by others (mode %04o), though %s is set and used: chmod 600 it, or remove secret: from it",
				path, st.Mode().Perm(), secretEnvVar)}
		}
	}
	if secretsDiffer(f, path) {
		return &config.Error{Key: "secret", Problem: fmt.Sprintf("the config file %s sets its own secret: and %s is set to another: %s; nothing was sent",
			path, secretEnvVar, secretsDifferAdvice)}
	}
	return nil
}

// secretsDiffer reports whether the config file at path sets a secret of
// its own and HASHGATE_SECRET holds another (an agency's review: a
// crontab-wide HASHGATE_SECRET silently overrode the secret: of a clinic's
// config, as every HASHGATE_ variable overrides its key, and made its
// event ids under the crontab's key). An upload, `config validate
// --upload` and `write` refuse the two (checkSecretSource), a dry-run
// warns: the key makes every event id, and which of two claims on it is
// this config's only a person knows — the ledger's fingerprint catches a
// switch only after a first upload. Neither value is ever printed.
func secretsDiffer(f *Factory, path string) bool {
	env := f.Getenv(secretEnvVar)
	own, ok := fileSecret(path)
	return env != "" && ok && own != env
}

// secretsDifferAdvice is what the refusal and the dry-run's warning say.
const secretsDifferAdvice = "the environment's wins, and every event id would be made under it rather than under the config's. " +
	"Keep this config's secret in one place: remove secret: from the file, or leave " + secretEnvVar + " out of this config's job " +
	"(a crontab-wide environment file sets it for every config); keep the one this config's uploads were made under"

// fileSecret returns the non-empty top-level secret the YAML file at
// path sets itself (the loaded config cannot tell, the environment's
// value wins). The file was read and parsed by the load already; one
// that cannot be read again now holds nothing to protect.
func fileSecret(path string) (string, bool) { return fileSetting(path, "secret") }

// fileSetting returns the non-empty value the YAML file at path sets
// itself for the dotted key (the loaded config cannot tell: the
// environment's value wins); false when it sets none or cannot be read.
func fileSetting(path, key string) (string, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	var v any
	if yaml.Unmarshal(raw, &v) != nil {
		return "", false
	}
	for _, part := range strings.Split(key, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		v = m[part]
	}
	if v == nil || fmt.Sprint(v) == "" {
		return "", false
	}
	return fmt.Sprint(v), true
}

// checkConfigWritable refuses (refuse) or warns about a config file that
// group or others can write, or that sits in a folder (its own or any
// above it) they can write without the sticky bit: it chooses where
// uploads go (graph_url, endpoint: any https host) and which credential
// files are read, so whoever can write it — or rename it away and put
// another in its place — can send the hashed identifiers and the tokens
// elsewhere: the rule ssh applies to its own files (outfile.UnsafeFolder).
// A security review found such a file accepted for uploads, and a 0600
// file in a folder others could write passed after that. Dry-runs,
// `write` and `channels` send nothing: warned. The message names the
// file or folder, its mode and what chose the config, never its contents.
// A file or folder owned by neither this user nor root is refused too,
// whatever its mode (OpenSSH's safe_path: "bad ownership or modes"):
// its owner may rewrite or replace the file.
func (r *rootOptions) checkConfigWritable(f *Factory, refuse bool) error {
	path, _ := configPath(f, r.ConfigPath, r.configChanged)
	st, err := os.Stat(path)
	if err != nil {
		return nil
	}
	var problem error
	if uid, foreign := outfile.ForeignOwner(path); foreign {
		problem = fmt.Errorf("owned by user id %d, neither this user (id %d) nor root, who may rewrite it, and it chooses where uploads go and which credential files are read: chown %d %s (in a container, a bind-mounted file keeps the host's owner: chown it there)",
			uid, os.Geteuid(), os.Geteuid(), path)
	} else if st.Mode().Perm()&0o022 != 0 {
		problem = fmt.Errorf("writable by group or others (mode %04o), and it chooses where uploads go and which credential files are read: chmod go-w %s", st.Mode().Perm(), path)
	} else if dir, mode := outfile.UnsafeFolder(path); dir != "" {
		problem = folderProblem(dir, mode, "the config", r.configSource(f))
	}
	if problem == nil {
		return nil
	}
	if !refuse {
		f.Logger.Warn("config file "+path+": "+problem.Error()+" (an upload refuses it)", "path", path)
		return nil
	}
	return &configFileError{Path: path, Err: problem}
}

// folderProblem says why the folder dir lets others replace a file and
// how to fix it: its owner is another user (chown), or group or others
// can write it (chmod go-w). what names the file ("the config", "the
// refresh token"), moved how to put it elsewhere ("--config").
func folderProblem(dir string, mode fs.FileMode, what, moved string) error {
	why := "it chooses where uploads go and which credential files are read"
	if what != "the config" {
		why = "it holds " + what
	}
	if uid, foreign := outfile.ForeignOwner(dir); foreign {
		return fmt.Errorf("in the folder %s, owned by user id %d, neither this user (id %d) nor root, who can rename the file away and put another in its place, and %s: chown %d %s (in a container, a bind-mounted folder keeps the host's owner: chown it there), or move %s (%s) to a folder this user or root owns",
			dir, uid, os.Geteuid(), why, os.Geteuid(), dir, what, moved)
	}
	return fmt.Errorf("in the folder %s, which group or others can write (mode %04o) without the sticky bit, so they can replace the file, and %s: chmod go-w %s, or move %s (%s) to a folder only its owner can write",
		dir, octalMode(mode), why, dir, what, moved)
}

// configSource names what chose the config file: the flag, the
// environment variable, or the default name.
func (r *rootOptions) configSource(f *Factory) string {
	switch {
	case r.configChanged:
		return "--config"
	case f.Getenv(envPrefix+"CONFIG") != "":
		return envPrefix + "CONFIG"
	}
	return "the default " + defaultConfigPath + ": pass --config"
}

// octalMode is a mode's permission bits with the sticky bit, as chmod
// spells them (1777).
func octalMode(m fs.FileMode) uint32 {
	o := uint32(m.Perm())
	if m&fs.ModeSticky != 0 {
		o |= 0o1000
	}
	return o
}
