package main

// flakeMutations hold session 23's flake of
// TestALedgerDeletedMidRunStopsTheRun: a ledger's error that stops a run
// went through Scrub, made for a platform's text, and lost its path to
// "…" — a cron user read "ledger … was deleted" and not which ledger.
var flakeMutations = register([]mutation{
	{
		Name:     "flake/ledger-stop-scrubbed",
		Why:      "a ledger's stop would go through Scrub again: its path (32 path characters, or 8 digits) printed as \"…\", its text cut at 300 bytes",
		File:     "internal/destination/record.go",
		Old:      `return &Error{Action: platform.StopRun, Reason: "ledger", Message: err.Error(), Err: err}`,
		New:      `return &Error{Action: platform.StopRun, Reason: "ledger", Err: err}`,
		Packages: []string{"./internal/destination", "./internal/cli"},
		Run:      "TestALedgersStopKeepsItsWords|TestALedgerDeletedMidRunStopsTheRun",
	},
})
