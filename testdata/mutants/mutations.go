package main

// mutation is one deliberate bug: Old, which must occur exactly once in
// File, becomes New; the tests of Packages (optionally only those matching
// Run) must then fail.
type mutation struct {
	Name     string
	Why      string
	File     string
	Old, New string
	Packages []string
	Run      string
}

// mutations: each consent rule's comparison, each suppression rule, each
// ledger guard, and the platform windows. README's Development section
// lists them with the same reasons.
var mutations = []mutation{
	// Consent.
	{
		Name:     "consent/revocation-day",
		Why:      "a date-only visit (00:00) on the day consent was revoked would be sent",
		File:     "internal/consent/consent.go",
		Old:      "!revokedOn.IsZero() && !in.Event.Before(revokedOn)",
		New:      "!revokedOn.IsZero() && in.Event.After(revokedOn)",
		Packages: []string{"./internal/consent", "./internal/run"},
	},
	{
		Name:     "consent/granted-word",
		Why:      "any non-empty consent cell would count as yes: default-deny lost",
		File:     "internal/consent/consent.go",
		Old:      "if p.granted[v] {",
		New:      "if p.granted[v] || len(v) > 0 && !p.denied[v] {",
		Packages: []string{"./internal/consent"},
	},
	{
		Name:     "consent/after-the-visit",
		Why:      "consent recorded after the visit would cover it",
		File:     "internal/consent/consent.go",
		Old:      "case in.HasAt && in.At.After(in.Event):",
		New:      "case in.HasAt && in.At.After(in.Event.AddDate(0, 0, 1)):",
		Packages: []string{"./internal/consent"},
	},
	{
		Name:     "consent/revocation-roc-year",
		Why:      "a ROC-dated revocation (撤回 113/06/01) would be read a year late, sending a year of revoked visits",
		File:     "internal/consent/consent.go",
		Old:      "y += 1911",
		New:      "y += 1912",
		Packages: []string{"./internal/consent"},
	},
	{
		Name:     "consent/scoped",
		Why:      "consent to e-mail only (同意(僅簡訊)) would pass as consent to ad measurement",
		File:     "internal/consent/consent.go",
		Old:      "if strings.Contains(v, m) {\n\t\t\treturn ReasonScoped",
		New:      "if strings.Contains(v, m) && false {\n\t\t\treturn ReasonScoped",
		Packages: []string{"./internal/consent"},
	},
	// Suppression, as drawn.
	{
		Name:     "channels/chart-draws-hidden",
		Why:      "a chart bar's height would follow a suppressed count, which anyone can measure off the page",
		File:     "internal/channelreport/html.go",
		Old:      "case v.State != channels.Shown:\n\t\t\treturn 0, markOf(v, r.MinCell)",
		New:      "case v.State != channels.Shown && v.V == 0:\n\t\t\treturn 0, markOf(v, r.MinCell)",
		Packages: []string{"./internal/channelreport"},
	},
}
