package main

// metaoffMutations: a destination whose keys are set but which is
// disabled is said on every run (config.disabledNotices).
var metaoffMutations = register([]mutation{
	{
		Name:     "config/disabled-meta-with-keys-unsaid",
		Why:      "a clinic that filled in Meta's dataset id or ran a test with a Meta test event code, leaving enabled: false as config init writes it, would send nothing to Meta and be told nothing",
		File:     "internal/config/platforms.go",
		Old:      "if m := c.Destinations.Meta; !m.Enabled && (m.DatasetID != \"\" || m.TestEventCode != \"\") {",
		New:      "if m := c.Destinations.Meta; !m.Enabled && m.DatasetID != \"\" && m.TestEventCode != \"\" {",
		Packages: []string{"./internal/config"},
		Run:      "TestADisabledDestinationWithItsKeysIsSaid",
	},
})
