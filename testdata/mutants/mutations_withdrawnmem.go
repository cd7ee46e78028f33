package main

// withdrawnmemMutations hold the mends of the review of the count of
// visits withdrawn after they were sent: only a consent withdrawn or
// refused is a withdrawal, and the rows noted keep the heap flat.
var withdrawnmemMutations = register([]mutation{
	{
		Name:     "withdrawnmem/blank-consent-withdraws",
		Why:      "every row with a blank or unknown consent cell would have its event ids derived and kept, and be counted as withdrawn after it was sent",
		File:     "internal/pipeline/leftout.go",
		Old:      "\tconsent.ReasonRevoked, consent.ReasonListed, consent.ReasonDenied, consent.ReasonScoped,",
		New:      "\tconsent.ReasonMissing, consent.ReasonNotGranted, consent.ReasonRevoked, consent.ReasonListed, consent.ReasonDenied, consent.ReasonScoped,",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestABlankOrUnknownConsentIsNoWithdrawal",
	},
	{
		Name:     "withdrawnmem/withdrawals-on-heap",
		Why:      "the withdrawn rows would stay in memory however many the export has: an export of 1M rows that all say no would grow the heap by tens of MB",
		File:     "internal/pipeline/leftout.go",
		Old:      "l.list, l.ids = spool.New(\"\", 0), keyset.New(\"\", keyset.Sizes{})",
		New:      "l.list, l.ids = spool.New(\"\", 1<<30), keyset.New(\"\", keyset.Sizes{})",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestWithdrawnRowsKeepTheHeapFlat",
	},
})
