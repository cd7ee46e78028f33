package config

import (
	"slices"
	"strings"
	"testing"
)

// TestConsentedOnlyRefusesGrantedWordsThatSayNo: under
// channels.consented_only the channel report judges consent with the
// upload's policy, and so reads consent.granted as the upload does: a
// granted word that says no ("no", "revoked", "yes (revoked)",
// "opted-out") is refused as `config validate` refuses it. Before, the
// report's validation did not ask, and counted the patients who refused
// as consented; config validate passed nothing of the kind.
func TestConsentedOnlyRefusesGrantedWordsThatSayNo(t *testing.T) {
	for _, bad := range []string{"no", "revoked", "yes (revoked)", "opted-out", "同意(已撤回)"} {
		c := channelsOnly()
		c.Input.Columns.Consent = "consent"
		c.Channels.ConsentedOnly = true
		c.Consent.Granted = []string{"yes", bad}
		err := c.ValidateForChannels()
		if !slices.Contains(keys(err), "consent.granted") || !strings.Contains(err.Error(), "says no") {
			t.Errorf("granted %q under consented_only: %v; want consent.granted refused", bad, err)
		}
		// Without consented_only the report reads no consent at all.
		c.Channels.ConsentedOnly = false
		if err := c.ValidateForChannels(); err != nil {
			t.Errorf("granted %q without consented_only: %v", bad, err)
		}
	}
}
