package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/run"
)

// Which config a command ran with is said where a run is read about
// afterwards: on each of its fatal error lines, in its run report
// (`config`) and in the ledger's lock file. An agency runs fifteen
// clinics' configs as one user from one crontab, each `cd ~/clinics/NAME
// && hashgate upload … --config hashgate.yaml`; a cron log of lines
// "hashgate: secret: …" said which failure, never whose (a review, D3).
// A path is not personal data; nothing of an export is added.

// configUse says whether a command reads a config.
type configUse int

const (
	readsConfig    configUse = iota // the given one, or ./hashgate.yaml when it is there
	readsGivenOnly                  // only one --config or HASHGATE_CONFIG names
	readsNoConfig
)

// configUses are the commands that read no config, or only a named one,
// by their path below the root; a subcommand is its parent's unless
// listed. Every other command reads one: a new command is named in its
// errors unless it is listed here.
var configUses = map[string]configUse{
	"auth":        readsNoConfig, // reads --client and writes a token
	"completion":  readsNoConfig,
	"help":        readsNoConfig,
	"version":     readsNoConfig,
	"secret":      readsNoConfig,
	"config":      readsNoConfig, // its help
	"config init": readsNoConfig, // writes one
	// config validate reads the config it judges: its problems are that
	// config's (a docs review found them named without it).
	"config validate": readsConfig,
	"hash":            readsGivenOnly,
	"inspect":         readsGivenOnly,
}

// commandConfigUse is configUses' answer for c, or its nearest listed
// parent's.
func commandConfigUse(c *cobra.Command) configUse {
	for ; c != nil && c.HasParent(); c = c.Parent() {
		path := c.CommandPath()
		if root := c.Root().Name() + " "; len(path) > len(root) {
			path = path[len(root):]
		}
		if u, ok := configUses[path]; ok {
			return u
		}
	}
	if c == nil {
		return readsNoConfig
	}
	return readsConfig // the root itself reads none, but shows help only
}

// namedConfig is the config file a command with root's flags runs with,
// as given (--config, HASHGATE_CONFIG, or the default) and absolute; ""
// when no file is read: a default ./hashgate.yaml that is not there
// (every setting from the environment), or a command that reads none.
// "As given" is what a person typed; absolute is what tells one clinic's
// directory from another's when each cron line gave the same relative
// name.
func namedConfig(f *Factory, root *rootOptions, use configUse) (given, abs string) {
	if root == nil || use == readsNoConfig {
		return "", ""
	}
	path, explicit := configPath(f, root.ConfigPath, root.configChanged)
	if !explicit {
		if use == readsGivenOnly {
			return "", ""
		}
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return "", ""
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return path, abs
}

// configSuffix is what each fatal error line of a command ends with to
// name its config: " [config /abs/path]", or " [config /abs/path, given
// as REL]" for a relative path; "" when it reads none.
func configSuffix(f *Factory, root *rootOptions, c *cobra.Command) string {
	if c == nil {
		return ""
	}
	if root != nil {
		// Set by the root's PersistentPreRunE, which a flag error skips:
		// asked of the flags, --config counts whatever stopped the run.
		if fl := c.Flags().Lookup("config"); fl != nil {
			root.configChanged = fl.Changed
		}
	}
	given, abs := namedConfig(f, root, commandConfigUse(c))
	if abs == "" {
		return ""
	}
	s := " [config " + run.DisplayPath(abs)
	if given != abs {
		s += ", given as " + run.DisplayPath(given)
	}
	return s + "]"
}

// whereFor is where (configSuffix) for one error line: "" when the line
// names the config's absolute path already (a config file's own error,
// "config /etc/hashgate/north.yaml:12:3: …").
func whereFor(line, where string) string {
	const open, sep = " [config ", ", given as "
	abs, _, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(where, open), "]"), sep)
	if where == "" || strings.Contains(line, abs) {
		return ""
	}
	return where
}
