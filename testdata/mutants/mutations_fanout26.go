package main

// fanout26Mutations hold the fan-out alarm's judgment of the identifiers
// the ledger remembers, each on its own (internal/pipeline/fanout.go):
// the digest kept in the held record, the threshold by the ledger's
// withdrawers, the export's row count whatever the order, exit 3 on a
// remembered crossing (a re-run of the withdrawal night), and the alarm
// in `write` (exit 3) and `check` (said under --quiet too).
var fanout26Mutations = register([]mutation{
	{
		Name:     "fanout26/withdrawers-counted-one",
		Why:      "an identifier two withdrawn patients carried (two parents, one phone) would count one withdrawer: the threshold max(10, 3 × them) too low, the family alarmed every night",
		File:     "internal/ledger/revokedids.go",
		Old:      "SELECT digest, -count(*) FROM revoked_identifiers",
		New:      "SELECT digest, -1 FROM revoked_identifiers",
		Packages: []string{"./internal/ledger"},
		Run:      "TestIdentifierWithdrawers",
	},
	{
		Name:     "fanout26/remembered-summed",
		Why:      "the ledger's identifiers would be counted together again: six remembered family phones (18 charts) alarmed, a placeholder hid among them",
		File:     "internal/pipeline/fanout.go",
		Old:      "return f.rememberedWithdrew(o.idRemembered, k)",
		New:      "return f.rememberedWithdrew(0, k)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutRememberedPerIdentifier",
	},
	{
		Name:     "fanout26/record-drops-digest",
		Why:      "the held record would lose the digest that withdrew the row, every remembered identifier counted as one",
		File:     "internal/pipeline/samenightids.go",
		Old:      "return binary.LittleEndian.AppendUint64(b, o.idRemembered)",
		New:      "return binary.LittleEndian.AppendUint64(b, 0)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutRememberedPerIdentifier|FuzzHeldRecord",
	},
	{
		Name:     "fanout26/remembered-floor",
		Why:      "a remembered placeholder on 10 charts, or a large family, would exit 3",
		File:     "internal/pipeline/fanout.go",
		Old:      "n > max(fanOutMin, fanOutPer*f.rememberedWithdrawers(d))",
		New:      "n > 5",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutRememberedPerIdentifier",
	},
	{
		Name:     "fanout26/remembered-withdrawers-ignored",
		Why:      "an identifier four withdrawn patients carried would be judged as one's: its withdrawal night quiet, every later night exit 3",
		File:     "internal/pipeline/fanout.go",
		Old:      "fanOutPer*f.rememberedWithdrawers(d)",
		New:      "fanOutPer",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutRememberedWithdrawers",
	},
	{
		Name:     "fanout26/rows-at-crossing",
		Why:      "rows_withdrawn would be the count at the crossing, which follows the rows' order",
		File:     "internal/pipeline/fanout.go",
		Old:      "\t\tf.sum.IdentifierFanOut.Rows = f.withdrawn\n",
		New:      "\t\t_ = f.withdrawn\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutRememberedIsRowOrderFree",
	},
	{
		Name:     "fanout26/remembered-exit-0",
		Why:      "a re-run of the withdrawal night (its placeholder remembered) would exit 0 where the first run exited 3",
		File:     "internal/report/fanout.go",
		Old:      "return f != nil && (f.Tonight || f.RememberedKeys > 0)",
		New:      "return f != nil && f.Tonight",
		Packages: []string{"./internal/run", "./internal/cli"},
		Run:      "TestFanOutOutcomeExits|TestARerunKeepsTheFanOutAlarm",
	},
	{
		Name:     "fanout26/write-exit-0",
		Why:      "write would leave the placeholder's rows out of its file with exit 0, and --quiet would print nothing of it",
		File:     "internal/run/write.go",
		Old:      "\treturn fanOutOutcome(nil, p.sum.IdentifierFanOut)\n",
		New:      "\treturn nil\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestWriteExits3OnTheFanOutAlarm",
	},
	{
		Name:     "fanout26/check-quiet-hides",
		Why:      "check --quiet would print nothing of the alarm an upload exits 3 on",
		File:     "internal/run/check.go",
		Old:      "\tif !r.JSON {\n\t\t// An alarm, not chatter",
		New:      "\tif !r.JSON && !env.Quiet {\n\t\t// An alarm, not chatter",
		Packages: []string{"./internal/cli"},
		Run:      "TestCheckSaysTheFanOutAlarm",
	},
})
