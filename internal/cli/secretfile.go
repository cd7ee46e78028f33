package cli

import (
	"fmt"
	"os"

	"github.com/hashgate/hashgate/internal/config"
)

// secretEnvVar is the environment variable that carries the event-id key.
const secretEnvVar = envPrefix + "SECRET"

// checkSecretFile applies checkSecretSource to the config file the
// command loaded.
func (r *rootOptions) checkSecretFile(f *Factory, cfg *config.Config) error {
	path, _ := configPath(f, r.ConfigPath, r.configChanged)
	return checkSecretSource(f, cfg, path)
}

// checkSecretSource refuses, for runs whose event ids leave, a secret
// read from a config file that group or others can read — the same rule
// as the token and key files. A secret from HASHGATE_SECRET is not checked
// here (the environment file it comes from is the operator's to protect).
func checkSecretSource(f *Factory, cfg *config.Config, path string) error {
	if cfg.Secret == "" || f.Getenv(secretEnvVar) != "" {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil // no file: the secret came from a preset or a flag, never from here
	}
	if st.Mode().Perm()&0o077 != 0 {
		return &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the config file %s holds the secret in use and is readable by others (mode %04o): chmod 600 it, or move the secret to %s",
			path, st.Mode().Perm(), secretEnvVar)}
	}
	return nil
}
