package main

// mendsbMutations hold the fixes of a review of the seventh of December:
// the config's folders judged by owner as well as mode, a path resolved
// as the kernel does, the names rule's false positives, currencies named
// in a value, and smaller leftovers.
var mendsbMutations = register([]mutation{
	{
		Name:     "mendsb/folder-owner-ignored",
		Why:      "a config in a 0755 folder another user owns would pass for uploads: they rename it away and put their graph_url in its place",
		File:     "internal/outfile/folders.go",
		Old:      "\t\t\tif _, foreign := ForeignOwner(dir); foreign {\n",
		New:      "\t\t\tif _, foreign := ForeignOwner(dir); foreign && false {\n",
		Packages: []string{"./internal/outfile", "./internal/cli"},
		Run:      "TestUnsafeFolderRefusesAFolderAnotherUserOwns|TestAConfigAnotherUserOwnsIsRefusedForUploads",
	},
	{
		Name:     "mendsb/config-owner-ignored",
		Why:      "a config file another user owns, which they may rewrite, would pass for uploads",
		File:     "internal/cli/secretfile.go",
		Old:      "\tif uid, foreign := outfile.ForeignOwner(path); foreign {\n",
		New:      "\tif uid, foreign := outfile.ForeignOwner(path); foreign && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAConfigAnotherUserOwnsIsRefusedForUploads",
	},
	{
		Name:     "mendsb/dotdot-cleaned-first",
		Why:      "safe/link/../cfg.yaml would be checked as safe/cfg.yaml while the kernel reads cfg.yaml beside link's target, from a folder others can write",
		File:     "internal/outfile/folders.go",
		Old:      "\tif real, err := filepath.EvalSymlinks(raw); err == nil {\n",
		New:      "\tif real, err := filepath.EvalSymlinks(filepath.Clean(raw)); err == nil {\n",
		Packages: []string{"./internal/outfile"},
		Run:      "TestUnsafeFolderFollowsDotDotAfterALink",
	},
	{
		Name:     "mendsb/ortho-anywhere",
		Why:      "ortho and dental would again match inside any word: NorthOffice, Occidental refused as channel labels, every run stopped",
		File:     "internal/phi/phi.go",
		Old:      `var wordOnly = []string{"perio", "ortho", "dental"}`,
		New:      `var wordOnly = []string{"perio"}`,
		Packages: []string{"./internal/phi"},
		Run:      "TestNeutralNamesPass",
	},
	{
		Name:     "mendsb/phrase-across-words",
		Why:      "a phrase would again match across a word's edge once the name is glued: Supplemental Health refused as mental health",
		File:     "internal/phi/phi.go",
		Old:      "\t\t\tif wordRun(words, k.glued) {\n",
		New:      "\t\t\tif strings.Contains(glue(s), k.glued) {\n",
		Packages: []string{"./internal/phi"},
		Run:      "TestNeutralNamesPass",
	},
	{
		Name:     "mendsb/phrase-glued-missed",
		Why:      "a phrase written glued (MentalHealthVisit, rootcanal) would pass as Meta's event_name",
		File:     "internal/phi/phi.go",
		Old:      "\t\t\tif wordRun(words, k.glued) {\n",
		New:      "\t\t\tif wordRun(words, k.glued) && false {\n",
		Packages: []string{"./internal/phi"},
		Run:      "TestNamesHideNoTerm",
	},
	{
		Name:     "mendsb/five-letters-in-click-ids",
		Why:      "a random gclid holding ortho, apnea or obgyn would again be dropped as click_id_health_term, its conversion lost",
		File:     "internal/phi/phi.go",
		Old:      "inToken: free && n >= 6,",
		New:      "inToken: free && n >= 5,",
		Packages: []string{"./internal/phi"},
		Run:      "TestRandomClickIDsHoldingAShortTermPass",
	},
	{
		Name:     "mendsb/fee-currency-unchecked",
		Why:      "a fee written USD 120 in a TWD clinic would again be sent as 120 TWD",
		File:     "internal/pipeline/value.go",
		Old:      "money.ParseIn(raw, cur, r.cfg.Input.DecimalComma)",
		New:      "money.ParseIn(raw, \"\", r.cfg.Input.DecimalComma)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAFeeNamingAnotherCurrencyIsNotSent",
	},
	{
		Name:     "mendsb/fee-currency-forgotten",
		Why:      "the currency a fee cell names would be trimmed and forgotten: USD 120 read as the row's currency",
		File:     "internal/money/money.go",
		Old:      "\tif currency != \"\" && codes != nil && !slices.Contains(codes, strings.ToUpper(currency)) {\n",
		New:      "\tif currency != \"\" && codes != nil && !slices.Contains(codes, strings.ToUpper(currency)) && false {\n",
		Packages: []string{"./internal/money"},
		Run:      "TestParseInRefusesAnotherCurrency",
	},
})
