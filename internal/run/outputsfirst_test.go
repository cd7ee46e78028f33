package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestAnUploadChecksItsOutputsBeforeReadingAnyCredential: the outputs
// (--report) were checked after preflight had read the token, key and
// secret files and the clients were built from them (a security review's
// leftover). Nothing was sent either way, but a run that is refused for
// its outputs reads no secret: credentials are read as late as they can
// be. Each bad --report stops the upload naming --report, and neither
// CheckCredentials nor NewClient is called.
func TestAnUploadChecksItsOutputsBeforeReadingAnyCredential(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.json")
	os.WriteFile(victim, []byte("{}"), 0o600)
	link := filepath.Join(dir, "report.json")
	os.Symlink(victim, link)
	for name, report := range map[string]string{"a link to a file": link, "a directory": dir} {
		t.Run(name, func(t *testing.T) {
			env, cfg, _ := uploadSetup(t)
			read := 0
			env.CheckCredentials = func(context.Context, *config.Config, platform.Platform) error {
				read++
				return errors.New("destinations.meta.access_token_file: cannot be read")
			}
			env.NewClient = func(context.Context, *config.Config, platform.Platform) (destination.Client, error) {
				read++
				return nil, errors.New("no credentials")
			}
			in := filepath.Join(t.TempDir(), "export.csv")
			os.WriteFile(in, heldExport(3, false), 0o600)
			err := Upload(context.Background(), env, UploadRequest{Input: in, Config: cfg, Report: report})
			if err == nil || !strings.Contains(err.Error(), "--report") || strings.Contains(err.Error(), "access_token_file") {
				t.Errorf("err = %v, want the --report refused, not the credentials", err)
			}
			if read != 0 {
				t.Errorf("credentials were read %d times before the outputs were checked", read)
			}
		})
	}
}
