package main

// findshared25Mutations hold `hashgate ledger find`'s count of the events
// of other patient keys that carried the patient's e-mail or phone (a
// mother's phone on her son's chart, sent with his events): her personal
// data sent to a platform, which an access request must answer.
var findshared25Mutations = register([]mutation{
	{
		Name:     "findshared25/others-not-scanned",
		Why:      "ledger find would look only at her own rows for her identifiers: the events of her son's chart that carried her phone to Google and Meta unsaid in her access request",
		File:     "internal/run/findshared.go",
		Old:      "if !r.Order || m.picked(r) {\n\t\t\treturn nil\n\t\t}\n\t\tvar kinds uint32",
		New:      "if !r.Order || !m.picked(r) {\n\t\t\treturn nil\n\t\t}\n\t\tvar kinds uint32",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindCountsOthersEventsCarryingHerPhone",
	},
	{
		Name:     "findshared25/destination-kinds-ignored",
		Why:      "ledger find would say his events carried her phone to a destination configured to receive e-mail only: a false statement to the patient",
		File:     "internal/run/findshared.go",
		Old:      "fields, mine := c.sends[dest]\n\tif !mine {",
		New:      "fields, mine := c.sends[dest]\n\tif !mine || len(fields) > 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindCountsOnlyWhereHerIdentifierWent",
	},
	{
		Name:     "findshared25/stdin-read-twice",
		Why:      "with an export on standard input, the second read finds nothing and ledger find answers as if no other event carried her identifiers, instead of saying it cannot be told",
		File:     "internal/run/findshared.go",
		Old:      "if slices.Contains(exports, \"-\") {",
		New:      "if slices.Contains(exports, \"-\") && false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindCountsOthersEventsCarryingHerPhone",
	},
	{
		Name:     "findshared25/folded-only-as-hers",
		Why:      "a row matching her key only when case or leading zeros are ignored (another patient's in many clinic systems) would be taken as hers without --folded: its events that carried her phone left out of the count",
		File:     "internal/run/find.go",
		Old:      "return same || m.listFolded",
		New:      "return same || !m.listFolded",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindCountsFoldedOnlyRowsAsOthers",
	},
	{
		Name:     "findshared25/json-count",
		Why:      "ledger find --json would give carried_by_others a count other than the events sent",
		File:     "internal/cli/ledgerfind.go",
		Old:      "Destination: c.Destination, Sent: &c.Sent, States: c.States}",
		New:      "Destination: c.Destination, Sent: new(int), States: c.States}",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindCountsOthersEventsCarryingHerPhone",
	},
})
