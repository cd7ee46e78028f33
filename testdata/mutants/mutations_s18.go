package main

// s18Mutations hold the findings and mends of the session of 2026-12-06
// (sixth): the page's notes, and what the reviews of onboarding, the
// privacy officer's reading and the platforms' references found.
var s18Mutations = []mutation{
	{
		Name:     "channelreport/partial-note-keys",
		Why:      "the page's note on spend over part of the span would name its figures by their JSON keys, in English, on a zh-Hant page",
		File:     "internal/channelreport/html.go",
		Old:      "names[i] = w.metricNamed(k)",
		New:      "names[i] = k",
		Packages: []string{"./internal/channelreport"},
		Run:      "TestPageNotesSpendOverPartOfTheSpan",
	},
	{
		Name:     "channels/partial-clicks-unmarked",
		Why:      "clicks and the platform's claimed conversions over the covered days only would print unmarked beside a marked spend: the month's clicks read as the month's",
		File:     "internal/channels/report.go",
		Old:      "\t\tClicks, PlatformConversions, PlatformBookingClaims, ClaimedVsVisits:",
		New:      "\t\tClaimedVsVisits:",
		Packages: []string{"./internal/cli"},
		Run:      "TestSpendOverPartOfTheSpan",
	},
	{
		Name:     "diagnostics/meta-fbc-not-a-click-id",
		Why:      "Meta's identifier coverage would print click_id 0 (0%) while its events carried fbc",
		File:     "internal/diagnostics/coverage.go",
		Old:      "has[kindClickID] = cv.HasClickID() || cv.Formatted != \"\"",
		New:      "has[kindClickID] = cv.HasClickID()",
		Packages: []string{"./internal/diagnostics"},
		Run:      "TestMetaClickIDsAreFBC",
	},
	{
		Name:     "bookings/visit-excluded-booking-sent-uncounted",
		Why:      "the summary would call a no-show's row excluded without saying its booking was sent to the platforms",
		File:     "internal/pipeline/settle.go",
		Old:      "\t\t\t\t\tbookingSent = true",
		New:      "\t\t\t\t\tbookingSent = false",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestACancelledVisitStillSendsItsBooking",
	},
	{
		Name:     "privacy/chart-number-in-the-ledger",
		Why:      "a chart number written into the ledger's runs table would leave the process in ledger.db, which no canary test read before",
		File:     "internal/ledger/ledger.go",
		Old:      "id, now.Format(time.RFC3339Nano), info.ToolVersion, info.InputSHA256, info.ConfigSHA256)",
		New:      "id, now.Format(time.RFC3339Nano), info.ToolVersion+\"ZQCHART0003\", info.InputSHA256, info.ConfigSHA256)",
		Packages: []string{"./internal/cli"},
		Run:      "TestNoRawPersonalDataInTheUploadsTrail",
	},
	{
		Name:     "datefit/time-column-unnamed",
		Why:      "a form's time-spent column mapped as the appointment time would stop the run naming only the date column, which reads fine",
		File:     "internal/pipeline/datefit.go",
		Old:      "\t\tf.timeColumn = cfg.Input.Columns.AppointmentTime",
		New:      "\t\tf.timeColumn = \"\"",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnUnreadableTimeColumnIsNamed",
	},
	{
		Name:     "configinit/currency-not-asked",
		Why:      "config init's summary would not ask for the currency it left blank, and the first config validate would fail on it",
		File:     "internal/cli/configinit.go",
		Old:      "\tif regionCurrency(p.Region) == \"\" {",
		New:      "\tif false && regionCurrency(p.Region) == \"\" {",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitAsksForRegionAndCurrency",
	},
}
