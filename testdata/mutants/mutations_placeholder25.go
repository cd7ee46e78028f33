package main

// placeholder25Mutations hold input.not_patient_identifiers (session 25):
// the clinic's own e-mail or phone, or a placeholder it types on every
// chart, is no patient's value — never sent as one, never the identifier
// one withdrawal withdraws every other chart by.
var placeholder25Mutations = register([]mutation{
	{
		Name:     "placeholder25/withdraw-by-listed",
		Why:      "a withdrawing row carrying the clinic's listed placeholder address would again withdraw every other row carrying it (40 patients, one revokes: 0 sent)",
		File:     "internal/pipeline/samenightids.go",
		Old:      "\t\t\t\t\tr.notPatientField = append(r.notPatientField, c.field)\n\t\t\t\t\tcontinue\n",
		New:      "\t\t\t\t\tr.notPatientField = append(r.notPatientField, c.field)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestNotPatientIdentifiers",
	},
	{
		Name:     "placeholder25/unvalidated",
		Why:      "an entry of input.not_patient_identifiers that reads as no e-mail or phone (a typo, two numbers in one) would be skipped in silence, and the clinic's placeholder still withdraw every chart",
		File:     "internal/config/validate.go",
		Old:      "\tif _, err := c.NotPatient(); err != nil {\n",
		New:      "\tif _, err := c.NotPatient(); err != nil && false {\n",
		Packages: []string{"./internal/config"},
		Run:      "TestNotPatientIdentifiersValidated",
	},
	{
		Name:     "placeholder25/send-listed",
		Why:      "the clinic's listed placeholder address would be hashed and sent to Meta and Google as each patient's identifier",
		File:     "internal/pipeline/notpatient.go",
		Old:      "\t\tif shared && r.listedNotPatient(f, v) || !shared && r.notPatient.Listed(f, v, r.opt) {\n",
		New:      "\t\tif (shared && r.listedNotPatient(f, v) || !shared && r.notPatient.Listed(f, v, r.opt)) && false {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestNotPatientIdentifiersWithdrawNothing",
	},
})

// placeholder25FanOutMutations hold the fan-out alarm: one withdrawal's
// e-mail or phone withdrawing the rows of many other patient keys is said,
// and the upload exits 3.
var placeholder25FanOutMutations = register([]mutation{
	{
		Name:     "placeholder25/fanout-exit-0",
		Why:      "a night whose one withdrawal withdrew 39 other patients' rows by a placeholder would exit 0 again, cron none the wiser",
		File:     "internal/run/upload.go",
		Old:      "failuresOutcome(fanOutOutcome(uploadOutcome(sum.Uploads), sum.IdentifierFanOut), sum.FailuresFound)",
		New:      "failuresOutcome(uploadOutcome(sum.Uploads), sum.FailuresFound)",
		Packages: []string{"./internal/cli"},
		Run:      "TestAPlaceholderEmailWithdrawsNoOneListed",
	},
	{
		Name:     "placeholder25/fanout-family",
		Why:      "a mother's phone on her two children's charts would raise the alarm (and exit 3) every night a mother withdraws",
		File:     "internal/pipeline/fanout.go",
		Old:      "\tif f.others[i]++; int(f.others[i]) > max(fanOutMin, fanOutPer*int(f.withdrew[i])) {\n",
		New:      "\tif f.others[i]++; int(f.others[i]) > 1 {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestIdentifierFanOutAlarm|TestFanOutEdges|TestFanOutPerIdentifier|TestFanOutCountsKeysNotRows",
	},
	{
		Name:     "placeholder25/fanout-rows-not-keys",
		Why:      "the alarm would count rows, not distinct patient keys: one child's many visits carrying the mother's phone would raise it",
		File:     "internal/pipeline/fanout.go",
		Old:      "\tseen, err := f.pairs.Seen(pairKey(d, k), true)\n\tif err != nil || seen {\n",
		New:      "\tseen, err := f.pairs.Seen(pairKey(d, k), true)\n\t_ = seen\n\tif err != nil {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestIdentifierFanOutAlarm|TestFanOutEdges|TestFanOutPerIdentifier|TestFanOutCountsKeysNotRows",
	},
})
