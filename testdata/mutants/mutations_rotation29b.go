package main

// rotation29bMutations hold the review of session 29's rotation record:
// a rotation under a config without input.columns.patient_key (or on the
// night the column is added) is recorded from the event-id key's
// judgement; erase judges the previous secret of its events by the event
// id key the rotation left, whatever the column; erase moves each
// identifier pair once.
var rotation29bMutations = register([]mutation{
	{
		Name:     "rotation29b/no-column-not-recorded",
		Why:      "a rotation where no withdrawal fingerprint moves (no patient-key column, or a ledger that kept none) would not be recorded: erase with the column added says 'erased 0 event entries', exit 0, the visits sent before it left in the ledger",
		File:     "internal/run/prevsecret.go",
		Old:      "\t\tif err := led.RotateEventKey(ctx, from); err != nil {",
		New:      "\t\tif err := error(nil); err != nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestARotationWithoutAPatientKeyColumnIsRecordedForErase",
	},
	{
		Name:     "rotation29b/accepted-key-not-kept",
		Why:      "the event-id key a person accepted to leave would not reach the rotation's record: nothing to record under no patient-key column",
		File:     "internal/run/eventkey.go",
		Old:      "\t\tk.record, k.from = true, v.from()",
		New:      "\t\tk.record = true",
		Packages: []string{"./internal/cli"},
		Run:      "TestARotationWithoutAPatientKeyColumnIsRecordedForErase",
	},
	{
		Name:     "rotation29b/sent-before-needs-withdrawals",
		Why:      "which requests came before a rotation would be read only where a withdrawal fingerprint rotated: an events-only rotation says nothing may remain",
		File:     "internal/ledger/revokedprev.go",
		Old:      "\tvar q string\n\tvar arg int64\n",
		New:      "\tif u, _ := l.RevokedUnderPreviousKey(ctx); u.Since == 0 {\n\t\treturn false, nil\n\t}\n\tvar q string\n\tvar arg int64\n",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestARotationOfTheEventKeyAloneIsRecordedForErase|TestARotationWithoutAPatientKeyColumnIsRecordedForErase",
	},
	{
		Name:     "rotation29b/event-rotation-moves-fingerprint",
		Why:      "an events-only rotation would overwrite the withdrawals' fingerprint: an agency's config with a patient-key column sharing the ledger stops on it every night",
		File:     "internal/ledger/revokedprev.go",
		Old:      "\treturn l.rotate(ctx, fromEvent, func(*sql.Tx) ([][2]string, error) { return nil, nil })",
		New:      "\treturn l.rotate(ctx, fromEvent, func(*sql.Tx) ([][2]string, error) { return [][2]string{{revokedKeyMeta, fromEvent}}, nil })",
		Packages: []string{"./internal/ledger"},
		Run:      "TestARotationOfTheEventKeyAloneIsRecordedForErase",
	},
	{
		Name:     "rotation29b/previous-event-key-not-read",
		Why:      "erase would not read the event-id key the rotation left: another previous secret after a rotation under no patient-key column erases nothing of before it, exit 0",
		File:     "internal/ledger/revokedprev.go",
		Old:      "\terr := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, rotatedFromEventKeyMeta).Scan(&w.PrevEventCheck)",
		New:      "\tvar err error",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestARotationOfTheEventKeyAloneIsRecordedForErase|TestARotationWithoutAPatientKeyColumnIsRecordedForErase",
	},
	{
		Name:     "rotation29b/events-judged-by-column",
		Why:      "erase's previous secret would be judged by the withdrawals' fingerprint where the event-id key is known: the rotation's own previous secret refused once the patient-key column changed",
		File:     "internal/run/prevreach.go",
		Old:      "\tcase events != \"\" && w.PrevEventCheck == \"\" && w.PrevCheck != \"\" && check != w.PrevCheck && waiting == 0:",
		New:      "\tcase events != \"\" && w.PrevCheck != \"\" && check != w.PrevCheck && waiting == 0:",
		Packages: []string{"./internal/run"},
		Run:      "TestErasesPreviousSecretIsJudgedByTheEventKey",
	},
	{
		Name:     "rotation29b/legacy-rotation-unjudged",
		Why:      "a rotation recorded before the event-id key was kept would take any previous secret for erase: another one erases nothing of before it, exit 0",
		File:     "internal/run/prevreach.go",
		Old:      "\t\treturn false, 0, notPrevious(\" (or input.columns.patient_key changed since)\")",
		New:      "\t\treturn false, 0, nil",
		Packages: []string{"./internal/run"},
		Run:      "TestErasesPreviousSecretIsJudgedByTheEventKey",
	},
	{
		Name:     "rotation29b/same-rotation-twice",
		Why:      "a rotation judged again after a night that recorded it and stopped would be recorded twice: erase with the previous secret says the visits before it are two rotations out of reach, exit 3",
		File:     "internal/ledger/revokedprev.go",
		Old:      "err != nil || last == fromEvent {",
		New:      "err != nil || false && last == fromEvent {",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestARotationRecordedAgainIsOne|TestARotationsStoppedNightRecordsItOnce",
	},
	{
		Name:     "rotation29b/moves-per-visit",
		Why:      "a patient's identifier pair would be moved once per visit: two statements per listed patient, pair and visit",
		File:     "internal/run/erasemoves.go",
		Old:      "\t\tif f.moved[m] {",
		New:      "\t\tif false && f.moved[m] {",
		Packages: []string{"./internal/run"},
		Run:      "TestAnErasureMovesEachIdentifierOnce",
	},
})
