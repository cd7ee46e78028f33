package main

// morning19Mutations hold the mends of a month of nightly cron uploads
// played against the fakes: exit codes that alert once, a summary whose
// denominator is tonight's, a status that says what waits, and a ledger
// that calls nothing rejected that was never sent.
var morning19Mutations = register([]mutation{
	{
		Name:     "found/processing-failures-exit-0",
		Why:      "a night whose reconcile first finds Google failing every event of the night before would exit 0 again, and alerting would hear nothing until the setting stop three nights on",
		File:     "internal/run/found.go",
		Old:      "\t\treturn &ExitError{Code: ExitPartial, Err: errors.New(line)}",
		New:      "\t\treturn nil",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheNightThatFindsProcessingFailuresExits3",
	},
	{
		Name:     "found/processing-failures-counted-twice",
		Why:      "failures found on an earlier night would be counted again the next, and every night after a failing one would exit 3",
		File:     "internal/ledger/found.go",
		Old:      "WHERE p.final AND c.kind = 'error' AND p.checked > ?",
		New:      "WHERE p.final AND c.kind = 'error' AND p.checked > ? - 172800000",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheNightThatFindsProcessingFailuresExits3",
	},
	{
		Name:     "found/expected-failures-alert",
		Why:      "CLICK_NOT_FOUND, which Google calls expected, would make every night exit 3 for a clinic whose patients rarely click an ad",
		File:     "internal/run/found.go",
		Old:      "perr != nil || p.Spec() == nil || p.Spec().ExpectedFailures[f.Reason]",
		New:      "perr != nil || p.Spec() == nil",
		Packages: []string{"./internal/cli"},
		Run:      "TestStatusAndTheMorningReport",
	},
	{
		Name:     "summary/denominator-counts-held-back",
		Why:      "the summary's \"2 of 4 conversions ingested\" would count the events held back in earlier runs, and read as 2 lost",
		File:     "internal/report/tonight.go",
		Old:      "u.Conversions - u.SkippedAlreadyAccepted - u.HeldEarlier - u.KeptBeforeFirstUpload",
		New:      "u.Conversions - u.SkippedAlreadyAccepted - u.KeptBeforeFirstUpload",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheSummaryCountsTonightsConversions",
	},
	{
		Name:     "ledger/not-sent-shown-rejected",
		Why:      "ledger stats and list would call an outage's events, which the platform never refused, rejected, against the summary's \"not sent\"",
		File:     "internal/ledger/query.go",
		Old:      "\t\treturn StateNotSent",
		New:      "\t\treturn state",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheLedgerCallsAnOutagesEventsNotSent",
	},
	{
		Name:     "summary/unanswered-under-rejected",
		Why:      "events whose requests may have arrived would be listed under \"meta rejected:\", as the platform's refusal",
		File:     "internal/report/unanswered.go",
		Old:      "\tdelete(rejected, UnansweredReason)",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnansweredEventsHaveTheirOwnHeading",
	},
	{
		Name:     "window/unconfirmed-exit-3-every-night",
		Why:      "events kept back as unconfirmed past Meta's window would make every night exit 3 until they left the export, the only way out counting them twice",
		File:     "internal/run/send.go",
		Old:      "unconfirmed += u.UnconfirmedPastWindow - u.UnconfirmedEarlier",
		New:      "unconfirmed += u.UnconfirmedPastWindow",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnconfirmedPastTheWindowExits3OnceAndCanBeConfirmed",
	},
	{
		Name:     "confirm/settles-nothing",
		Why:      "ledger confirm would record events found at the platform under a reason no reader of acceptance takes, and every night would keep reporting them",
		File:     "internal/ledger/confirm.go",
		Old:      "ExecContext(ctx, id, StateAccepted, ReasonConfirmedByUser, \"\", now)",
		New:      "ExecContext(ctx, id, StateRejected, ReasonConfirmedByUser, \"\", now)",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnconfirmedPastTheWindowExits3OnceAndCanBeConfirmed",
	},
})
