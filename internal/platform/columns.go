package platform

// The input.columns keys of the export columns that belong to one
// platform: its ad click ids and its own consent column. They are spelled
// here, in the platforms' home, and nowhere else (internal/depcheck's
// TestNoPlatformColumnOutsideItsHome): export's column table, the
// pipeline, the sinks, inspect and the channel report read them from
// these constants, a Spec (ClickIDs, AttributionClickIDs, ConsentKey) or
// the registry functions below. Config's schema tags (config.go) are the
// one other place, as the YAML keys users write; TestSchemaSpellsTheRegistry
// in internal/config keeps the two in step.
const (
	// Google's click ids: web (gclid) and iOS app campaigns (gbraid,
	// wbraid), as the Ads UI, its API and Data Manager's AdIdentifiers name
	// them (developers.google.com/data-manager/api/reference/rest/v1/AdIdentifiers).
	KeyGCLID  = "gclid"
	KeyGBRAID = "gbraid"
	KeyWBRAID = "wbraid"
	// KeyFBCLID is the fbclid Meta appends to ad links' landing URLs
	// (developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc).
	KeyFBCLID = "fbclid"

	// KeyConsentGoogle and KeyConsentMeta are each platform's own consent
	// column (Spec.ConsentKey): when mapped, it replaces input.columns.consent
	// for that platform.
	KeyConsentGoogle = "consent_google"
	KeyConsentMeta   = "consent_meta"

	// KeyAdPersonalization is input.columns.ad_personalization, Google's
	// second consent signal: accepted so old configs still load, never
	// read (GoogleAdPersonalizationNote).
	KeyAdPersonalization = "ad_personalization"
)

// ClickIDKeys lists every platform's click-id column keys — the ones a
// conversion carries (Spec.ClickIDs) and the ones that only attribute a
// row to the platform's channel (Spec.AttributionClickIDs) — each once, in
// platform order.
func ClickIDKeys() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range All {
		s := p.Spec()
		for _, list := range [][]string{s.ClickIDs, s.AttributionClickIDs} {
			for _, k := range list {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// ConsentKeys lists the platforms' own consent column keys
// (Spec.ConsentKey), in platform order; a platform without one adds none.
func ConsentKeys() []string {
	var out []string
	for _, p := range All {
		if k := p.Spec().ConsentKey; k != "" {
			out = append(out, k)
		}
	}
	return out
}

// ClickIDPlatform returns the platform whose click id the column key
// names; ok is false for a key that is no platform's click id.
func ClickIDPlatform(key string) (p Platform, ok bool) {
	for _, p := range All {
		s := p.Spec()
		for _, list := range [][]string{s.ClickIDs, s.AttributionClickIDs} {
			for _, k := range list {
				if k == key {
					return p, true
				}
			}
		}
	}
	return 0, false
}
