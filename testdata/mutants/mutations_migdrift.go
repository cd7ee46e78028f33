package main

// migdriftMutations hold the review of a clinic that changes its
// practice-management software mid-year: the rolling export's old rows,
// granted and converted, disarmed the whole-export consent-words and
// status stops, and the new system's visits were withheld with exit 0.
// The rows dated after the newest event delivered are judged on their own
// (internal/pipeline/freshpart.go).
var migdriftMutations = register([]mutation{
	{
		Name:     "migdrift/new-rows-consent-not-judged",
		Why:      "the new system's consent words (\"Y\") would be withheld with exit 0 while one old granted row stays in the rolling export",
		File:     "internal/pipeline/freshpart.go",
		Old:      "d.drifted(d.freshTallies[j], j, true, d.fresh.part()); e != nil {",
		New:      "d.drifted(d.freshTallies[j], j, true, d.fresh.part()); e != nil && false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestNewSystemConsentWordsStop",
	},
	{
		Name:     "migdrift/new-rows-status-not-judged",
		Why:      "the new system's status words (\"Checked Out\") would be withheld with exit 0 while one old converted row stays in the export",
		File:     "internal/pipeline/freshpart.go",
		Old:      "if t.rows < consentMinRows || t.matched > 0",
		New:      "if true || t.rows < consentMinRows || t.matched > 0",
		Packages: []string{"./internal/cli"},
		Run:      "TestNewSystemStatusWordsStop",
	},
	{
		Name:     "migdrift/screened-rows-undated",
		Why:      "a row its consent screened out is never dated: the new system's unknown consent words would never be counted in the new part",
		File:     "internal/pipeline/freshpart.go",
		Old:      "\tif !r.fresh.on {\n\t\treturn\n\t}\n\tat, err := k.at, k.atErr",
		New:      "\tif true {\n\t\treturn\n\t}\n\tat, err := k.at, k.atErr",
		Packages: []string{"./internal/cli"},
		Run:      "TestNewSystemConsentWordsStop",
	},
	{
		Name:     "migdrift/cutoff-the-delivered-day",
		Why:      "the part judged would begin on the newest delivered event's own day, whose old granted rows disarm the stop again",
		File:     "internal/pipeline/freshpart.go",
		Old:      "time.Date(y, m, day+1, 0, 0, 0, 0, loc)",
		New:      "time.Date(y, m, day, 0, 0, 0, 0, loc)",
		Packages: []string{"./internal/cli"},
		Run:      "TestNewSystemConsentWordsStop",
	},
	{
		Name:     "migdrift/appointments-to-come-judged",
		Why:      "a weekend's export holding only the coming week's scheduled appointments would stop an ordinary night",
		File:     "internal/pipeline/freshpart.go",
		Old:      "return f.on && at >= f.from && at <= f.to",
		New:      "return f.on && at >= f.from",
		Packages: []string{"./internal/cli"},
		Run:      "TestOrdinaryNightAfterDeliveries",
	},
	{
		Name:     "migdrift/no-shows-unknown",
		Why:      "a night of no-shows and refusals, words the config lists, would stop as a status drift",
		File:     "internal/pipeline/freshpart.go",
		Old:      "return r.fresh.on && r.otherStatuses.Has(st)",
		New:      "return false",
		Packages: []string{"./internal/cli"},
		Run:      "TestOrdinaryNightAfterDeliveries",
	},
	{
		Name:     "migdrift/status-no-minimum",
		Why:      "three new rows in an unlisted status word would stop a small night",
		File:     "internal/pipeline/freshpart.go",
		Old:      "if t.rows < consentMinRows || t.matched > 0",
		New:      "if t.rows < 1 || t.matched > 0",
		Packages: []string{"./internal/cli"},
		Run:      "TestOrdinaryNightAfterDeliveries",
	},
	{
		Name:     "migdrift/status-passed-unnamed",
		Why:      "--accept-new-ids would pass the new rows' status stop under the consent words' name: the night would not say what it passed",
		File:     "internal/pipeline/idshape.go",
		Old:      "{report.StopStatusWords, s.consent.statusErr()},",
		New:      "{report.StopConsentWords, s.consent.statusErr()},",
		Packages: []string{"./internal/cli"},
		Run:      "TestNewSystemStatusWordsStop",
	},
	{
		Name:     "migdrift/delivered-day-unknown",
		Why:      "the upload would not tell the pipeline what was delivered: the new rows are never judged apart",
		File:     "internal/run/upload.go",
		Old:      "\topt.DeliveredThrough, _ = filter.NewestDelivered()\n",
		New:      "\t_, _ = filter.NewestDelivered()\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestNewSystemStatusWordsStop|TestNewSystemConsentWordsStop",
	},
})
