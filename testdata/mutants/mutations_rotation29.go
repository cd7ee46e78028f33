package main

// rotation29Mutations hold session 29's rotation gaps: a rotation under
// no remembered withdrawal is recorded (once the run goes on, not for a
// changed column); the first night acts under the previous secret; an
// erasure given her rows moves her e-mail and phone to the new secret;
// two rotations on, what erase cannot reach is said.
var rotation29Mutations = register([]mutation{
	{
		Name:     "rotation29/none-not-recorded",
		Why:      "a rotation made while no withdrawal was remembered would record the event ids' rotation alone: a patient withdrawing that night is remembered under the new secret beside the old fingerprint, and the next night's upload stops (exit 2)",
		File:     "internal/run/prevsecret.go",
		Old:      "\tp.rotate, p.from = true, was\n\treturn nil\n}",
		New:      "\treturn nil\n}",
		Packages: []string{"./internal/cli"},
		Run:      "TestARotationWithNoWithdrawalIsRecordedForErase|TestAWithdrawalOnTheRotationsNightIsTheNewSecrets",
	},
	{
		Name:     "rotation29/column-is-rotation",
		Why:      "a patient-key column renamed under the same secret would be recorded as a rotation: every later erase by exports exits 3 for events nothing rotated",
		File:     "internal/run/prevsecret.go",
		Old:      "\tif was == \"\" || !rotated {",
		New:      "\tif _ = rotated; was == \"\" {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAChangedPatientKeyColumnIsNoRotation",
	},
	// rotation29/set-before-stops (the withdrawals' fingerprint set on the
	// stopped night, before the secret's own stop) is retired: since
	// rotation29b the event ids' rotation is recorded from the event-key
	// judgement whatever that fingerprint did (recordRotation,
	// ledger.RotateEventKey), and with no withdrawal remembered nothing
	// else tells the two apart — an equivalent mutant.
	{
		Name:     "rotation29/use-without-match",
		Why:      "a rotation recorded with no previous secret given would count as one given: the upload tells the clinic it may remove a variable it never set",
		File:     "internal/run/prevsecret.go",
		Old:      "\tp.use = p.key != \"\" && p.check == p.from\n",
		New:      "\tp.use = true\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestARotationWithNoWithdrawalIsRecordedForErase",
	},
	{
		Name:     "rotation29/first-night-refused",
		Why:      "on the rotation's first night erase and unrevoke --patients would refuse the previous secret as another (exit 2), though every record is still under it",
		File:     "internal/run/firstnight.go",
		Old:      "\te.PreviousSecret, c.Secret = \"\", prev\n\treturn &e, &c, true",
		New:      "\te.PreviousSecret, c.Secret = \"\", prev\n\treturn env, cfg, false",
		Packages: []string{"./internal/cli"},
		Run:      "FirstNight",
	},
	{
		Name:     "rotation29/find-first-night-refused",
		Why:      "ledger find on the rotation's first night would refuse the ledger's event ids as another secret's, and answer the access request with nothing",
		File:     "internal/run/find.go",
		Old:      "\t\t\tcheck, v = f.prevD.EventKeyCheck(), pv\n",
		New:      "\t\t\t_ = pv\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseOnTheRotationsFirstNightActsUnderThePreviousSecret",
	},
	{
		Name:     "rotation29/moves-dropped",
		Why:      "an erasure given her rows would leave her e-mail and phone under the previous secret: once it is dropped, a new chart carrying her phone is sent",
		File:     "internal/run/erase.go",
		Old:      "led.EraseMoving(ctx, patients, events, moves)",
		New:      "led.EraseMoving(ctx, patients, events, moves[:0])",
		Packages: []string{"./internal/cli"},
		Run:      "TestErasureMovesHerPhoneToTheNewSecret",
	},
	{
		Name:     "rotation29/moved-still-marked",
		Why:      "a moved record still marked the previous secret's: status counts it as waiting for good, and unrevoke --under-previous-secret deletes her suppression",
		File:     "internal/ledger/revokedprev.go",
		Old:      "UPDATE OR IGNORE revoked_identifiers SET digest = ?2, prev_key = 0\n\t\tWHERE digest = ?1 AND prev_key != 0 AND (?3 IS NULL",
		New:      "UPDATE OR IGNORE revoked_identifiers SET digest = ?2\n\t\tWHERE digest = ?1 AND prev_key != 0 AND (?3 IS NULL",
		Packages: []string{"./internal/cli"},
		Run:      "TestErasureMovesHerPhoneToTheNewSecret",
	},
	{
		Name:     "rotation29/pairs-swapped",
		Why:      "the old and new digests swapped: nothing under the previous secret matches, her phone stays there",
		File:     "internal/run/erasemoves.go",
		Old:      "[2]uint64{ids[n+i].Digest, ids[i].Digest}",
		New:      "[2]uint64{ids[i].Digest, ids[n+i].Digest}",
		Packages: []string{"./internal/cli"},
		Run:      "TestErasureMovesHerPhoneToTheNewSecret",
	},
	{
		Name:     "rotation29/still-previous-unsaid",
		Why:      "an erasure by her key alone would not say her e-mail and phone stay under the previous secret, nor how to move them",
		File:     "internal/cli/ledgererase.go",
		Old:      "\tif e.StillPrevious > 0 {",
		New:      "\tif false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestErasureWithoutHerRowsSaysHerPhoneStaysUnderThePreviousSecret",
	},
	{
		Name:     "rotation29/older-rotation-forgotten",
		Why:      "the rotation before the last would be forgotten: after A→B→C erase exits 0 with her visits sent under A left in the ledger",
		File:     "internal/ledger/revokedprev.go",
		Old:      "\tolder, err := l.metaValue(ctx, revokedRotatedRequestMeta)\n",
		New:      "\tolder, err := \"\", error(nil)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseTwoRotationsOnSaysWhatIsOutOfReach",
	},
	{
		Name:     "rotation29/older-rotation-unsaid",
		Why:      "erase would not say that the events sent two rotations back are out of its reach",
		File:     "internal/cli/ledgererase.go",
		Old:      "\tif e.SentBeforeOlderRotation {",
		New:      "\tif false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseTwoRotationsOnSaysWhatIsOutOfReach",
	},
	{
		Name:     "rotation29/first-night-advice-lost",
		Why:      "on a second rotation's first night erase would tell the officer to set a previous secret already set, not to run with the secrets one step back before the upload",
		File:     "internal/cli/ledgererase.go",
		Old:      "\tcase e.SentBeforeRotation && e.FirstNight:",
		New:      "\tcase false:",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseOnTheSecondRotationsFirstNightSaysHowToReachTheOldest",
	},
})
