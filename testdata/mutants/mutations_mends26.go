package main

// mends26Mutations hold session 26's mends of the day's landed change: a
// third run's reading of a withdrawal kept (seen_more; since lastrun26
// the last run that read it) when both kept runs are undone; a ledger restored from before a change (its
// generation) stopped.
var mends26Mutations = register([]mutation{
	{
		Name:     "mends26/third-reading-not-kept",
		Why:      "undoing both kept runs (unrevoke --run r1, then r2) would forget a withdrawal a third run read too: once her withdrawing row has left the export, her later yes rows are sent",
		File:     "internal/ledger/revoked.go",
		Old:      "again_run = last_run, again_at = last_at, last_run = NULL, last_at = NULL\n\t\t\t\tWHERE run_id = ?1",
		New:      "again_run = NULL, again_at = NULL, last_run = NULL, last_at = NULL\n\t\t\t\tWHERE run_id = ?1",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUndoingBothKeptRunsKeepsAThirdsReading",
	},
	{
		Name:     "mends26/third-reading-not-flagged",
		Why:      "a third run's reading would write nothing: undoing both kept runs forgets the withdrawal",
		File:     "internal/ledger/revokedlast.go",
		Old:      "const readLast = `again_run IS NOT NULL AND",
		New:      "const readLast = `0 AND again_run IS NOT NULL AND",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUndoingBothKeptRunsKeepsAThirdsReading",
	},
	{
		Name:     "mends26/upgrade-drops-third",
		Why:      "the upgrade from schema 14 would drop the fact that a third run read a withdrawal: undoing the two runs kept forgets it",
		File:     "internal/ledger/revokedonce.go",
		Old:      "AND n > 2\n",
		New:      "AND n > 3\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestSchema15CollapsesTheNights",
	},
	{
		Name:     "mends26/generation-not-compared",
		Why:      "a backup taken after night N, put back after the next morning's ledger erase, holds run N: no stop, the erasure lost and its zeroed event ids back",
		File:     "internal/run/ledgerbehind.go",
		Old:      "\tif has && gen >= rec.Generation {",
		New:      "\tif has {",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerRestoredFromBeforeAChangeStops",
	},
	{
		Name:     "mends26/unrevoke-not-recorded",
		Why:      "unrevoke --run would not record its change: the backup from before it, put back, passes",
		File:     "internal/cli/ledgerunrevoke.go",
		Old:      "\to.recordChange(ctx, l, lpath)\n",
		New:      "\t_ = lpath\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerRestoredFromBeforeAChangeStops",
	},
	{
		Name:     "mends26/dry-run-silent-on-restored",
		Why:      "a dry-run on a restored ledger previews the full resend without a word",
		File:     "internal/run/upload.go",
		Old:      "\tsayBehind(ctx, env, p.cfg, p.sum, p.demo)",
		New:      "\t_ = sayBehind",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerRestoredFromBeforeAChangeStops",
	},
})
