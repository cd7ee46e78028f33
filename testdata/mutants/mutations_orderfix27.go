package main

// orderfix27Mutations hold session 27's fix to the order rows: an order's
// conversion for a destination is made from its rows that reach it, so
// the order reaches every destination one of its rows reaches, and is
// held only where its rows disagree — in any row order; held so, it
// counts in orders_differing_in_fee_only (lines27) once, when its rows
// differ in the fee alone at every destination it is held for.
var orderfix27Mutations = register([]mutation{
	{
		Name:     "orderfix27/first-row-destinations",
		Why:      "a later row of an order would be duplicate_order whatever it reaches: the first row's destinations go, so a reordered export drops Meta or moves the visit from Google to Meta",
		File:     "internal/pipeline/judge.go",
		Old:      "\tvar gone, heldAt uint32 // by enabled index\n",
		New:      "\tvar gone, heldAt uint32 // by enabled index\n\tif had, _ := s.seen.Has(o.dup); had {\n\t\tv.reason, v.dup = ReasonDuplicate, true\n\t\treturn nil\n\t}\n",
		Packages: []string{"./internal/pipeline", "./internal/run"},
		Run:      "TestAnOrderReachesTheUnionOfItsRowsDestinations|TestAnOrderReachesEveryDestinationOfItsRows",
	},
	{
		Name:     "orderfix27/sent-per-order-not-destination",
		Why:      "the order sent anywhere would count as sent everywhere: a row's second destination dropped as duplicate_order",
		File:     "internal/pipeline/judge.go",
		Old:      "\t\tsent, err := s.seen.Seen(orderOn(o.dup, cv.Platform), true)",
		New:      "\t\tsent, err := s.seen.Seen(o.dup, true)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderReachesTheUnionOfItsRowsDestinations",
	},
	{
		Name:     "orderfix27/held-everywhere",
		Why:      "rows disagreeing for Meta alone (another e-mail, the same click id) would hold the order from Google too",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\treturn or.found.Has(heldKey(dup, p))",
		New:      "\tif h, err := or.found.Has(heldKey(dup, platform.Meta)); h || err != nil {\n\t\treturn h, err\n\t}\n\treturn or.found.Has(heldKey(dup, platform.Google))",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderReachesTheUnionOfItsRowsDestinations",
	},
	{
		Name:     "orderfix27/first-disagreement-stops-the-row",
		Why:      "rows disagreeing for both destinations would be held for the first alone: the other sends whichever row came first",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\t\tif _, err := or.found.Seen(heldKey(dup, p), true); err != nil {\n\t\t\t\t\treturn err\n\t\t\t\t}\n",
		New:      "\t\t\t\tif _, err := or.found.Seen(heldKey(dup, p), true); err != nil {\n\t\t\t\t\treturn err\n\t\t\t\t}\n\t\t\t\trec = rec[:17]\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRowsThatDisagreeAreHeld",
	},
	{
		Name:     "orderfix27/held-row-counted-duplicate",
		Why:      "a row of an order held at a destination would be counted duplicate_order, hiding the disagreement (dupReason)",
		File:     "internal/pipeline/ordercount.go",
		Old:      "\t\tif held {\n\t\t\treturn ReasonOrderRowsDisagree, nil\n\t\t}",
		New:      "\t\tif held && false {\n\t\t\treturn ReasonOrderRowsDisagree, nil\n\t\t}",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRowsThatDisagreeAreHeld",
	},
	{
		Name:     "orderfix27/order-not-remembered",
		Why:      "an order sent would not be remembered: each of its rows that sends (one reaching Google, another Meta) would be counted used, and a refusal of it never noted consent_refused_after_sent",
		File:     "internal/pipeline/judge.go",
		Old:      "\t\tdup, err := s.seen.Seen(o.dup, true)\n\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\t\tswitch {",
		New:      "\t\tdup, err := s.seen.Has(o.dup)\n\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\t\tswitch {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderReachesTheUnionOfItsRowsDestinations",
	},
	{
		Name:     "orderfix27/fee-only-at-one-destination-counts",
		Why:      "an order whose rows differ in the fee alone for Google and in the e-mail for Meta would be counted fee-only: the clinic told its conflict is one row per treatment line",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\tif had && !sameBody && p&bookingSlot == 0 { // in more than the fee",
		New:      "\t\t\tif had && !sameBody && p&bookingSlot == 0 && p == platform.Google { // in more than the fee",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderHeldPerDestinationCountsFeeOnlyOnce",
	},
	{
		Name:     "orderfix27/held-per-destination-not-counted",
		Why:      "orders held for a destination would never reach orders_differing_in_fee_only: the warning silent, the drop unexplained",
		File:     "internal/pipeline/judge.go",
		Old:      "\t\tif err := s.orders.held(o.dup); err != nil { // once per order",
		New:      "\t\tif err := error(nil); err != nil { // once per order",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderHeldPerDestinationCountsFeeOnlyOnce|TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "orderfix27/beyond-fee-stops-every-destination",
		Why:      "once an order's rows differ beyond the fee for Meta, its later rows would not be compared for Google: a fee differing there sent the first row's",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\torder := orderOn(dup, p)\n",
		New:      "\t\t\tif b, _ := or.found.Has(beyondKey(dup)); b {\n\t\t\t\tcontinue\n\t\t\t}\n\t\t\torder := orderOn(dup, p)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderHeldPerDestinationCountsFeeOnlyOnce",
	},
})
