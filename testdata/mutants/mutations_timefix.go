package main

// timefixMutations hold the mends of a review of time handling (branch
// timefix): an order id holding the appointment time, run without a
// timezone, made a new event id of each visit re-exported with another
// UTC offset; a layout's zone abbreviation was read in the host's zone;
// 晚上12点 was noon; the repeated hour's second visit was lost; the date
// order stop said a day above 12 could be a month.
var timefixMutations = register([]mutation{
	{
		Name:     "timefix/timed-order-id-without-zone-valid",
		Why:      "an order id holding the appointment time would run without a timezone, and a visit re-exported with another UTC offset would be sent again",
		File:     "internal/config/validate.go",
		Old:      "\tif h == \"\" || c.Timezone != \"\" {\n",
		New:      "\tif h == \"\" || c.Timezone == \"\" {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderIDTimeNeedsAZone",
	},
	{
		Name:     "timefix/timed-order-id-folds-no-header",
		Why:      "an order id naming the appointment column in other case or with spaces would escape the timezone requirement",
		File:     "internal/config/validate.go",
		Old:      "\t\t\tif t != \"\" && export.SameHeader(h, t) {\n",
		New:      "\t\t\tif t != \"\" && h == t {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderIDTimeNeedsAZone",
	},
	{
		Name:     "timefix/config-init-leaves-zone-empty",
		Why:      "config init would leave timezone empty for an order id holding the appointment time, and the config it wrote would be refused at the first validate without saying so in the questions",
		File:     "internal/cli/configinit.go",
		Old:      "\tcase p != nil && p.ZoneStated && orderIDTimed(p):\n",
		New:      "\tcase p != nil && p.ZoneStated && orderIDTimed(p) && false:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitAsksTheZoneOfATimedOrderID",
	},
	{
		Name:     "timefix/new-ids-stop-silent-on-time",
		Why:      "the safety net's stop would name only the order-id column and the secret, and the operator's next step (--accept-new-ids) would send every visit again",
		File:     "internal/run/newids.go",
		Old:      "\tif h := cfg.OrderIDTime(); h != \"\" {\n",
		New:      "\tif h := cfg.OrderIDTime(); h == \"-\" {\n",
		Packages: []string{"./internal/run"},
		Run:      "TestTheNewIDsStopNamesTheTimeOfTheOrderID",
	},
	{
		Name:     "timefix/zone-name-read-in-host-zone",
		Why:      "a time_formats layout's zone name would be read in the server's zone: 9:30 AM EST sent as 09:30Z on a UTC host",
		File:     "internal/eventtime/eventtime.go",
		Old:      "\tif p.named[i] {\n\t\treturn p.tryNamed(i, s)\n",
		New:      "\tif p.named[i] && false {\n\t\treturn p.tryNamed(i, s)\n",
		Packages: []string{"./internal/eventtime"},
		Run:      "TestAZoneAbbreviationIsTheClinicZones",
	},
	{
		Name:     "timefix/zone-name-any-period",
		Why:      "a zone name the clinic's zone does not use at that time (EST in July) would read as its other period's offset instead of invalid_time",
		File:     "internal/eventtime/eventtime.go",
		Old:      "\tif uses, _ := t.In(loc).Zone(); uses != name {\n",
		New:      "\tif uses, _ := t.In(loc).Zone(); uses == \"\" {\n",
		Packages: []string{"./internal/eventtime"},
		Run:      "TestAZoneAbbreviationIsTheClinicZones",
	},
	{
		Name:     "timefix/repeated-hour-one-id",
		Why:      "the two visits at 01:30 of the night clocks go back would share one id, the second excluded as duplicate_order and lost",
		File:     "internal/pipeline/orderkey.go",
		Old:      "\tif r.loc != nil && repeatedLater(t) {\n",
		New:      "\tif r.loc != nil && repeatedLater(t) && false {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTheRepeatedHourKeepsBothVisits",
	},
	{
		Name:     "timefix/repeated-hour-both-offset",
		Why:      "the first 01:30 of the repeated hour would take an offset too, and a visit sent under its id would be sent again",
		File:     "internal/pipeline/orderkey.go",
		Old:      "\treturn before > now && t.Sub(start) < time.Duration(before-now)*time.Second\n",
		New:      "\treturn before != now && t.Sub(start) < time.Duration(max(before-now, now-before))*time.Second\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTheRepeatedHourKeepsBothVisits",
	},
	{
		Name:     "timefix/evening-twelve-is-noon",
		Why:      "晚上 12:30 would be read as 12:30, noon, and sent twelve hours off",
		File:     "internal/eventtime/clinic.go",
		Old:      "\tif evening && w.h == 12 {\n",
		New:      "\tif evening && w.h == 24 {\n",
		Packages: []string{"./internal/eventtime"},
		Run:      "TestClinicForms",
	},
	{
		Name:     "timefix/date-order-stop-says-could-be",
		Why:      "the stop for 11/20/2026 would say the date could be month/day or day/month, and 20 is no month",
		File:     "internal/pipeline/dategate.go",
		Old:      "ReasonDateOrderNeeded: \"this is a numeric date (such as 5/8/2026 or 11/20/2026), and hashgate reads the day and month of such dates only by input.date_order, which is not set",
		New:      "ReasonDateOrderNeeded: \"this date could be month/day or day/month (such as 5/8/2026 or 11/20/2026), and hashgate reads the day and month of such dates only by input.date_order, which is not set",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTheDateOrderStopSaysNoLie",
	},
})
