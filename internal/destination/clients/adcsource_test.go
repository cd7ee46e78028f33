package clients

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestADefaultCredentialsErrorNamesItsSource: a refused Application
// Default Credentials file was named as destinations.google.credentials_file,
// a key the config did not set ("GOOGLE_APPLICATION_CREDENTIALS:
// destinations.google.credentials_file: … is readable by others"; a
// security review's leftover): the person looked in the config for a key
// that was not there. The error names the ADC source — the variable, or
// gcloud's file — and the file, and not credentials_file.
func TestADefaultCredentialsErrorNamesItsSource(t *testing.T) {
	good := keyJSON(t, "https://oauth2.googleapis.com/token")
	plain := keyJSON(t, "http://tokens.example.net/token")
	home := t.TempDir()
	gcloud := filepath.Join(home, ".config", "gcloud", "application_default_credentials.json")
	os.MkdirAll(filepath.Dir(gcloud), 0o700)
	for _, c := range []struct {
		name, adc, want string
		gcloud          []byte
		mode            os.FileMode
	}{
		{name: "variable, readable by others", adc: writeFile(t, good, 0o644), want: ADCEnv},
		{name: "variable, plain http", adc: writeFile(t, plain, 0o600), want: ADCEnv},
		{name: "gcloud's file, readable by others", gcloud: good, mode: 0o644, want: "Application Default Credentials"},
		{name: "gcloud's file, plain http", gcloud: plain, mode: 0o600, want: "Application Default Credentials"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(ADCEnv, c.adc)
			os.Remove(gcloud)
			file := c.adc
			if c.gcloud != nil {
				os.WriteFile(gcloud, c.gcloud, c.mode)
				os.Chmod(gcloud, c.mode)
				file = gcloud
			}
			env := map[string]string{ADCEnv: c.adc, "HOME": home}
			err := Check(context.Background(), &config.Config{}, platform.Google, Deps{Getenv: func(k string) string { return env[k] }})
			if err == nil || !strings.HasPrefix(err.Error(), c.want) || !strings.Contains(err.Error(), file) || strings.Contains(err.Error(), "credentials_file") {
				t.Errorf("got %v, want it to start with %s, name %s and not credentials_file", err, c.want, file)
			}
		})
	}
}
