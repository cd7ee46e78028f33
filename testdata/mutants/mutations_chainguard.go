package main

// chainguardMutations hold the review of a chain of clinics: two branches
// sharing one ledger and one secret took each other's event ids, and the
// second branch's visits were skipped as already sent, exit 0.
var chainguardMutations = register([]mutation{
	{
		Name:     "chainguard/moved-times-never-stop",
		Why:      "a second branch sharing the ledger would have its visits skipped as the first's, exit 0 (5 of 5 lost), and with restate on overwrite the first's values",
		File:     "internal/ledger/movedtimes.go",
		Old:      "\t\tif !g.Warn {\n\t\t\treturn e\n\t\t}\n",
		New:      "\t\tif false {\n\t\t\treturn e\n\t\t}\n",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestKnownIDsAtOtherTimesStop|TestTwoBranchesSharingALedgerStopBeforeSending",
	},
	{
		Name:     "chainguard/noted-after-restatement",
		Why:      "a restatement dates an event as Google holds it: noted after, the other branch's visits looked unmoved and its values overwrote the first's at Google, exit 0",
		File:     "internal/ledger/upload.go",
		Old:      "\tif accepted {\n\t\tf.noteTime(c) // the time tonight's export gives it, before a restatement redates it\n\t}\n\tif again, err := f.restateCheck(c, done); err != nil {\n\t\treturn err\n\t} else if again {\n",
		New:      "\tif again, err := f.restateCheck(c, done); err != nil {\n\t\treturn err\n\t} else if accepted && !again {\n\t\tf.noteTime(c)\n\t} else if again {\n\t\tf.noteTime(c)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestTwoBranchesSharingALedgerStopBeforeSending",
	},
	{
		Name:     "chainguard/bookings-compared",
		Why:      "bookings whose booked_at was emptied date by their visit: compared, such a night would stop (exit 2) though nothing is wrong",
		File:     "internal/ledger/movedtimes.go",
		Old:      "g.decided || c.Booking ||",
		New:      "g.decided ||",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestKnownIDsAtOtherTimesStop|TestMovedTimesLeaveBookingsOut",
	},
	{
		Name:     "chainguard/any-move-stops",
		Why:      "a night with a few visits rescheduled would stop (exit 2)",
		File:     "internal/ledger/movedtimes.go",
		Old:      "return moved >= min && 2*moved > compared",
		New:      "return moved >= 1",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestKnownIDsAtOtherTimesStop|TestMovedTimesLetOrdinaryNightsThrough",
	},
	{
		Name:     "chainguard/seconds-compared",
		Why:      "a restatement goes dated to the minute Google holds: compared to the second, an export with seconds would stop the night after one",
		File:     "internal/ledger/movedtimes.go",
		Old:      "if floorDiv(at, 60) != keys[j].minute {",
		New:      "if at != keys[j].minute*60 {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestKnownIDsAtOtherTimesStop",
	},
	{
		Name:     "chainguard/accepted-move-forgotten",
		Why:      "after --accept-new-ids on a corrected timezone, every night would stop until the moved visits left the export",
		File:     "internal/ledger/movedtimes.go",
		Old:      "\tif v != \"\" {\n\t\tif tg.through",
		New:      "\tif false {\n\t\tif tg.through",
		Packages: []string{"./internal/ledger"},
		Run:      "TestKnownIDsAtOtherTimesStop",
	},
	{
		Name:     "chainguard/renamed-column-said-unmatched",
		Why:      "a patient-key column renamed under the same secret was said to leave the withdrawals unmatchable: a person told to re-list every withdrawn patient, or to distrust a memory that still holds",
		File:     "internal/run/newids.go",
		Old:      `sameSecret := was != "" && was == d.EventKeyCheck()`,
		New:      `sameSecret := was != "" && false`,
		Packages: []string{"./internal/cli"},
		Run:      "TestARenamedPatientKeyColumnStillMatchesWithdrawals",
	},
	{
		Name:     "chainguard/dry-run-counts-nothing-held",
		Why:      "a second branch's dry-run on the shared ledger said nothing of its visits being skipped by an upload, as before the review",
		File:     "internal/run/movedtimes.go",
		Old:      "binary.BigEndian.Uint64(t[3:]), t[1] == 1, t[2] == 1,",
		New:      "binary.BigEndian.Uint64(t[3:]), false, t[2] == 1,",
		Packages: []string{"./internal/cli"},
		Run:      "TestTwoBranchesSharingALedgerStopBeforeSending",
	},
})
