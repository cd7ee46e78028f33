package main

// memledgerMutations hold the mends of session 21's memory review of the
// ledger: `ledger confirm`, an upload onto a ledger of unanswered events
// and the year-full upload's older acceptances read without holding a
// run, or the ledger, in memory.
var memledgerMutations = register([]mutation{
	{
		Name:     "memledger/confirm-holds-the-run",
		Why:      "ledger confirm would gather every event of the run before writing one record: memory grows with the run (291 MB at 1M events)",
		File:     "internal/ledger/confirm.go",
		Old:      "if len(d.ids) >= maxPacked*idLen {",
		New:      "if len(d.ids) >= 1<<40 {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestConfirmHoldsNoRunInMemory",
	},
	{
		Name:     "memledger/confirm-ignores-later-answers",
		Why:      "an event a later request accepted would be confirmed again, as if the run's unanswered request were its latest word",
		File:     "internal/ledger/confirm.go",
		Old:      "if err != nil || decided || !open {",
		New:      "if err != nil || decided && !open || !open {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestConfirmHoldsNoRunInMemory",
	},
	{
		Name:     "memledger/unconfirmed-settled-at-one-cut",
		Why:      "an answer that settled an event would clear it at the first cut only: the dedup window would take it for open at the others, noting it aged out or keeping it back",
		File:     "internal/ledger/marks.go",
		Old:      "for _, d := range u.decided {",
		New:      "for _, d := range u.decided[:1] {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUnansweredEventsKeepTheHeapFlat|TestUnconfirmed",
	},
	{
		Name:     "memledger/unconfirmed-held-since-never-noted",
		Why:      "an event held back since its unanswered request would never be noted so: the dedup window would report every night an event aged out as if first held back",
		File:     "internal/ledger/marks.go",
		Old:      "		if !lastCut {\n			continue\n		}",
		New:      "		if lastCut {\n			continue\n		}",
		Packages: []string{"./internal/ledger"},
		Run:      "TestUnansweredEventsKeepTheHeapFlat|TestUnconfirmed",
	},
	{
		Name:     "memledger/sent-time-earliest",
		Why:      "the sent times read oldest first would keep the first request's time, not the latest that may have reached Meta: a resend dated as another event",
		File:     "internal/ledger/senttime.go",
		Old:      "AND d.key = ? AND r.at >= ? ORDER BY r.id DESC`",
		New:      "AND d.key = ? AND r.at >= ? ORDER BY r.id`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAResendGoesWithItsSentTime|TestASentTimeOutsideTheDedupWindowIsNotKept|TestARefusedRequestKeepsNoSentTime",
	},
	{
		Name:     "memledger/held-events-load-the-older-whole",
		Why:      "more than pendingMax held events would load every older acceptance into a sorted array: memory grows with the ledger (83.7 MB at 1M rows on a year-full ledger, 110.6 at 10M)",
		File:     "internal/ledger/oldfilter.go",
		Old:      "if err := f.loadOld(oldSortedMax); err != nil {",
		New:      "if err := f.loadOld(maxSortedKeys); err != nil {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestManyHeldEventsLoadTheOlderAcceptancesBounded",
	},
})
