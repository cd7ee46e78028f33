package main

// sharedcfg24Mutations hold ledger.shared_destinations: a config that says
// it shares its destinations on purpose is recorded without the nightly
// copied-config warning.
var sharedcfg24Mutations = register([]mutation{
	{
		Name:     "sharedcfg24/shared-destinations-ignored",
		Why:      "one clinic's second config on one ledger would be warned every night as a copied config, silenced only by --accept-new-ids, which passes that night's other stops",
		File:     "internal/run/eventkey.go",
		Old:      "other != \"\" && !cfg.Ledger.SharedDestinations {\n",
		New:      "other != \"\" {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestACopiedConfigIsToldWhoseAccountsItNames",
	},
	{
		Name:     "sharedcfg24/shared-destinations-in-the-digest",
		Why:      "every config's digest (report config_sha256, the ledger's runs) would move on upgrade though none sets the key",
		File:     "internal/config/config.go",
		Old:      "`mapstructure:\"shared_destinations\" json:\",omitempty\"`",
		New:      "`mapstructure:\"shared_destinations\"`",
		Packages: []string{"./internal/cli"},
		Run:      "TestSettleGolden",
	},
})
