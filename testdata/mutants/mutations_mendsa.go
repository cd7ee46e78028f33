package main

// mendsaMutations hold a review's four defects of the age, bookings,
// two-digit birth years and channel report rules: a minor sent the day
// before the eighteenth birthday; bookings sent before the moved-times
// verdict of a night the guard stops; adults silently excluded by
// two-digit birth years; minors counted as consented in the channel
// report.
var mendsaMutations = register([]mutation{
	{
		Name:     "mendsa/birth-instant-as-written",
		Why:      "a birth date written as local midnight in UTC (2008-04-30T16:00:00Z, 1 May in Taipei) would be read a day early: the minor sent the day before the eighteenth birthday",
		File:     "internal/consent/patient.go",
		Old:      "\tif time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).After(time.Date(wy, wm, wd, 0, 0, 0, 0, time.UTC)) {\n",
		New:      "\tif false && time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).After(time.Date(wy, wm, wd, 0, 0, 0, 0, time.UTC)) {\n",
		Packages: []string{"./internal/consent", "./internal/pipeline"},
		Run:      "TestABirthDateIsNotADayEarly|TestABirthDateWrittenAsAnInstantIsTheClinicsDate",
	},
	{
		Name:     "mendsa/visit-in-utc-without-zone",
		Why:      "without a timezone, a visit at 23:00-05:00 the day before the eighteenth birthday would be read in UTC, on the birthday: the minor sent",
		File:     "internal/consent/patient.go",
		Old:      "\t\treturn event.In(p.loc).Date()\n\t}\n\treturn event.Date()\n",
		New:      "\t\treturn event.In(p.loc).Date()\n\t}\n\treturn event.UTC().Date()\n",
		Packages: []string{"./internal/consent"},
		Run:      "TestABirthDateIsNotADayEarly",
	},
	{
		Name:     "mendsa/bookings-not-held",
		Why:      "bookings would go on to the senders before the moved-times verdict: a night the guard stops would have sent a batch of them",
		File:     "internal/ledger/newids.go",
		Old:      "\tif c.Booking {\n\t\treturn f.holdBooking(c, done)\n\t}\n",
		New:      "\tif c.Booking {\n\t\treturn false, nil\n\t}\n",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestAStoppedNightSendsNoBooking",
	},
	{
		Name:     "mendsa/held-bookings-unbounded",
		Why:      "a night of a million bookings before the sample filled would hold them all in memory until the end of the export",
		File:     "internal/ledger/newids.go",
		Old:      "\tif n.bookings >= n.Sample {\n",
		New:      "\tif false && n.bookings >= n.Sample {\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAStoppedNightSendsNoBooking",
	},
	{
		Name:     "mendsa/future-birth-dates-not-counted",
		Why:      "an export of two-digit birth years (85 read as 2085) would exclude nearly every adult one by one, exit 0, the column's fit silent",
		File:     "internal/pipeline/datefit.go",
		Old:      "\tif f.future >= minDateMisfit && float64(f.future) > f.share*float64(f.dated) {\n",
		New:      "\tif false && f.future >= minDateMisfit && float64(f.future) > f.share*float64(f.dated) {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTwoDigitBirthYearsStopTheRun",
	},
	{
		Name:     "mendsa/channel-report-ignores-age",
		Why:      "channels.consented_only would count a minor's booking and an expired consent as consented, unlike upload and check",
		File:     "internal/channels/rows.go",
		Old:      "\tg.patient.Read(row, &in)\n",
		New:      "",
		Packages: []string{"./internal/channels"},
		Run:      "TestConsentedOnlyJudgesAgeAndExpiry",
	},
})
