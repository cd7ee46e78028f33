package cli

import (
	"maps"
	"strings"
	"testing"
)

// TestChannelsLegendGolden pins the terminal report's legend, the
// paragraph under its tables that says what the marks and the
// perturbation mean, in its four cases: released or exact (--exact), and
// every row counted or only consented ones (channels.consented_only). A
// change of its wording shows in review as a change of this golden file.
func TestChannelsLegendGolden(t *testing.T) {
	var b strings.Builder
	seen := map[string]string{}
	for _, c := range []struct {
		name      string
		exact     bool
		consented string
	}{
		{"released, every row counted", false, "false"},
		{"released, consented rows only", false, "true"},
		{"exact (--exact), every row counted", true, "false"},
		{"exact (--exact), consented rows only", true, "true"},
	} {
		env := maps.Clone(stateEnv(t, "golden"))
		env["HASHGATE_CHANNELS_CONSENTED_ONLY"] = c.consented
		if c.consented == "true" { // the fixture's consent column, not mapped by en.yaml
			env["HASHGATE_INPUT_COLUMNS_CONSENT"] = "Marketing Consent"
			env["HASHGATE_CONSENT_GRANTED"] = "yes"
		}
		args := []string{"channels", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf,
			"--spend", "google=" + chPath("google-ads.csv"), "--spend", "meta=" + chPath("meta-daily.csv")}
		if c.exact {
			args = append(args, "--exact")
		}
		res := runCLI(t, env, "", append(args, chPath("export-en.csv"))...)
		if res.code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, res.code, res.stderr)
		}
		// The legend is the report's last paragraph.
		out := strings.TrimRight(res.stdout, "\n")
		legend := out[strings.LastIndex(out, "\n\n")+2:]
		if prev, dup := seen[legend]; dup {
			t.Errorf("%s prints the legend of %s", c.name, prev)
		}
		seen[legend] = c.name
		b.WriteString("## " + c.name + "\n" + legend + "\n\n")
	}
	golden(t, "channels-legend.txt", b.String())
}
