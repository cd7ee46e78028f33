package main

// lastrun26Mutations hold the withdrawal record's last run (ledger
// schema 17, migrateV17): undoing every run of a wrong consent mapping
// forgets what it withdrew, undoing some keeps what the others read, and
// the upgrade keeps what schema 15's seen_more flag meant.
var lastrun26Mutations = register([]mutation{
	{
		Name:     "lastrun26/undo-leaves-last",
		Why:      "unrevoke --run of the last run to read a withdrawal would leave it named: undoing every night of a wrong mapping leaves its patients withdrawn for good",
		File:     "internal/ledger/revoked.go",
		Old:      "`UPDATE revoked_patients SET last_run = NULL, last_at = NULL WHERE last_run = ?1`,",
		New:      "`UPDATE revoked_patients SET last_run = NULL, last_at = NULL WHERE 0 AND last_run = ?1`,",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUndoingEveryNightOfAWrongMappingForgetsIt",
	},
	{
		Name:     "lastrun26/again-undone-drops-last",
		Why:      "unrevoke --run of the run that read a withdrawal again would drop the last run too: the first undone next, a withdrawal later nights read is forgotten",
		File:     "internal/ledger/revoked.go",
		Old:      "SET again_run = last_run, again_at = last_at, last_run = NULL, last_at = NULL WHERE again_run = ?1`,",
		New:      "SET again_run = NULL, again_at = NULL, last_run = NULL, last_at = NULL WHERE again_run = ?1`,",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUndoingEveryNightOfAWrongMappingForgetsIt",
	},
	{
		Name:     "lastrun26/upgrade-drops-flag",
		Why:      "the upgrade to schema 17 would drop what seen_more meant: undoing the two runs kept forgets a withdrawal a third run read",
		File:     "internal/ledger/revokedlast.go",
		Old:      "WHERE seen_more != 0 AND run_id NOT IN ('`+moreRunsRun+`', '`+erasureRun+`') AND again_run IS NOT NULL",
		New:      "WHERE 0 AND seen_more != 0 AND run_id NOT IN ('`+moreRunsRun+`', '`+erasureRun+`') AND again_run IS NOT NULL",
		Packages: []string{"./internal/ledger"},
		Run:      "TestSchema17KeepsWhatTheFlagMeant",
	},
})
