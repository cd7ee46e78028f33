package main

// repairfixMutations hold the mends of the repair stories played against
// the fakes: a validation never taken for a real send; a forget that
// keeps what a platform could still take.
var repairfixMutations = register([]mutation{
	{
		Name:     "ledger/test-request-recorded-as-real",
		Why:      "a validation whose answer never came back would be a real send left unanswered: kept back as unconfirmed past Meta's window, confirmable, and once confirmed never sent",
		File:     "internal/ledger/requests.go",
		Old:      "restated, sentTo, times, dest.Test).Scan(&id)",
		New:      "restated, sentTo, times, false).Scan(&id)",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnUnansweredValidationIsNeverTakenForARealSend",
	},
	{
		Name:     "ledger/confirm-takes-a-validation",
		Why:      "`ledger confirm --run` of a validation would record test events as delivered, and no upload would send them",
		File:     "internal/ledger/confirm.go",
		Old:      "if test, err := l.validationOnly(ctx, sel.RunID, sel.Destination); err != nil || test {",
		New:      "if test, err := l.validationOnly(ctx, sel.RunID, sel.Destination); err != nil || test && false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnUnansweredGoogleValidationIsNotConfirmable",
	},
	{
		Name:     "ledger/unconfirmed-holds-test-requests",
		Why:      "the real upload would keep a validation's events back as unconfirmed past Meta's window and exit 3, sending them never",
		File:     "internal/ledger/marks.go",
		Old:      "WHERE o.request IS NULL AND r.sent AND `+realRequest()+` AND (r.at < ? OR r.at > ?)",
		New:      "WHERE o.request IS NULL AND r.sent AND (r.at < ? OR r.at > ?)",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAnUnansweredTestRequestIsNeverUnconfirmed",
	},
	{
		Name:     "ledger/migration-leaves-reported-validations-real",
		Why:      "a validation recorded before schema 13 whose report said so would stay a real unanswered send after the upgrade",
		File:     "internal/ledger/testrequests.go",
		Old:      "\t\tif r.Validation {\n",
		New:      "\t\tif r.Validation && false {\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestMigrationToV13",
	},
	{
		Name:     "report/validation-promises-a-resend",
		Why:      "a validation's unanswered events would be promised a resend the platform deduplicates: nothing of a validation is resent as one",
		File:     "internal/report/report.go",
		Old:      "case unanswered > 0 && u.TestMode != \"\":",
		New:      "case unanswered > 0 && u.TestMode == \"-\":",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnUnansweredValidationIsNeverTakenForARealSend",
	},
	{
		Name:     "ledger/forget-inside-the-window",
		Why:      "`ledger forget --before` two days ago would forget what Meta accepted, and the next upload would send it again: counted twice past Meta's 7-day deduplication",
		File:     "internal/ledger/forgetwindow.go",
		Old:      "if w.Window == 0 || !before.After(w.Latest) {",
		New:      "if w.Window >= 0 || !before.After(w.Latest) {",
		Packages: []string{"./internal/cli"},
		Run:      "TestForgetKeepsWhatAPlatformCouldStillTake",
	},
	{
		Name:     "ledger/forget-window-of-the-config-alone",
		Why:      "a ledger shared with a Google config, forgotten under a Meta config, would be cut inside Google's 90 days",
		File:     "internal/ledger/forgetwindow.go",
		Old:      "\t\tps = append(ps, p)\n",
		New:      "\t\t_ = p\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestForgetWindowIsTheLongestOfTheDestinations",
	},
	{
		Name:     "ledger/sendable-counts-what-stays-accepted",
		Why:      "forget --allow-resend would count as sent again events a later acceptance still covers",
		File:     "internal/ledger/forgetwindow.go",
		Old:      "delete(set, key64(r.ids[i:], s))",
		New:      "_ = key64(r.ids[i:], s)",
		Packages: []string{"./internal/ledger"},
		Run:      "TestForgetWindowIsTheLongestOfTheDestinations",
	},
})
