package main

// foldids26Mutations hold the mends of the review of folded order ids:
// a listed order id, a revocations file's id and an older hashgate's
// booking id name a row under both spellings, folded and as written.
var foldids26Mutations = register([]mutation{
	{
		Name:     "foldids26/orders-list-unfolded",
		Why:      "a listed Ａ１００２ (copied from a clinic system storing it full-width) would be read as written: find/erase --orders still find A1002 since orders27 looks an id up both ways (TestLedgerFindAndEraseFoldAListedOrderID no longer kills it), but the reader's own answer — what every list's consumer is given — would keep the full-width form",
		File:     "internal/consent/revocations.go",
		Old:      "return norm.NFKC.String(v), nil",
		New:      "return v, nil",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsReadAsWritten",
	},
	{
		Name:     "foldids26/revoked-as-written",
		Why:      "a row A10\\u200b01 would be sent though the revocations file lists A1001: consent.Key trims invisible characters at the edges only",
		File:     "internal/pipeline/revoked.go",
		Old:      "!r.composite && k.key != k.legacy && r.revocations.Has(k.key)",
		New:      "!r.composite && k.key != k.legacy && false",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestARespelledRowIsWithdrawnByEitherSpelling",
	},
	{
		Name:     "foldids26/revoked-booking-legacy",
		Why:      "a booking id from a review CSV made before ledger schema 16 (the booking of Ｂ１ as written) would withdraw nothing: the row and its booking sent",
		File:     "internal/pipeline/revoked.go",
		Old:      "return legacy != \"\" && r.revocations.Has(string(legacy))",
		New:      "return legacy != \"\" && false",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestARespelledRowIsWithdrawnByEitherSpelling",
	},
	{
		Name:     "foldids26/rowids-booking-legacy",
		Why:      "ledger find and erase with exports would not look up a booking sent before schema 16 under a full-width spelling: not listed, not erased",
		File:     "internal/pipeline/findrows.go",
		Old:      "ids.BookingLegacyID = eventid.ID(strings.Clone(string(r.bookingLegacyID(k))))",
		New:      "ids.BookingLegacyID = \"\"",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRowIDsCarryTheBookingsLegacyID",
	},
})
