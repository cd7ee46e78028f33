package main

// killbump27Mutations hold the upload's start bump: the run's change
// counted and recorded before any request leaves, so that a run killed
// after an accepted request still leaves the backup from before it behind.
var killbump27Mutations = register([]mutation{
	{
		Name:     "killbump27/start-unbumped",
		Why:      "a run killed after its first accepted request would leave the ledger changed at the night before's generation: the backup from before it, put back, passes and resends what the run delivered",
		File:     "internal/ledger/runstart.go",
		Old:      "\tif err := bumpIn(ctx, tx); err != nil {\n\t\treturn \"\", l.fault(\"count the run's start\", err)\n\t}\n",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerRestoredFromBeforeAKilledNightStops",
	},
	{
		Name:     "killbump27/start-unrecorded",
		Why:      "the start's bump, unrecorded until the run's end, leaves a killed run's record at the night before's generation: the backup from before it, put back, matches it",
		File:     "internal/run/upload.go",
		Old:      "\twarnUnrecorded(env, RecordLedgerChange(ctx, env, led, lpath))\n\tenv.Logger.Debug(\"run started\"",
		New:      "\tenv.Logger.Debug(\"run started\"",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerRestoredFromBeforeAKilledNightStops",
	},
})
