package cli

import "testing"

// TestArgumentMistakesNameTheArgument: `hashgate inspect` alone printed
// cobra's "accepts 1 arg(s), received 0", naming neither the argument nor
// the command (a newcomer's review, 2026-12-06). It names what the command
// takes, from its Use line, and shows how to call it; exit 2.
func TestArgumentMistakesNameTheArgument(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"inspect"}, "hashgate: inspect needs EXPORT\nhashgate: usage: hashgate inspect EXPORT [flags] (see 'hashgate inspect --help')\n"},
		{[]string{"inspect", "a", "b"}, "hashgate: inspect takes EXPORT; received 2 arguments (a path with spaces needs quotes)\nhashgate: usage: hashgate inspect EXPORT [flags] (see 'hashgate inspect --help')\n"},
		{[]string{"check"}, "hashgate: check needs FIXTURE...\nhashgate: usage: hashgate check [--config F] [--json] FIXTURE... [flags] (see 'hashgate check --help')\n"},
		{[]string{"ledger", "stats", "x"}, "hashgate: ledger stats takes no arguments; received 1\nhashgate: usage: hashgate ledger stats [flags] (see 'hashgate ledger stats --help')\n"},
	} {
		r := runCLI(t, nil, "", c.args...)
		if r.code != ExitUsage || r.stderr != c.want {
			t.Errorf("%q: exit %d, stderr\n%s\nwant exit 2 and\n%s", c.args, r.code, r.stderr, c.want)
		}
	}
}

func TestPositionalNamesReadTheUseLine(t *testing.T) {
	for use, want := range map[string]string{
		"inspect EXPORT":                                          "EXPORT",
		"check [--config F] [--json] FIXTURE...":                  "FIXTURE...",
		"upload [--dry-run | --validate] [--out FILE] [EXPORT|-]": "[EXPORT|-]",
		"channels [--spend PLATFORM=FILE]... [--from DATE] [--period all|month|week|day] [--json | --csv | --html FILE] EXPORT": "EXPORT",
		"hash --for google|meta --field FIELD [--region CC] [VALUE...]":                                                         "[VALUE...]",
		"unrevoke --run ID | --patients FILE":                                                                                   "",
		"stats":                                                                                                                 "",
	} {
		if got := positionalNames(use); got != want {
			t.Errorf("positionalNames(%q) = %q, want %q", use, got, want)
		}
	}
}
