package main

// horizon27Mutations hold session 27's strict horizon rule: an event dated
// before the ledger's first delivery to a Meta dataset is history a lost
// ledger may have sent, and goes only while younger than the safe window
// tonight; one dated after the horizon is this ledger's own.
var horizon27Mutations = register([]mutation{
	{
		Name:     "horizon27/by-window-before-horizon",
		Why:      "a visit dated 3 days before the horizon, brought on night 10, would be sent: a lost ledger may have sent it more than 7 days ago, and Meta counts it twice",
		File:     "internal/run/dedupwindow.go",
		Old:      "case !st.backfill && c.Time.Before(st.horizon) && w.now.Sub(c.Time) >= st.safe &&",
		New:      "case !st.backfill && st.horizon.Sub(c.Time) >= st.safe &&",
		Packages: []string{"./internal/cli"},
		Run:      "TestAHistoryJustBeforeTheHorizonIsKeptOnceOld",
	},
	{
		Name:     "horizon27/after-horizon-held",
		Why:      "a visit entered late, dated after the horizon (this ledger's own), would be held back as history once 6 days old",
		File:     "internal/run/dedupwindow.go",
		Old:      "case !st.backfill && c.Time.Before(st.horizon) && w.now",
		New:      "case !st.backfill && w.now",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerFromBeforeTheHorizonDerivesIt",
	},
	{
		Name:     "horizon27/young-history-held",
		Why:      "a visit dated just before the horizon, brought while younger than 6 days (a resend Meta still deduplicates), would be held back for no reason",
		File:     "internal/run/dedupwindow.go",
		Old:      "c.Time.Before(st.horizon) && w.now.Sub(c.Time) >= st.safe &&",
		New:      "c.Time.Before(st.horizon) &&",
		Packages: []string{"./internal/cli"},
		Run:      "TestAHistoryJustBeforeTheHorizonIsKeptOnceOld",
	},
})
