package main

// find24Mutations hold `hashgate ledger find`, a patient's access
// request: only her rows, her withdrawal's first night, her event times.
var find24Mutations = register([]mutation{
	{
		Name:     "find24/other-patients-rows",
		Why:      "ledger find would take every row of the export, not only the listed patient's: another patient's events in the answer to an access request",
		File:     "internal/run/find.go",
		Old:      "if r.Patient == 0 || !ok {",
		New:      "if r.Patient == 0 || !ok && false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAnswersAnAccessRequest",
	},
	{
		Name:     "find24/withdrawal-last-night",
		Why:      "ledger find would name the latest night that remembered the withdrawal as the first: the officer tells the patient the wrong date",
		File:     "internal/ledger/find.go",
		Old:      "return cmp.Or(cmp.Compare(a.order, b.order), a.At.Compare(b.At))",
		New:      "return cmp.Or(cmp.Compare(b.order, a.order), a.At.Compare(b.At))",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAnswersAnAccessRequest",
	},
	{
		Name:     "find24/event-time-lost",
		Why:      "ledger find would print no event time: \"when\" of the access request unanswered",
		File:     "internal/ledger/find.go",
		Old:      "if t := binary.BigEndian.Uint32(times[i*sentTimeLen:]); t > 0 {",
		New:      "if t := binary.BigEndian.Uint32(times[i*sentTimeLen:]); t > 0 && false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindAnswersAnAccessRequest",
	},
})
