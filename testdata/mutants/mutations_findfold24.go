package main

// findfold24Mutations hold `hashgate ledger find`'s answer to an access
// request to the patient's own rows (the key as written, not the
// withdrawal memory's fold) and its report of a withdrawal remembered by
// an e-mail address or phone number.
var findfold24Mutations = register([]mutation{
	{
		Name:     "findfold24/folded-rows-listed",
		Why:      "ledger find would list rows whose key matches only when case or leading zeros are ignored (0123 for 123, AB1 for ab1): another patient's rows handed to the one who asked",
		File:     "internal/run/find.go",
		Old:      "if _, same := m.exact[r.PatientExact]; same {",
		New:      "if _, same := m.exact[r.PatientExact]; same || r.Patient != 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindListsOnlyTheKeyAsWritten",
	},
	{
		Name:     "findfold24/full-width-not-read",
		Why:      "a key typed in full-width forms (９８７６５) would not be the patient's own: their rows left out of the answer",
		File:     "internal/pipeline/findrows.go",
		Old:      "return r - 0xFF01 + '!'",
		New:      "return r - 0xFF01 + '!' + 1",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindListsOnlyTheKeyAsWritten",
	},
	{
		Name:     "findfold24/identifier-withdrawal-unsaid",
		Why:      "ledger find would answer \"withdrawal: none remembered\" for a renumbered patient kept out by their e-mail",
		File:     "internal/run/find.go",
		Old:      "if len(runs) > 0 {",
		New:      "if len(runs) > 0 && by == identifier.Phone {",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindReportsAWithdrawalRememberedByEmail",
	},
	{
		Name:     "findfold24/identifier-kind-wrong",
		Why:      "ledger find would name the wrong identifier (phone for e-mail) a withdrawal is remembered by",
		File:     "internal/pipeline/findrows.go",
		Old:      "dst = append(dst, RowIdentifier{ids.r.canonField[i], d})",
		New:      "_ = i; dst = append(dst, RowIdentifier{identifier.Phone, d})",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindReportsAWithdrawalRememberedByEmail",
	},
})
