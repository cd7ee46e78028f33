package main

// ckpt24Mutations hold the uploads' retention off the reader-waiting
// TRUNCATE checkpoint.
var ckpt24Mutations = register([]mutation{
	{
		Name:     "ckpt24/retention-truncates",
		Why:      "every nightly upload would wait the busy timeout (10 s) for a status, backup or find holding the ledger open",
		File:     "internal/ledger/retention.go",
		Old:      "\tn, err := l.forget(ctx, cut, true, false)\n",
		New:      "\tn, err := l.forget(ctx, cut, false, false)\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestRetentionDoesNotWaitForAReader",
	},
})
