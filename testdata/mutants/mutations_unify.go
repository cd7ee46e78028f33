package main

// unifyMutations hold what keyset.Mins gained when it took over from
// digestmap the ledger's remembered withdrawals (session 21: one bounded
// map of keys to least values, not two).
var unifyMutations = register([]mutation{
	{
		Name:     "unify/few-remembered-not-a-map",
		Why:      "a clinic's few hundred remembered patients would be binary-searched on every row, not found by one map lookup",
		File:     "internal/keyset/mins.go",
		Old:      "\t\tif m.n > 0 && m.n <= MinsMapMax {",
		New:      "\t\tif m.n > 0 && m.n <= 0 {",
		Packages: []string{"./internal/keyset"},
		Run:      "TestMinsServesTheRemembered",
	},
	{
		Name:     "unify/keys-in-order-merged",
		Why:      "the ledger's remembered withdrawals, read in digest order, would be spilled to a run a buffer and merged again and again: 10M patients written some eight times over where once does",
		File:     "internal/keyset/mins.go",
		Old:      "\tif n := len(m.runs); n > 0 && len(m.buf) > 0 && m.buf[0].key > m.runs[n-1].last {",
		New:      "\tif n := len(m.runs); false && n > 0 && len(m.buf) > 0 && m.buf[0].key > m.runs[n-1].last {",
		Packages: []string{"./internal/keyset"},
		Run:      "TestMinsReadFailure|TestMinsServesTheRemembered",
	},
	{
		Name:     "unify/unreadable-remembered-sent",
		Why:      "a remembered patient whose block could not be read would count as not remembered: their rows decided, and sent had the run not stopped on Err",
		File:     "internal/pipeline/withdraw.go",
		Old:      "\tif err != nil {\n\t\treturn 0, true\n\t}\n\treturn from, ok\n}",
		New:      "\tif err != nil {\n\t\treturn 0, false\n\t}\n\treturn from, ok\n}",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestUnreadableRememberedWithdraws",
	},
})
