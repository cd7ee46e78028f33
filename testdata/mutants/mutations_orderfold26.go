package main

// orderfold26Mutations hold the folding of identifiers' spellings
// (internal/celltext/fold.go): the format characters a paste leaves and
// the full-width letters an IME types, in header names and order ids.
var orderfold26Mutations = register([]mutation{
	{
		Name:     "orderfold26/header-unfolded",
		Why:      "a header with a hidden zero-width space would stop the run, exit 1, \"not in the header\" when it visibly is",
		File:     "internal/export/sniff.go",
		Old:      "return strings.ToLower(celltext.Fold(strings.TrimSpace(s)))",
		New:      "return strings.ToLower(celltext.Trim(s))",
		Packages: []string{"./internal/export"},
		Run:      "TestHeaderWithInvisibleCharactersIsFound",
	},
	{
		Name:     "orderfold26/format-kept",
		Why:      "a zero-width space or soft hyphen inside an id or a header would make another id (the visit sent again)",
		File:     "internal/celltext/fold.go",
		Old:      "s = strings.Map(dropFormat, s)",
		New:      "s = strings.Map(func(r rune) rune { return r }, s)",
		Packages: []string{"./internal/celltext"},
		Run:      "TestFold",
	},
	{
		Name:     "orderfold26/single-unfolded",
		Why:      "a single-column order id typed full-width or pasted with a zero-width space would make another event id: sent again, exit 0",
		File:     "internal/pipeline/orderkey.go",
		Old:      "k.key = celltext.Fold(k.legacy)",
		New:      "k.key = celltext.Trim(k.legacy)",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestASingleColumnOrderIDIsFolded|TestARespelledOrderIDIsNotSentAgain",
	},
	{
		Name:     "orderfold26/no-dual-lookup",
		Why:      "a ledger made before the fold would not be looked up under the ids as written: every non-ASCII id sent before went again",
		File:     "internal/run/upload.go",
		Old:      "} else if err := filter.UseUnfoldedIDs(ctx); err != nil {",
		New:      "} else if err := error(nil); err != nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerOfUnfoldedIDsStaysRight",
	},
	{
		Name:     "orderfold26/alias-ignored",
		Why:      "an id found under its full-width spelling, written plainly the night after, would be sent again",
		File:     "internal/ledger/unfolded.go",
		Old:      "	if len(f.aliases) == 0 {\n		return false",
		New:      "	if len(f.aliases) >= 0 {\n		return false",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestUnfoldedIDsAreLookedUp|TestALedgerOfUnfoldedIDsStaysRight",
	},
	{
		Name:     "orderfold26/booking-legacy-dropped",
		Why:      "a booking sent under its id as written would be sent again under the folded one",
		File:     "internal/pipeline/booking.go",
		Old:      "r.bookingID, r.bookingLegacy, r.bookingAt",
		New:      "r.bookingID, \"\", r.bookingAt",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestASingleColumnBookingKeepsItsLegacyID",
	},
})
