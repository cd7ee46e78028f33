package cli

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHashPrintsAsSentOnlyWhatUploadSends: `hash --for google --field
// postal_code 106-01` printed the value as sent while the upload dropped
// it as postal_code_invalid — hash skipped the plain-text grammar upload
// applies to what travels unhashed (plaintext.Identifier). It applies it
// now, with the country from --country, else the region; both answer
// alike for the same cell.
func TestHashPrintsAsSentOnlyWhatUploadSends(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	cfg := hostileConfig(t, gURL, mURL)
	os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "  meta:\n    enabled: true", "  meta:\n    enabled: false", 1)), 0o600)
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent,gclid,gbraid,zip,country,fbclid\n")
	w := csv.NewWriter(&b)
	zips := []string{"106-01", "10617", "106"}
	for i, z := range zips {
		w.Write([]string{fmt.Sprintf("Z%03d", i), "2026-11-20 10:00", "completed", fmt.Sprintf("zqzip%d@example.com", i), "",
			fmt.Sprintf("Zqgiven%d", i), fmt.Sprintf("Zqfamily%d", i), "yes", "", "", z, "TW", ""})
	}
	w.Flush()
	export := filepath.Join(t.TempDir(), "zips.csv")
	os.WriteFile(export, []byte(b.String()), 0o600)
	env := googleEnv(t)
	up := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if up.code != ExitOK || !strings.Contains(up.stderr, "postal_code postal_code_invalid 1") || len(dm.Accepted()) != 3 {
		t.Fatalf("upload: exit %d, %d ingested\n%s", up.code, len(dm.Accepted()), up.stderr)
	}
	h := runGoogle(t, env, "", true, append([]string{"hash", "--config", cfg, "--for", "google", "--field", "postal_code"}, zips...)...)
	if h.code != ExitFailure || h.stdout != "-\t-\tpostal_code_invalid\n10617\t10617\n106\t106\n" {
		t.Fatalf("hash as the config's region (TW): exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
	for _, c := range []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"--region", "JP", "106-0032"}, "106-0032\t106-0032\n", ExitOK},
		{[]string{"--region", "TW", "--country", "JP", "106-0032"}, "106-0032\t106-0032\n", ExitOK},
		{[]string{"--region", "JP", "--country", "TW", "106-0032"}, "-\t-\tpostal_code_invalid\n", ExitFailure},
		{[]string{"10617"}, "-\t-\tpostal_code_country_unknown\n", ExitFailure}, // no region, no country
	} {
		r := runGoogle(t, map[string]string{}, "", true, append([]string{"hash", "--for", "google", "--field", "postal_code"}, c.args...)...)
		if r.code != c.code || r.stdout != c.out {
			t.Errorf("hash %v: exit %d, want %d\n%s%s", c.args, r.code, c.code, r.stdout, r.stderr)
		}
	}
}
