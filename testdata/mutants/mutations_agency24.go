package main

// agency24Mutations hold what an agency running many clinics' configs
// from one crontab needs (session 24): a config config init writes names
// a ledger of its own, and a crontab-wide variable replaces no file a
// config names itself.
var agency24Mutations = register([]mutation{
	{
		Name:     "agency24/init-shared-ledger-name",
		Why:      "config init would name every config's ledger after its file name alone: two clinics' hashgate.yaml in two folders share one ledger, its lock and its fingerprints",
		File:     "internal/cli/configinit_out.go",
		Old:      "\tsum := sha256.Sum256([]byte(abs))\n",
		New:      "\tsum := sha256.Sum256([]byte(filepath.Base(abs)))\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitGivesEachConfigItsOwnLedger",
	},
	{
		Name:     "agency24/crontab-source-wins",
		Why:      "a crontab-wide HASHGATE_DESTINATIONS_META_ACCESS_TOKEN_FILE (or _GOOGLE_CREDENTIALS_FILE, HASHGATE_LEDGER_PATH) would again silently replace the file a clinic's config names",
		File:     "internal/cli/secretfile.go",
		Old:      "\t\tif env == \"\" || !ok || sameFileName(own, env) {\n",
		New:      "\t\tif env == \"\" || !ok || !sameFileName(own, env) {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestACrontabWideSourceDoesNotOverrideTheConfigsOwn",
	},
	{
		Name:     "agency24/copied-config-unsaid",
		Why:      "a config copied from another clinic, its account ids unchanged, would send this clinic's visits to that clinic's accounts with nothing said",
		File:     "internal/run/configof.go",
		Old:      "\t\t\tif other == \"\" && configStillThere(p, self) {\n",
		New:      "\t\t\tif other == \"\" && !configStillThere(p, self) {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestACopiedConfigIsToldWhoseAccountsItNames",
	},
})
