package main

// dobfind25Mutations hold a review of the day's diff (2026-12-07): the
// birth-date veto missed a qualifier in brackets (DOB (guardian),
// 出生日期（母親）) and refused a word naming who recorded the date
// (dob_verified_by_staff); ledger find's "carried by others" count kept
// every matched event id and scanned the ledger once per 1024 of them.
var dobfind25Mutations = register([]mutation{
	{
		Name:     "dobfind25/bracketed-guardian-birth-date-accepted",
		Why:      "DOB (guardian) and 出生日期（母親） would pass as the patient's birth date — accepted by validate and every run, proposed by config init — and a child would pass as an adult",
		File:     "internal/inspect/agecolumns.go",
		Old:      "\t\t\treturn ' '\n\t\t}\n\t\treturn r\n\t}, header)",
		New:      "\t\t\treturn r\n\t\t}\n\t\treturn r\n\t}, header)",
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestBirthDateQualifierInBracketsIsJudged|TestBirthDateOfAnotherPersonRefused|TestConfigInitMapsThePatientsBirthDateNotTheGuardians",
	},
	{
		Name:     "dobfind25/recorder-word-refuses-birth-date",
		Why:      "dob_verified_by_staff and birth_date_per_provider would be refused with exit 2 as another person's birth date, though staff and provider say who checked the patient's own",
		File:     "internal/inspect/agecolumns.go",
		Old:      "return slices.Contains(recorderWords, w) || slices.Contains(subscriberWords, w)",
		New:      "return slices.Contains(subscriberWords, w)",
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestBirthDateQualifierInBracketsIsJudged|TestBirthDateOfAnotherPersonRefused",
	},
	{
		Name:     "dobfind25/subscriber-refusal-without-remedy",
		Why:      "Subscriber DOB's refusal would not say to rename the column in the export when the subscriber is the patient: an adult clinic's config refused with no way on",
		File:     "internal/run/consentheader.go",
		Old:      "\tif why == inspect.BirthOfSubscriber {\n",
		New:      "\tif false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestBirthDateOfAnotherPersonRefused",
	},
	{
		Name:     "dobfind25/placeholder-counted-on",
		Why:      "a placeholder e-mail or phone on every chart would have find keep every matching event's id and read the whole ledger once per 1024 of them, for a count that says nothing of her",
		File:     "internal/run/findshared.go",
		Old:      "\t\t\tif len(keys) == carriedMaxOthers {\n",
		New:      "\t\t\tif false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindStopsCountingAPlaceholder",
	},
	{
		Name:     "dobfind25/placeholder-bound-off-by-one",
		Why:      "a family of 50 other charts sharing her phone would be called a placeholder and not counted",
		File:     "internal/run/findshared.go",
		Old:      "\t\t\tif len(keys) == carriedMaxOthers {\n",
		New:      "\t\t\tif len(keys) == carriedMaxOthers-1 {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindStopsCountingAPlaceholder",
	},
	{
		Name:     "dobfind25/placeholder-json-field-dropped",
		Why:      "--json would say carried_by_others [] for a placeholder on 60 charts: read as nothing carried",
		File:     "internal/cli/ledgerfind.go",
		Old:      "\t\tout.CarriedByOthersMany = append(out.CarriedByOthersMany, ledgerFindManyOut{",
		New:      "\t\t_ = append(out.CarriedByOthersMany, ledgerFindManyOut{",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindStopsCountingAPlaceholder",
	},
})
