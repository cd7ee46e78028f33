package main

// consentgapsMutations hold the consent gaps a session's closing note
// listed as left: a 0/1 column's refusal, rows withdrawn by another row,
// and patient keys compared otherwise than the revocations file's ids.
var consentgapsMutations = register([]mutation{
	{
		Name:     "consentgaps/zero-after-one-unknown",
		Why:      "a visit sent while its 0/1 consent cell said 1, whose cell says 0 now, would not be counted as withdrawn after sent: the privacy officer would not learn that the platforms hold a refused visit",
		File:     "internal/consent/consent.go",
		Old:      "if p.granted[yes] && !p.granted[no] {",
		New:      "if p.granted[yes] && p.granted[no] {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAPlainRefusalAfterAGrantIsAWithdrawal",
	},
	{
		Name:     "consentgaps/other-row-noted-before-apply",
		Why:      "a sent visit withdrawn tonight by another row (its patient's revocation or listing) would be noted with its own consent, and not counted as withdrawn after sent",
		File:     "internal/pipeline/settle.go",
		Old:      "\t\tif err := s.w.apply(&h.o, skips); err != nil {\n\t\t\treturn err\n\t\t}\n\t\tif err := s.left.withdrawn(&h.o, s.platforms, skips); err != nil {\n\t\t\treturn err\n\t\t}\n",
		New:      "\t\tif err := s.left.withdrawn(&h.o, s.platforms, skips); err != nil {\n\t\t\treturn err\n\t\t}\n\t\tif err := s.w.apply(&h.o, skips); err != nil {\n\t\t\treturn err\n\t\t}\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestRowsWithdrawnByAnotherRowAreCountedAfterSent",
	},
	{
		Name:     "consentgaps/consented-row-no-ids",
		Why:      "a consented row's event ids would be kept only when its own consent refuses: withdrawn by another row, the platforms' copy of it would go uncounted",
		File:     "internal/pipeline/decide.go",
		Old:      "\tr.noteGone(k, o) // another row of its order or patient may withdraw it\n",
		New:      "\tr.noteWithdrawn(k, o)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestRowsWithdrawnByAnotherRowAreCountedAfterSent",
	},
	{
		Name:     "consentgaps/patient-key-as-written",
		Why:      "a patient revoking as 00123 (or P7, or with an invisible character at the key's edge) would leave the same night's visit written 123 (p7) sent, and a listed row's patient would keep the visits whose key is written otherwise",
		File:     "internal/pipeline/withdraw.go",
		Old:      "\treturn maphash.Bytes(patientSeed, consent.Key(buf[:0], pk))\n",
		New:      "\t_ = buf\n\treturn maphash.String(patientSeed, pk)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestPatientKeysFoldWithinTheExport",
	},
})
