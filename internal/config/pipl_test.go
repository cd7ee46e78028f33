package config

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestPIPLGateOnlyForTheMainland: an upload-ready config refuses to send
// when it is a mainland clinic's (region CN, or no region and a mainland
// zone) until consent.pipl_separate_consents is true, naming the key and
// the four articles; Hong Kong, Macau and Taiwan configs are untouched,
// and so is a mainland config with every destination disabled. Before:
// region CN changed phone parsing, zone, currency and language only.
func TestPIPLGateOnlyForTheMainland(t *testing.T) {
	for _, c := range []struct {
		region, zone string
		gated        bool
	}{
		{"CN", "Asia/Shanghai", true},
		{"cn", "Asia/Urumqi", true},
		{"CN", "", true},
		{"", "Asia/Urumqi", true},
		{"", "Asia/Shanghai", true},
		{"HK", "Asia/Hong_Kong", false},
		{"MO", "Asia/Macau", false},
		{"HK", "Asia/Shanghai", false}, // the region decides when set
		{"TW", "Asia/Taipei", false},
		{"", "Asia/Hong_Kong", false},
		{"US", "America/Chicago", false},
	} {
		cfg := valid()
		cfg.Secret, cfg.Destinations.Google.OperatingAccount, cfg.Destinations.Google.ConversionActionID, cfg.Destinations.Meta.DatasetID = "k3J9_qLx2v8RwP0aZt7mYc4NhB6sDf1GeU5oVi", "123-456-7890", "42", "7"
		cfg.Region, cfg.Timezone = c.region, c.zone
		err := cfg.ValidateUpload()
		if got := slices.Contains(keys(err), PIPLKey); got != c.gated {
			t.Errorf("region %q zone %q: refused %v, want %v (%v)", c.region, c.zone, got, c.gated, err)
			continue
		}
		if got := strings.Contains(strings.Join(cfg.Notices(), "\n"), PIPLKey); got != c.gated {
			t.Errorf("region %q zone %q: warned %v, want %v", c.region, c.zone, got, c.gated)
		}
		if !c.gated {
			continue
		}
		for _, art := range []string{"Art. 29", "Art. 23", "Art. 39", "Art. 38"} {
			if !strings.Contains(err.Error(), art) {
				t.Errorf("region %q: the refusal does not name %s: %v", c.region, art, err)
			}
		}
		cfg.Consent.PIPLSeparateConsents = true
		if err := cfg.ValidateUpload(); err != nil {
			t.Errorf("region %q zone %q with the statement: %v", c.region, c.zone, err)
		}
		if n := strings.Join(cfg.Notices(), "\n"); strings.Contains(n, PIPLKey) {
			t.Errorf("region %q with the statement still warns: %s", c.region, n)
		}
		cfg.Consent.PIPLSeparateConsents = false
		cfg.Destinations.Google.Enabled, cfg.Destinations.Meta.Enabled = false, false
		if err := cfg.PIPLConsents(); err != nil {
			t.Errorf("region %q, nothing enabled: %v", c.region, err)
		}
	}
}

// TestPIPLKeyOutOfTheDigestWhileFalse: the run's config digest is the
// config's JSON; a config that never sets the key keeps the digest it
// had, as privacy.allow_actual_value does.
func TestPIPLKeyOutOfTheDigestWhileFalse(t *testing.T) {
	c := valid()
	b, _ := json.Marshal(c)
	if strings.Contains(string(b), "PIPL") {
		t.Errorf("the key is in the digest while false: %s", b)
	}
	c.Consent.PIPLSeparateConsents = true
	if b, _ = json.Marshal(c); !strings.Contains(string(b), "PIPLSeparateConsents") {
		t.Error("the key set true does not change the digest")
	}
}
