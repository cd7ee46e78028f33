package main

// findmends24Mutations hold the day's docs review of `ledger find` and
// `ledger erase`, run as the binary: the documented glob of exports
// refused, an erased patient's sent visits answered "never sent" and the
// erasure named the first to remember her withdrawal, an answer under
// another secret, erase's summary, upload --help's list of stops.
var findmends24Mutations = register([]mutation{
	{
		Name:     "findmends24/find-exports-not-arguments",
		Why:      "ledger find would refuse the exports a shell glob expands to arguments (exit 2): the documented example fails",
		File:     "internal/cli/ledgerfind.go",
		Old:      "\t\t\to.Exports = append(o.Exports, args...)\n",
		New:      "\t\t\tif len(args) > 0 {\n\t\t\t\treturn &UsageError{Err: argsError(c, len(args))}\n\t\t\t}\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAfterErasure",
	},
	{
		Name:     "findmends24/erase-exports-not-arguments",
		Why:      "ledger erase would drop the exports given as arguments: her events stay in the ledger",
		File:     "internal/cli/ledgererase.go",
		Old:      "\t\t\to.Exports = append(o.Exports, args...)\n",
		New:      "\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAfterErasure",
	},
	{
		Name:     "findmends24/erasure-first",
		Why:      "ledger find would name the erasure the first to remember a withdrawal the uploads remembered the night she withdrew",
		File:     "internal/ledger/find.go",
		Old:      "\treturn placeErasure(out), nil\n",
		New:      "\treturn out, nil\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestErasureToldAtItsTimeAmongRecordedRuns",
	},
	{
		Name:     "findmends24/erased-rows-never-sent",
		Why:      "ledger find would answer an erased patient's visits, which both platforms accepted, \"never sent\"",
		File:     "internal/cli/ledgerfind.go",
		Old:      "\t\tcase !r.Recorded && !f.Erased.IsZero():\n",
		New:      "\t\tcase !r.Recorded && false:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAfterErasure",
	},
	{
		Name:     "findmends24/erasure-unsaid",
		Why:      "ledger find would not say the patient was erased, nor that what was sent before is no longer in the ledger",
		File:     "internal/run/find.go",
		Old:      "\t\tf.Erased = f.Withdrawals[i].At\n",
		New:      "\t\t_ = i\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAfterErasure",
	},
	{
		Name:     "findmends24/find-answers-under-another-secret",
		Why:      "ledger find under another secret would answer the patient's sent visits \"not in the ledger\", exit 0",
		File:     "internal/run/find.go",
		Old:      "\tif len(v.changed) > 0 {\n\t\tvar names []string\n",
		New:      "\tif len(v.changed) > 99 {\n\t\tvar names []string\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindRefusesAnotherSecret",
	},
	{
		Name:     "findmends24/erase-summary-of-listed-ids",
		Why:      "ledger erase would say its entries came from the 0 ids listed when the exports gave them",
		File:     "internal/cli/ledgererase.go",
		Old:      "\t\treturn \"(from the exports' rows)\"\n",
		New:      "\t\treturn fmt.Sprintf(\"of the %d order(s) or event id(s) listed\", listed)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAfterErasure",
	},
	{
		Name:     "findmends24/help-without-rounded-stop",
		Why:      "upload --help would not name order_id_rounded among the stops --accept-new-ids passes",
		File:     "internal/cli/upload.go",
		Old:      "order_id_rounded (long order ids a spreadsheet rounded to 15 digits), ",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestUploadHelpNamesEveryStop",
	},
})
