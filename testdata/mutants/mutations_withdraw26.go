package main

// withdraw26Mutations hold the withdrawal memory's one record a
// withdrawal (ledger schema 15, session 26): a night that reads a
// withdrawal again writes nothing past the first other run's reading,
// unrevoke --run keeps what another run read, erase keeps the erasure's
// record alone, the upgrade keeps the first run, and find says so.
var withdraw26Mutations = register([]mutation{
	{
		Name:     "withdraw26/again-not-kept",
		Why:      "only the first run kept: unrevoke --run of a bad night forgets a genuine withdrawal the next night read again, and her later yes visit is sent once the row has left the export",
		File:     "internal/ledger/revokedonce.go",
		Old:      "const notAgain = `again_run IS NULL AND",
		New:      "const notAgain = `0 AND again_run IS NULL AND",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUnrevokeRunKeepsWhatAnotherRunRead|TestReSeenWithdrawalsAddNoRows",
	},
	{
		Name:     "withdraw26/again-every-night",
		Why:      "every night that reads the withdrawal rewrites the record with its run and time: the night-by-night record of when her visits were in the export, one night deep, and a write per withdrawn patient per upload",
		File:     "internal/ledger/revokedonce.go",
		Old:      "const notAgain = `again_run IS NULL AND",
		New:      "const notAgain = `",
		Packages: []string{"./internal/ledger"},
		Run:      "TestReSeenWithdrawalsAddNoRows",
	},
	{
		Name:     "withdraw26/unrevoke-run-no-handover",
		Why:      "unrevoke --run of the night that first read a withdrawal would forget it though a later night read it again",
		File:     "internal/ledger/revoked.go",
		Old:      "\t\t\t\tWHERE run_id = ?1 AND again_run IS NOT NULL`,",
		New:      "\t\t\t\tWHERE 0 AND run_id = ?1 AND again_run IS NOT NULL`,",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUnrevokeRunKeepsWhatAnotherRunRead",
	},
	{
		Name:     "withdraw26/erase-keeps-runs",
		Why:      "an erasure would keep the run that first read her withdrawal, and when, beside the suppression record",
		File:     "internal/ledger/erase.go",
		Old:      "ON CONFLICT (digest) DO UPDATE SET run_id = excluded.run_id,",
		New:      "ON CONFLICT (digest) DO UPDATE SET run_id = run_id,",
		Packages: []string{"./internal/ledger"},
		Run:      "TestEraseLeavesOneRecord",
	},
	{
		Name:     "withdraw26/upgrade-keeps-latest",
		Why:      "the upgrade would keep the latest night of each withdrawal, and find name it the first",
		File:     "internal/ledger/revokedonce.go",
		Old:      "coalesce(r.rowid, 0), p.at, p.run_id))",
		New:      "coalesce(r.rowid, 0) DESC, p.at DESC, p.run_id))",
		Packages: []string{"./internal/ledger"},
		Run:      "TestSchema15CollapsesTheNights",
	},
	{
		Name:     "withdraw26/reread-day-not-merged",
		Why:      "a later record withdrawing more of her appointments (every one, or from an earlier day) would not be kept: her visits between the days sent",
		File:     "internal/ledger/revokedonce.go",
		Old:      "const stricterDay = `from_day > 0 AND",
		New:      "const stricterDay = `0 AND from_day > 0 AND",
		Packages: []string{"./internal/ledger"},
		Run:      "TestRevokedRecordsMerge",
	},
	{
		Name:     "withdraw26/find-no-read-again",
		Why:      "find would not say which run keeps the withdrawal if the first is undone",
		File:     "internal/cli/ledgerfind.go",
		Old:      "\t\tfor i, r := range runs[1:] {",
		New:      "\t\tfor i, r := range runs[1:1] {",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAnswersAnAccessRequest",
	},
})
