package main

// chankeysMutations hold the warning that patient keys look changed
// (internal/channels/rekeyed.go): a review joined a clinic's old and new
// software's exports, the chart numbers changed for the same people, and
// every returning patient counted new with nothing said.
var chankeysMutations = register([]mutation{
	{
		Name:     "channels/rekey-identifiers-normalised",
		Why:      "an e-mail in capitals or a phone in E.164 under the new chart would not meet the old one's: the review's migration would print 20 new patients again with no warning",
		File:     "internal/channels/rekeyed.go",
		Old:      "norm, ok := normalized(fc.f, v, r.opt)",
		New:      "norm, ok := v, v != \"\"",
		Packages: []string{"./internal/channels"},
		Run:      "TestChangedPatientKeysAreSaid",
	},
	{
		Name:     "channels/rekey-day-is-the-switch",
		Why:      "the warning would date the change to the first patient sharing a phone (a relative in March), and send the clinic to cut its report months too early",
		File:     "internal/channels/rekeyed.go",
		Old:      "if c[1] > 0 && score >= best && score > 0 {",
		New:      "if c[1] > 0 {",
		Packages: []string{"./internal/channels"},
		Run:      "TestChangedPatientKeysAreSaid|TestRekeyedFromFindsTheSwitch",
	},
	{
		Name:     "channels/rekey-count-exact-only",
		Why:      "a released run's stderr, mailed with the report, would carry how many patients counted new: a count beside released figures",
		File:     "internal/channels/rekeyed.go",
		Old:      "who := \"many patients counted new\"\n\tif t.rel == nil {",
		New:      "who := \"many patients counted new\"\n\tif true {",
		Packages: []string{"./internal/channels"},
		Run:      "TestChangedPatientKeysAreSaid",
	},
	{
		Name:     "channels/rekey-at-least-five",
		Why:      "four children opening charts with a parent's phone would warn of changed keys",
		File:     "internal/channels/rekeyed.go",
		Old:      "ok = flagged >= rekeyMin &&",
		New:      "ok = flagged >= rekeyMin-1 &&",
		Packages: []string{"./internal/channels"},
		Run:      "TestRekeyedFromFindsTheSwitch",
	},
	{
		Name:     "channels/rekey-share-of-window",
		Why:      "five shared phones at the end of a window of a hundred new patients would warn, though they move its figures by a twentieth",
		File:     "internal/channels/rekeyed.go",
		Old:      "float64(flagged) >= rekeyShare*float64(fresh)",
		New:      "true",
		Packages: []string{"./internal/channels"},
		Run:      "TestRekeyedFromFindsTheSwitch",
	},
	{
		Name:     "channelreport/new-patient-warnings-in-json",
		Why:      "a script reading the JSON would never learn that new_patients counts returning patients after a software switch",
		File:     "internal/channelreport/data.go",
		Old:      "writeObject(&b, i, \"kind\", w.Kind, \"from\", w.From.Format(\"2006-01-02\"))",
		New:      "_, _ = i, w",
		Packages: []string{"./internal/channelreport"},
		Run:      "TestJSONNamesNewPatientWarnings",
	},
})
