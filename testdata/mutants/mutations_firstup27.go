package main

// firstup27Mutations hold session 27's first-upload horizon: Meta's
// before_first_upload guard is judged by the event against the ledger's
// first delivery to the dataset, on every night, not by whether tonight's
// run is the first to deliver.
var firstup27Mutations = register([]mutation{
	{
		Name:     "firstup27/guard-per-run",
		Why:      "the second file of a split first night, and a backfill the next night, would send Meta history 6 days or more older than the first delivery: counted twice if a lost ledger sent it",
		File:     "internal/run/dedupwindow.go",
		Old:      "case !st.backfill && c.Time.Before(st.horizon) && w.now.Sub(c.Time) >= st.safe &&",
		New:      "case !st.backfill && st.first && w.now.Sub(c.Time) >= st.safe &&",
		Packages: []string{"./internal/cli"},
		Run:      "TestASplitFirstNightSendsWhatOneFileSends|TestABackfillAfterTheFirstNightIsKeptBack",
	},
	{
		Name:     "firstup27/horizon-is-tonight",
		Why:      "judged against tonight instead of the first delivery, a late-entered visit dated under 6 days before the horizon would be held back for good",
		File:     "internal/run/dedupwindow.go",
		Old:      "\t\tif st.first {\n\t\t\tst.horizon = now\n\t\t}",
		New:      "\t\tif true {\n\t\t\tst.horizon = now\n\t\t}",
		Packages: []string{"./internal/cli"},
		Run:      "TestABackfillAfterTheFirstNightIsKeptBack",
	},
	{
		Name:     "firstup27/unconfirmed-backfill-held",
		Why:      "a backfill killed before Meta's answer would leave its events held back as history the next night instead of resent inside the window",
		File:     "internal/run/dedupwindow.go",
		Old:      "w.now.Sub(c.Time) <= st.maxAge && (st.first || w.unsentSinceHold(c)):",
		New:      "w.now.Sub(c.Time) <= st.maxAge:",
		Packages: []string{"./internal/cli"},
		Run:      "TestABackfillThatNeverLearntItsAnswerIsResent",
	},
	{
		Name:     "firstup27/first-send-lifts-hold",
		Why:      "a first upload's own send, unanswered, would let its events through once past 6 days: past Meta's 7 days from a lost ledger's send, counted twice",
		File:     "internal/run/dedupwindow.go",
		Old:      "(st.first || w.unsentSinceHold(c)):",
		New:      "w.unsentSinceHold(c):",
		Packages: []string{"./internal/cli"},
		Run:      "TestASendBeforeTheHoldKeepsItHeld",
	},
	{
		Name:     "firstup27/first-delivery-unrecorded",
		Why:      "the horizon would not be recorded with the first accepted answer: retention forgetting the accepted requests would make the ledger a first upload again",
		File:     "internal/ledger/requests.go",
		Old:      "return l.fault(\"record the first delivery to a destination\", l.firstDelivery(ctx, r))",
		New:      "return nil",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerFromBeforeTheHorizonDerivesIt",
	},
	{
		Name:     "firstup27/derived-from-latest",
		Why:      "a ledger from before the horizon would derive it from its latest delivery, holding back late visits the first night let through",
		File:     "internal/ledger/horizon.go",
		Old:      "SELECT min(r.id) FROM requests r",
		New:      "SELECT max(r.id) FROM requests r",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestTheHorizonIsTheFirstDeliveringRunsStart|TestALedgerFromBeforeTheHorizonDerivesIt",
	},
	{
		Name:     "firstup27/derived-from-request-time",
		Why:      "the horizon would be the answer's time, not the run's start the first night judged by: a visit at the 6-day border judged otherwise the next night",
		File:     "internal/ledger/horizon.go",
		Old:      "\tif started.Valid {",
		New:      "\tif false {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestTheHorizonIsTheFirstDeliveringRunsStart",
	},
	{
		Name:     "firstup27/derived-not-recorded",
		Why:      "a derived horizon would be derived again every night, moving once retention forgets the first delivering run",
		File:     "internal/ledger/horizon.go",
		Old:      "\tif err != nil || l.readOnly {\n\t\treturn t, err\n\t}",
		New:      "\tif true {\n\t\treturn t, err\n\t}",
		Packages: []string{"./internal/ledger"},
		Run:      "TestTheHorizonIsTheFirstDeliveringRunsStart",
	},
	{
		Name:     "firstup27/stats-silent",
		Why:      "ledger stats would not name the horizon a person needs to understand why history is kept back",
		File:     "internal/ledger/query.go",
		Old:      "\t\t\ts.FirstDelivered[d] = v\n",
		New:      "\t\t\t_ = d\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestABackfillAfterTheFirstNightIsKeptBack",
	},
})
