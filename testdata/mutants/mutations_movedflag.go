package main

// movedflagMutations hold the moved-times stop's own flag: --accept-new-ids,
// which passes every other stop, was the flag an analyst reached for on a
// chain's second branch, and it left that branch's colliding visits skipped
// for good, exit 0.
var movedflagMutations = register([]mutation{
	{
		Name:     "movedflag/accept-new-ids-passes-moved-times",
		Why:      "--accept-new-ids on a second branch sharing the first's ledger would pass the stop: its colliding visits skipped as already sent, exit 0, and the comparison silenced for both branches",
		File:     "internal/run/upload.go",
		Old:      "armTimeGuard(ctx, filter, r.AcceptMovedTimes)",
		New:      "armTimeGuard(ctx, filter, r.AcceptMovedTimes || r.AcceptNewIDs)",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsDoesNotPassTheMovedTimesStop|TestAcceptMovedTimesIsOneNight",
	},
	{
		Name:     "movedflag/net-unarmed-with-accept-new-ids",
		Why:      "with --accept-new-ids nothing would hold the sample for the moved-times guard: new conversions would be sent before it stopped the run",
		File:     "internal/run/upload.go",
		Old:      "if !r.AcceptNewIDs || !r.AcceptMovedTimes {",
		New:      "if !r.AcceptNewIDs {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsSendsNothingBeforeTheMovedTimesStop",
	},
	{
		Name:     "movedflag/times-only-net-judges-ids",
		Why:      "the net kept for the guard under --accept-new-ids would still stop on new ids: the flag would no longer pass the net's own stop",
		File:     "internal/ledger/newids.go",
		Old:      "\tif n.TimesOnly {\n",
		New:      "\tif false && n.TimesOnly {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestSafetyNetStopsChangedOrderIDs|TestTwoStopsNeedBothFlags",
	},
	{
		Name:     "movedflag/consent-stop-under-accept-new-ids",
		Why:      "the net kept for the guard says where consent worked before: asked under --accept-new-ids, the consent-words stop would no longer pass",
		File:     "internal/run/upload.go",
		Old:      "\tif !r.AcceptNewIDs {\n\t\topt.ConsentWorked = filter.Delivered\n\t}\n",
		New:      "\topt.ConsentWorked = filter.Delivered\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChangedConsentWordsStop",
	},
	{
		Name:     "movedflag/stop-names-accept-new-ids",
		Why:      "the stop would name the flag that does not pass it, and not the one that does",
		File:     "internal/run/movedtimes.go",
		Old:      "run `hashgate upload --accept-moved-times` once",
		New:      "run `hashgate upload --accept-new-ids` once",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsDoesNotPassTheMovedTimesStop",
	},
	{
		Name:     "movedflag/accepted-move-not-recorded",
		Why:      "a cron job's nights after --accept-moved-times would stop again on the same moved visits, every night until they left the export",
		File:     "internal/run/upload.go",
		Old:      "movedTimesAccepted(ctx, env, led, filter, runID, true)",
		New:      "movedTimesAccepted(ctx, env, led, filter, runID, false)",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptMovedTimesIsOneNight",
	},
})
