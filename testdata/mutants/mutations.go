package main

// mutation is one deliberate bug: Old, which must occur exactly once in
// File, becomes New; the tests of Packages (optionally only those matching
// Run) must then fail.
type mutation struct {
	Name     string
	Why      string
	File     string
	Old, New string
	Packages []string
	Run      string
}

// mutations: each consent rule's comparison, each suppression rule, each
// ledger guard, and the platform windows. README's Development section
// lists them with the same reasons.
var mutations = []mutation{
	// Consent.
	{
		Name:     "consent/revocation-day",
		Why:      "a date-only visit (00:00) on the day consent was revoked would be sent",
		File:     "internal/consent/consent.go",
		Old:      "!revokedOn.IsZero() && !in.Event.Before(revokedOn)",
		New:      "!revokedOn.IsZero() && in.Event.After(revokedOn)",
		Packages: []string{"./internal/consent", "./internal/run"},
	},
	{
		Name:     "consent/granted-word",
		Why:      "any non-empty consent cell would count as yes: default-deny lost",
		File:     "internal/consent/consent.go",
		Old:      "if p.granted[v] {",
		New:      "if p.granted[v] || len(v) > 0 && !p.denied[v] {",
		Packages: []string{"./internal/consent"},
	},
	{
		Name:     "consent/after-the-visit",
		Why:      "consent recorded after the visit would cover it",
		File:     "internal/consent/consent.go",
		Old:      "case in.HasAt && in.At.After(in.Event):",
		New:      "case in.HasAt && in.At.After(in.Event.AddDate(0, 0, 1)):",
		Packages: []string{"./internal/consent"},
	},
	{
		Name:     "consent/revocation-roc-year",
		Why:      "a ROC-dated revocation (撤回 113/06/01) would be read a year late, sending a year of revoked visits",
		File:     "internal/consent/consent.go",
		Old:      "y += 1911",
		New:      "y += 1912",
		Packages: []string{"./internal/consent"},
	},
	{
		Name:     "consent/scoped",
		Why:      "consent to e-mail only (同意(僅簡訊)) would pass as consent to ad measurement",
		File:     "internal/consent/consent.go",
		Old:      "if strings.Contains(v, m) {\n\t\t\treturn ReasonScoped",
		New:      "if strings.Contains(v, m) && false {\n\t\t\treturn ReasonScoped",
		Packages: []string{"./internal/consent"},
	},
	// Suppression, as drawn.
	{
		Name:     "channels/chart-draws-hidden",
		Why:      "a chart bar's height would follow a suppressed count, which anyone can measure off the page",
		File:     "internal/channelreport/html.go",
		Old:      "\tcase v.State != channels.Shown:\n\t\treturn 0, markOf(v, r.MinCell)\n\tcase tot.State",
		New:      "\tcase v.State != channels.Shown && v.V == 0:\n\t\treturn 0, markOf(v, r.MinCell)\n\tcase tot.State",
		Packages: []string{"./internal/channelreport"},
	},
	// Suppression across reports (the cell key method on running totals).
	{
		Name:     "channels/count-noise",
		Why:      "released counts would be exact, so subtracting overlapping or consecutive reports would recover a cell below min_cell",
		File:     "internal/channels/release.go",
		Old:      "\treturn n + r.countNoise(n, ck)\n",
		New:      "\treturn n\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestAttacksOnFixture",
	},
	{
		Name:     "channels/amount-noise",
		Why:      "a revenue printed exactly would, by difference of two reports, give one patient's fee",
		File:     "internal/channels/amounts.go",
		Old:      "\tif v <= 0 {\n\t\treturn 0\n\t}\n\treturn r.contributionShare(tag, who, v) * v",
		New:      "\tif true {\n\t\treturn 0\n\t}\n\treturn r.contributionShare(tag, who, v) * v",
		Packages: []string{"./internal/channels"},
		Run:      "TestFeeAttacks|TestAttacksOnFixture",
	},
	{
		Name:     "channels/factor-per-patient",
		Why:      "one factor per patient, as Evans, Zayatz and Slanta publish it, gives the ratio of two of a patient's fees exactly, and from it both fees",
		File:     "internal/channels/amounts.go",
		Old:      "\tif r.amounts == amountsPerPatient {\n\t\tparts = parts[:2]\n\t}",
		New:      "\tif true {\n\t\tparts = parts[:2]\n\t}",
		Packages: []string{"./internal/channels"},
		Run:      "TestFeeAttacks",
	},
	{
		Name:     "channels/dominance-per-visit",
		Why:      "a patient's three visits, each under dominance_share but together over it, would print their revenue",
		File:     "internal/channels/release.go",
		Old:      "\t\ttop = max(top, patientTop[r][c])\n",
		New:      "",
		Packages: []string{"./internal/channels"},
		Run:      "TestDominancePerPatient|TestAttacksOnRandomTables",
	},
	{
		Name:     "channels/count-bound",
		Why:      "a running total moving by two would break README's bound (a count made of n running totals within n of the truth)",
		File:     "internal/channels/release.go",
		Old:      "noise := [4]float64{-1, 0, 0, 1}[u%4]",
		New:      "noise := [4]float64{-2, 0, 0, 2}[u%4]",
		Packages: []string{"./internal/channels"},
		Run:      "TestReleasedFiguresStayUseful",
	},
	{
		Name:     "channels/running-max",
		Why:      "a released running total could fall below the day before's, so a window would print a negative count, and a bounds reader would know that day's draws",
		File:     "internal/channels/release.go",
		Old:      "prev[l][i] = max(prev[l][i], z)",
		New:      "prev[l][i] = z",
		Packages: []string{"./internal/channels"},
		Run:      "TestReleasedFiguresStayUseful|TestBoundsAttacksOnFixture",
	},
	{
		Name:     "channels/spellings-exact",
		Why:      "'Google-Ads' and 'google 广告' would go to Unattributed though config init counted them as Google's",
		File:     "internal/channels/attribute.go",
		Old:      "\t\tif i, ok := a.keys[printable.Key(source)]; ok {\n\t\t\treturn i\n\t\t}\n",
		New:      "",
		Packages: []string{"./internal/channels"},
		Run:      "TestAttributionFoldsSpellings",
	},
	{
		Name:     "inspect/click-share-complement",
		Why:      "inspect's per-channel rows would withhold a small channel but print all the others beside the total, which gives it back",
		File:     "internal/inspect/channelclicks.go",
		Old:      "\tprimary(c.rows, rows)\n\tcomplement(c.rows, rows)\n",
		New:      "\tprimary(c.rows, rows)\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestChannelClickIDs",
	},
	// Ledger guards: nothing uploaded twice, nothing lost, no test counted.
	{
		Name:     "ledger/accepted-skipped",
		Why:      "events a platform already accepted would be sent again every night",
		File:     "internal/ledger/upload.go",
		Old:      "\tif done {\n\t\tf.mu.Lock()\n\t\tf.skipped[c.Platform]++",
		New:      "\tif done && c.Line < 0 {\n\t\tf.mu.Lock()\n\t\tf.skipped[c.Platform]++",
		Packages: []string{"./internal/ledger", "./internal/run"},
	},
	{
		Name:     "ledger/test-receipt",
		Why:      "a validate-only or test-event answer would be recorded as accepted, so the real upload would never send those events",
		File:     "internal/ledger/requests.go",
		Old:      "\t\tif r.test {\n\t\t\tstate = StateValidated",
		New:      "\t\tif r.test && false {\n\t\t\tstate = StateValidated",
		Packages: []string{"./internal/ledger"},
	},
	{
		Name:     "ledger/processing-failure-resent",
		Why:      "events Google failed in processing for a reason a resend overcomes (consent fixed) would be lost",
		File:     "internal/ledger/processing.go",
		Old:      "\t\tmark(out, r, ix)\n",
		New:      "\t\t_ = out\n",
		Packages: []string{"./internal/ledger"},
	},
	// Meta's 7-day deduplication window.
	{
		Name:     "meta/first-upload-window",
		Why:      "a first upload from a new or lost ledger would resend 6-to-12-day-old events that Meta no longer deduplicates, counting them twice",
		File:     "internal/run/dedupwindow.go",
		Old:      "w.now.Sub(c.Time) >= st.safe && w.now.Sub(c.Time) <= st.maxAge",
		New:      "w.now.Sub(c.Time) >= 2*st.safe && w.now.Sub(c.Time) <= st.maxAge",
		Packages: []string{"./internal/cli"},
		Run:      "TestLostLedgerThirtyDayOldExportDoubleCountsNothing",
	},
	{
		Name:     "meta/unconfirmed-past-window",
		Why:      "an event a crash left unconfirmed would be resent after Meta's window and counted twice",
		File:     "internal/run/dedupwindow.go",
		Old:      "case !st.resend && w.open.Has(c.Platform, c.EventID):",
		New:      "case !st.resend && w.open.Has(c.Platform, c.EventID) && false:",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnconfirmedIsResentToMetaOnlyInsideTheWindow",
	},
	// Identifiers: the phone fast path must answer as the production slow path.
	{
		Name:     "identifier/fast-phone-trunk-zero",
		Why:      "a Taiwanese mobile read by the fast path would keep its trunk 0 (+8860912…), so its hash would match no one's",
		File:     "internal/identifier/phone.go",
		Old:      "\t\t\treturn spell(\"886\", ds[1:])",
		New:      "\t\t\treturn spell(\"886\", ds)",
		Packages: []string{"./internal/identifier"},
		Run:      "TestFastPhoneMatchesLibphonenumber",
	},
	// Times: the day check of the fast path must be the calendar's.
	{
		Name:     "eventtime/days-in-century",
		Why:      "29 February 2100 would be read as a date where time.Parse refuses it: a fast path that answers for a value the library would not",
		File:     "internal/eventtime/clinic.go",
		Old:      "y%4 == 0 && (y%100 != 0 || y%400 == 0)",
		New:      "y%4 == 0",
		Packages: []string{"./internal/eventtime"},
		Run:      "TestDaysInIsTimeDate",
	},
	{
		Name:     "identifier/fast-email-domain-characters",
		Why:      "the one-pass e-mail path would take a pasted path or URL (\"a@example.com/x\") as an address and hash it, where emailBase and splitAddress refuse it",
		File:     "internal/identifier/email.go",
		Old:      "bad = bad || notInDomain[c]",
		New:      "bad = bad || c == '['",
		Packages: []string{"./internal/identifier"},
		Run:      "TestEmailAddressMatchesEmailBase",
	},
	{
		Name:     "lowerhex/pair-order",
		Why:      "every hash in the review CSV and every event id would be spelled with each byte's two hex digits swapped: hashes no platform would match",
		File:     "internal/lowerhex/lowerhex.go",
		Old:      "t[i] = uint16(digits[i>>4]) | uint16(digits[i&15])<<8",
		New:      "t[i] = uint16(digits[i&15]) | uint16(digits[i>>4])<<8",
		Packages: []string{"./internal/lowerhex"},
		Run:      "TestEveryByte",
	},
	{
		Name:     "reviewcsv/plain-field-quote",
		Why:      "an event name or click id holding a double quote would be written unquoted: the reviewer's spreadsheet would split or merge the row's cells",
		File:     "internal/sink/reviewcsv/reviewcsv.go",
		Old:      "q[','], q['\"'], q['\\r'], q['\\n'] = true, true, true, true",
		New:      "q[','], q['\\r'], q['\\n'] = true, true, true",
		Packages: []string{"./internal/sink/reviewcsv"},
		Run:      "TestQuotingMatchesEncodingCSV",
	},
	{
		Name:     "consent/screened-dated-revocation",
		Why:      "under revoked_allows_earlier, a visit on or after the date of a dated revocation would be sent: the judge would skip the date Screen leaves to Decide",
		File:     "internal/consent/consent.go",
		Old:      "\tif p.allowsEarlier {\n\t\treturn p.Decide(in)\n\t}",
		New:      "\tif false {\n\t\treturn p.Decide(in)\n\t}",
		Packages: []string{"./internal/consent"},
		Run:      "TestDecideScreenedIsDecide",
	},
	// The platform home: a platform gets its own rules and click ids, never another's.
	{
		Name:     "platform/no-rule-falls-back",
		Why:      "a platform added without a rule for a field would have it normalised by Google's rules: a silent mix of two platforms' hashes",
		File:     "internal/identifier/identifier.go",
		Old:      "\t\tif rule == nil {\n\t\t\treturn \"\", reject(ReasonNoRules)",
		New:      "\t\tif rule == nil {\n\t\t\treturn normalize(Google, f, raw, opt)",
		Packages: []string{"./internal/run"},
		Run:      "TestAThirdPlatformDryRunsByItsOwnRules",
	},
	{
		Name:     "platform/click-ids-not-by-spec",
		Why:      "a platform whose Spec names some click ids would be sent every click id of the row, another platform's included",
		File:     "internal/pipeline/plain.go",
		Old:      "if !slices.Contains(spec.ClickIDs, id.Key) {",
		New:      "if !slices.Contains(spec.ClickIDs, id.Key) && len(spec.ClickIDs) == 0 {",
		Packages: []string{"./internal/run"},
		Run:      "TestAThirdPlatformDryRunsByItsOwnRules",
	},
	// Google's health-data default: click ids only.
	{
		Name:     "google/click-ids-only-default",
		Why:      "a config that never chose would send hashed e-mail and phone to Google, which its customer data policy forbids for purchases of medical services",
		File:     "internal/platform/spec.go",
		Old:      "\t\tDefaultIdentifiers: nil,",
		New:      "\t\tDefaultIdentifiers: []string{\"email\", \"phone\"},",
		Packages: []string{"./internal/pipeline", "./internal/config"},
	},
	{
		Name:     "google/no-click-id-excluded",
		Why:      "a row without a click id, under the click-ids-only default, would be counted as an identifier fault (and alerted on) instead of excluded by policy",
		File:     "internal/pipeline/shape.go",
		Old:      "\t\t\tr.skip[i] = ReasonNoClickID // told click ids only, and the row has none",
		New:      "\t\t\tr.skip[i] = ReasonNoIdentifier",
		Packages: []string{"./internal/pipeline"},
	},
	// One read (issue 29): withdrawals applied at the end of the export.
	{
		Name:     "read/patient-withdrawn-later",
		Why:      "a patient who revoked on a later row would have their earlier visits sent",
		File:     "internal/pipeline/withdraw.go",
		Old:      "\t\tif revoked {\n\t\t\to.reason = ReasonPatientRevoked",
		New:      "\t\tif false && revoked {\n\t\t\to.reason = ReasonPatientRevoked",
		Packages: []string{"./internal/run"},
		Run:      "TestFileAndStdinSendAndCountAlike|TestStdinRevokesThePatient",
	},
	{
		Name:     "read/order-refused-later",
		Why:      "an order a later row refuses would be sent from its earlier rows: the strictest consent of an order would not win",
		File:     "internal/pipeline/withdraw.go",
		Old:      "\t\tif has {\n\t\t\trefused |= 1 << i",
		New:      "\t\tif false && has {\n\t\t\trefused |= 1 << i",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRefusedByALaterRow",
	},
	// Settling ahead (issue 29): rows settled as they are read, and again
	// at the end only when a later row touched their order.
	{
		Name:     "read/ahead-order-refused-later",
		Why:      "an order refused on a later row would be sent from its earlier rows, settled before the refusal",
		File:     "internal/pipeline/ahead.go",
		Old:      "\thad, err := s.seen.Has(order)\n",
		New:      "\thad, err := false, error(nil)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestSettleAheadEqualsSettleAtTheEnd",
	},
	{
		Name:     "read/ahead-patient-revoked-later",
		Why:      "a patient who revoked on a later row would have the visits settled ahead of the revocation sent",
		File:     "internal/pipeline/ahead.go",
		Old:      "\tif a.nrevoked > 0 {",
		New:      "\tif false && a.nrevoked > 0 {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestSettleAheadEqualsSettleAtTheEnd",
	},
	{
		Name:     "read/change-time",
		Why:      "an export rewritten in place while it is read, its modification time put back, would be sent half old, half new",
		File:     "internal/run/scan.go",
		Old:      "\t\t!changeTime(now).Equal(v.ctime) || v.n != v.before.Size()",
		New:      "\t\tv.n != v.before.Size()",
		Packages: []string{"./internal/run"},
		Run:      "TestRewriteDuringTheReadSendsNothing",
	},
}
