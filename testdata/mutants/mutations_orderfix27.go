package main

// orderfix27Mutations hold session 27's fix to the order rows: an order's
// conversion for a destination is made from its rows that reach it, so
// the order reaches every destination one of its rows reaches, and is
// held only where its rows disagree — in any row order.
var orderfix27Mutations = register([]mutation{
	{
		Name:     "orderfix27/first-row-destinations",
		Why:      "a later row of an order would be duplicate_order whatever it reaches: the first row's destinations go, so a reordered export drops Meta or moves the visit from Google to Meta",
		File:     "internal/pipeline/judge.go",
		Old:      "\tvar gone uint32 // by enabled index\n",
		New:      "\tvar gone uint32 // by enabled index\n\tif had, _ := s.seen.Has(o.dup); had {\n\t\treturn ReasonDuplicate, nil\n\t}\n",
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
		Old:      "\treturn dup != 0 && or.disagrees[dup]&(1<<p) != 0",
		New:      "\treturn dup != 0 && or.disagrees[dup] != 0",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderReachesTheUnionOfItsRowsDestinations",
	},
	{
		Name:     "orderfix27/first-disagreement-stops-the-row",
		Why:      "rows disagreeing for both destinations would be held for the first alone: the other sends whichever row came first",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\tor.disagrees[o.dup] = held\n",
		New:      "\t\t\tor.disagrees[o.dup] = held\n\t\t\treturn nil\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRowsThatDisagreeAreHeld",
	},
	{
		Name:     "orderfix27/held-row-counted-duplicate",
		Why:      "a row held for every destination it reaches would be counted duplicate_order, hiding the disagreement",
		File:     "internal/pipeline/judge.go",
		Old:      "\tif held {\n\t\treturn ReasonOrderRowsDisagree, nil\n\t}",
		New:      "\tif held && false {\n\t\treturn ReasonOrderRowsDisagree, nil\n\t}",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRowsThatDisagreeAreHeld",
	},
	{
		Name:     "orderfix27/order-not-remembered",
		Why:      "a later row of a sent order with no identifier would be counted no_identifier, and a refusal after it would not be noted consent_refused_after_sent",
		File:     "internal/pipeline/judge.go",
		Old:      "\t\tdup, err := s.seen.Seen(o.dup, true)\n\t\tif visits == 0 && dup {",
		New:      "\t\tdup, err := s.seen.Has(o.dup)\n\t\tif visits == 0 && dup {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestALaterRowOfASentOrderIsItsDuplicate",
	},
})
