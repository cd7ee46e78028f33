package main

// chanprivacyMutations hold the mends of a privacy officer's review of
// `hashgate channels`: stderr, which travels with the report, carried exact
// counts of the export's rows; the report said it never leaves the clinic;
// settings weaker than the default printed small cells with no mark.
var chanprivacyMutations = register([]mutation{
	{
		Name:     "run/channels-stderr-row-counts",
		Why:      "a released report's stderr, mailed with it by cron, would say \"70 rows read, 4 counted\" and \"2 without consent\" beside a Total of <5",
		File:     "internal/run/channels.go",
		Old:      "exact := rep.NotForSharing",
		New:      "exact := true",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsStderr",
	},
	{
		Name:     "channelreport/consent-never-leaves",
		Why:      "every report would tell its reader that an aggregate that never leaves the clinic discloses no patient — on a report made to leave it",
		File:     "internal/channelreport/i18n.go",
		Old:      `countedAll: "Every appointment row counts, consented or not: what keeps a patient from being singled out in a report that leaves the clinic is the release rule (small counts withheld, figures perturbed, what would give one back hidden), not consent. With channels.consented_only: true only rows whose consent passes the gate count.",`,
		New:      `countedAll: "Every appointment row counts, consented or not (an aggregate that never leaves the clinic discloses no patient).",`,
		Packages: []string{"./internal/channelreport"},
		Run:      "TestConsentSentenceIsTrue",
	},
	{
		Name:     "channels/weaker-min-cell-unmarked",
		Why:      "HASHGATE_CHANNELS_MIN_CELL=2 would print a day's 2 visits with nothing but the legend changed",
		File:     "internal/channels/assemble.go",
		Old:      "if c.MinCell < config.DefaultMinCell {",
		New:      "if c.MinCell < 1 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsWeakerThanDefault",
	},
	{
		Name:     "channels/weaker-at-the-default",
		Why:      "every report at the default dominance_share would say it is below the default protection: a warning always there is read by no one",
		File:     "internal/channels/assemble.go",
		Old:      "if c.DominanceShare > config.DefaultDominanceShare {",
		New:      "if c.DominanceShare >= config.DefaultDominanceShare {",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsWeakerThanDefault",
	},
	{
		Name:     "channelreport/weaker-page-unmarked",
		Why:      "the HTML page, the form sent to head office, would carry a weaker min_cell with no banner",
		File:     "internal/channelreport/html.go",
		Old:      `{{with .BelowDefault}}<p class="nfs weak" role="alert">{{.}}</p>{{end}}`,
		New:      ``,
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsWeakerThanDefault",
	},
	{
		Name:     "channelreport/weaker-csv-blank",
		Why:      "the CSV's records would leave below_default_protection empty: a spreadsheet of small cells with no mark",
		File:     "internal/channelreport/data.go",
		Old:      "rec = append(rec, weaker)",
		New:      `rec = append(rec, "")`,
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsWeakerThanDefault",
	},
	{
		Name:     "channelreport/weaker-table-unmarked",
		Why:      "the terminal table, the form cron mails, would carry a weaker setting with no line",
		File:     "internal/channelreport/text.go",
		Old:      `if s := lexicon["en"].belowDefault(r); s != "" {`,
		New:      `if s := lexicon["en"].belowDefault(r); s == "x" {`,
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsWeakerThanDefault",
	},
	{
		Name:     "cli/weaker-origin-unnamed",
		Why:      "stderr would blame the config file for a min_cell the environment set: the person running the report looks in the wrong place",
		File:     "internal/cli/channels.go",
		Old:      `if name := envName(k); o.f.Getenv(name) != "" {`,
		New:      `if name := envName(k); o.f.Getenv(name) == "x" {`,
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsWeakerThanDefault",
	},
	{
		Name:     "inspect/json-channel-counts-unmarked",
		Why:      "inspect --json would carry exact per-channel click-id counts with no word that they are not for sharing, while the text says so under them",
		File:     "internal/inspect/inspect.go",
		Old:      "\t\tp.NotForSharing = true\n",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestInspectChannelClickIDsPrintNoSourceValue",
	},
})
