package main

// Mutants of branch mendsb26: small findings of a review of the day's
// change (2026-12-07).
var mendsb26Mutations = register([]mutation{
	{
		Name:     "mendsb26/small-state-shown",
		Why:      "ledger find would print \"rejected: 1\" among another chart's 7 events carrying her phone: a small count of another patient's, told by state",
		File:     "internal/run/findshared.go",
		Old:      "\t\tmergeSmallStates(c[i].States, minCell)\n",
		New:      "\t\tmergeSmallStates(c[i].States, 1)\n",
		Packages: []string{"./internal/run"},
		Run:      "TestWithholdSmallMergesSmallStates",
	},
	{
		Name:     "mendsb26/record-resolved-path-only",
		Why:      "the restored-ledger record keyed by the resolved path alone: a ledger directory link re-pointed to a disk holding a restored backup has no record, and the next upload sends again what the backup lacks",
		File:     "internal/run/ledgerbehind.go",
		Old:      "\tif abs, err := filepath.Abs(lpath); err == nil && abs != keys[0] {\n",
		New:      "\tif abs, err := filepath.Abs(lpath); err == nil && abs != keys[0] && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestARestoredLedgerBehindARepointedLinkStops",
	},
	{
		Name:     "mendsb26/window-ignores-clock-verdict",
		Why:      "status would read the clock's verdict once and not give it to the window: a clock a year slow lists every run of the year, each called a fast night",
		File:     "internal/run/status.go",
		Old:      "led.RunsSince(ctx, env.Now().Add(-lookback), slow.Behind)",
		New:      "led.RunsSince(ctx, env.Now().Add(-lookback), false)",
		Packages: []string{"./internal/cli"},
		Run:      "TestAYearSlowClockIsSaidOnce",
	},
	{
		Name:     "mendsb26/undo-run-forgets-erased-identifier",
		Why:      "unrevoke --run of a run that read an erased patient's new e-mail after her erasure would forget it: her renumbered chart carrying it is sent",
		File:     "internal/ledger/revoked.go",
		Old:      "\t\t\tOR (run_id = ?1 AND patient NOT IN (SELECT digest FROM revoked_patients))`, runID); err != nil {\n",
		New:      "\t\t\tOR run_id = ?1`, runID); err != nil {\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUndoingARunKeepsAnErasedPatientsLaterIdentifier",
	},
})
