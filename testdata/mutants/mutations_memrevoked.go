package main

// memrevokedMutations hold the mends of the memory review of the
// remembered withdrawals (session 21): the patients the ledger remembers
// as withdrawn, which are never pruned, are read into a structure whose
// memory does not grow with them, and found there by every worker.
var memrevokedMutations = register([]mutation{
	{
		Name:     "memrevoked/remembered-in-memory",
		Why:      "every remembered withdrawal would be kept in memory however many the ledger holds: 115 MB at 1M patients, 478 MB at 10M, on every upload and dry-run",
		File:     "internal/ledger/revoked.go",
		Old:      "m := keyset.NewMins(\"\", keyset.Sizes{BloomBits: rememberedBloomBits})",
		New:      "m := keyset.NewMins(\"\", keyset.Sizes{BloomBits: rememberedBloomBits, TableSlots: 1 << 40})",
		Packages: []string{"./internal/ledger"},
		Run:      "TestRememberedWithdrawalsStayFlat",
	},
	{
		Name:     "memrevoked/filter-misses-a-remembered-patient",
		Why:      "a remembered patient the filter fails to hold would be looked up nowhere: their later visits sent once the ledger remembers more than a few thousand patients",
		File:     "internal/keyset/mins.go",
		Old:      "\t\tm.bloomAdd(mix(p.key ^ orderBit))",
		New:      "\t\tm.bloomAdd(mix(p.key))",
		Packages: []string{"./internal/pipeline", "./internal/keyset"},
		Run:      "TestRememberedWithdrawals$|TestMinsServesTheRemembered",
	},
	{
		Name:     "memrevoked/first-block-skipped",
		Why:      "a remembered patient whose digest falls in a block other than the one its index names would be missed: sent",
		File:     "internal/keyset/mins.go",
		Old:      "\tb := sort.Search(len(r.index), func(i int) bool { return r.index[i] > k }) - 1",
		New:      "\tb := sort.Search(len(r.index), func(i int) bool { return r.index[i] >= k }) - 1",
		Packages: []string{"./internal/keyset"},
		Run:      "TestMinsServesTheRemembered|TestMinsMatchesAMap",
	},
	{
		Name:     "memrevoked/revoking-on-heap",
		Why:      "every revoking row's record would stay in memory until the ledger wrote them: tens of MB on an export where millions withdraw",
		File:     "internal/pipeline/revoking.go",
		Old:      "r.held, r.whole = spool.New(\"\", 0), keyset.New(\"\", keyset.Sizes{})",
		New:      "r.held, r.whole = spool.New(\"\", 1<<30), keyset.New(\"\", keyset.Sizes{})",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRevokingPatientsStayFlat",
	},
	{
		Name:     "memrevoked/dated-record-counts-as-whole",
		Why:      "a patient whose first revoking row was dated would skip their later outright revocation: remembered from the day only, their earlier appointments sent",
		File:     "internal/pipeline/revoking.go",
		Old:      "\thad, err := r.whole.Seen(digest, from == 0)",
		New:      "\thad, err := r.whole.Seen(digest, true)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRevokingKeepsWhatTheLedgerMerges",
	},
	{
		Name:     "memrevoked/merge-keeps-the-last",
		Why:      "the ledger would remember a patient's last revoking row's day, not the earliest: their appointments between the two days sent",
		File:     "internal/ledger/revokedonce.go",
		Old:      "ELSE min(from_day, excluded.from_day) END`",
		New:      "ELSE excluded.from_day END`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestRevokedRecordsMerge",
	},
	{
		Name:     "memrevoked/unrevoke-legacy-ignored",
		Why:      "unrevoke --patients would no longer forget a patient an older hashgate remembered under the key as written: they stay withdrawn, counted as not remembered",
		File:     "internal/ledger/revoked.go",
		Old:      "\t\tif err == nil && legacy != 0 && legacy != patient {",
		New:      "\t\tif err == nil && legacy != 0 && legacy == patient {",
		Packages: []string{"./internal/run"},
		Run:      "TestUnrevokeListStaysFlat",
	},
	{
		Name:     "memrevoked/unrevoke-counts-each-spelling",
		Why:      "a patient listed under two spellings would count twice in \"forgot the withdrawal of N\"",
		File:     "internal/ledger/revoked.go",
		Old:      "\t\tif err == nil && !had {\n\t\t\tforgot++",
		New:      "\t\tif err == nil && !had || true {\n\t\t\tforgot++",
		Packages: []string{"./internal/run", "./internal/cli"},
		Run:      "TestUnrevokeListStaysFlat|TestUnrevokeFoldsPatientKeysAsTheExportDoes",
	},
})
