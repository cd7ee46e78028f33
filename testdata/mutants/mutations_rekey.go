package main

// rekeyMutations hold the mends of a month of nightly uploads played
// against the fakes (branch rekey): a changed secret or re-keyed order ids
// resent a small clinic's every visit, and a consent column whose words
// changed excluded every row, exit 0.
var rekeyMutations = register([]mutation{
	{
		Name:     "rekey/secret-change-unchecked",
		Why:      "an upload under another secret than the ledger's would go on: every event id new, every visit the platforms hold counted again",
		File:     "internal/run/eventkey.go",
		Old:      "\t\t\tif was != check {\n\t\t\t\tv.changed, v.was = append(v.changed, names[d]), append(v.was, was)\n",
		New:      "\t\t\tif false {\n\t\t\t\tv.changed, v.was = append(v.changed, names[d]), append(v.was, was)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChangedSecretStopsASmallClinic",
	},
	{
		Name:     "rekey/fingerprint-never-recorded",
		Why:      "a ledger without the secret's fingerprint (new, or older than it) would never record one, and a changed secret would go unchecked",
		File:     "internal/run/eventkey.go",
		Old:      "\tk.record = v.fresh\n",
		New:      "\tk.record = false\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerWithoutFingerprintRecordsIt",
	},
	{
		Name:     "rekey/net-minimum-ignores-span",
		Why:      "a clinic with fewer than 20 conversions would resend them all under re-keyed order ids, exit 0",
		File:     "internal/ledger/newids.go",
		Old:      "mins[p] = min(n.Min, in)",
		New:      "mins[p] = n.Min",
		Packages: []string{"./internal/cli"},
		Run:      "TestRekeyedOrderIDsStopASmallClinic",
	},
	{
		Name:     "rekey/net-guard-ignores-span",
		Why:      "a small clinic's short export of mostly late entries would stop (exit 2) because the month's acceptances outnumber the export",
		File:     "internal/ledger/newids.go",
		Old:      "2*known >= min(accepted, in, n.convs[p])",
		New:      "2*known >= min(accepted, max(in, accepted), n.convs[p])",
		Packages: []string{"./internal/cli"},
		Run:      "TestSmallClinicOrdinaryNightsGoThrough",
	},
})

var rekeyConsentMutations = register([]mutation{
	{
		Name:     "rekey/consent-unknown-words-pass",
		Why:      "a consent column whose words changed would exclude every row as consent_not_granted, exit 0, silent with --quiet",
		File:     "internal/pipeline/consentwords.go",
		Old:      "\tcase t.unknown > 0:\n",
		New:      "\tcase t.unknown > t.rows:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChangedConsentWordsStop",
	},
	{
		Name:     "rekey/consent-empty-column-passes",
		Why:      "an emptied consent column would exclude every row as consent_missing, exit 0",
		File:     "internal/pipeline/consentwords.go",
		Old:      "\tcase t.empty == t.rows:\n",
		New:      "\tcase t.empty > t.rows:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChangedConsentWordsStop",
	},
	{
		Name:     "rekey/consent-refusals-taken-for-unknown",
		Why:      "a night on which every patient refused in words the policy knows would stop (exit 2): default-deny made a fault",
		File:     "internal/pipeline/consentwords.go",
		Old:      "\tdefault:\n\t\tn.kind = consentKnown\n",
		New:      "\tdefault:\n\t\tn.kind = consentUnknown\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEveryPatientRefusingIsNoFault",
	},
})
