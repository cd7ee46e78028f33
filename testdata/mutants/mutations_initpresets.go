package main

// initpresetsMutations hold config init's reading of a preset's status
// words: an OpenEMR export's pc_apptstatus symbols (">", "x", "?") were
// all "no word hashgate knows", no status was proposed and the openemr
// preset that reads them went unnamed.
var initpresetsMutations = register([]mutation{
	{
		Name:     "initpresets/any-symbol-names-the-preset",
		Why:      "one stray \">\" among Completed and Cancelled would name the openemr preset and print its symbols for an export in hashgate's own words",
		File:     "internal/inspect/presetstatus.go",
		Old:      "\t\tif rows*2 <= st.Filled {\n",
		New:      "\t\tif rows == 0 {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitReadsOpenEMRStatusSymbols",
	},
	{
		Name:     "initpresets/preset-words-unread",
		Why:      "OpenEMR's symbols would be shown but read as no class: no status proposed, no no-show or cancellation listed",
		File:     "internal/inspect/presetstatus.go",
		Old:      "\tif ps, ok := presetStatuses()[p.Preset][w]; ok {\n",
		New:      "\tif ps, ok := presetStatuses()[p.Preset][w]; ok && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitReadsOpenEMRStatusSymbols",
	},
	{
		Name:     "initpresets/preset-not-suggested",
		Why:      "config init would read the statuses as openemr.yaml does and never name the preset",
		File:     "internal/cli/configinit.go",
		Old:      "\t\twritePresetHint(w, p.Preset)\n",
		New:      "\t\t_ = p.Preset\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitReadsOpenEMRStatusSymbols",
	},
})

// initpresetsSourceMutations hold the source's choice by its values: a
// mainland export's 一级来源 (categories) was taken over 二级来源 (百度推广,
// 抖音, 美团: channels) by column order.
var initpresetsSourceMutations = register([]mutation{
	{
		Name:     "initpresets/source-share-ignored",
		Why:      "the source would be picked by column order again: 一级来源's categories over 二级来源's channels, most rows Unattributed",
		File:     "internal/inspect/sourcepick.go",
		Old:      "\t\tif sa, sb := channelShare(cols[ca.col]), channelShare(cols[cb.col]); sa != sb {\n",
		New:      "\t\tif sa, sb := channelShare(cols[ca.col]), channelShare(cols[cb.col]); sa != sb && false {\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestSourceIsTheColumnOfChannelWords",
	},
	{
		Name:     "initpresets/source-equal-scores-column-order",
		Why:      "with equal header scores the share's order would be lost in proposeMapping's sort, which falls back to column order",
		File:     "internal/inspect/sourcepick.go",
		Old:      "\t\tpicked[j].score = scores[j] - float64(j)*1e-9\n",
		New:      "\t\tpicked[j].score = scores[j]\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestSourceIsTheColumnOfChannelWords",
	},
})

// initpresetsValidateMutations hold validation's every-problem-at-once
// rule: a config with every destination disabled got "enable at least one
// destination" alone, its consent column that is no consent named only
// once a destination was enabled.
var initpresetsValidateMutations = register([]mutation{
	{
		Name:     "initpresets/validate-hides-run-problems",
		Why:      "config validate would name the disabled destinations alone again, the consent column only on the next round",
		File:     "internal/cli/configvalidate.go",
		Old:      "\t\treturn errors.Join(c.Validate(), run.ConfigProblems(c))\n",
		New:      "\t\t_ = run.ConfigProblems\n\t\treturn errors.Join(c.Validate())\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestNoDestinationHidesNoOtherProblem",
	},
	{
		Name:     "initpresets/dry-run-hides-consent-column",
		Why:      "a dry-run would stop at the disabled destinations and name the consent column that is no consent only after one is enabled",
		File:     "internal/cli/configload.go",
		Old:      "\treturn errors.Join(c.Validate(), run.ConsentHeaderErrors(c))\n",
		New:      "\t_ = run.ConsentHeaderErrors\n\treturn c.Validate()\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestNoDestinationHidesNoOtherProblem",
	},
})
