package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/editdistance"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// suggestDistance is how far a typed name may be from a known one to be
// suggested: cobra's default SuggestionsMinimumDistance, used for commands,
// flags and config keys alike so the three behave the same.
const suggestDistance = 2

// suggest returns the candidates within suggestDistance edits of typed, or
// starting with it, closest first (cobra's rule for commands: case-insensitive
// Levenshtein distance or prefix).
func suggest(typed string, candidates []string) []string {
	typed = strings.ToLower(typed)
	type scored struct {
		name string
		d    int
	}
	var hits []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == typed {
			continue
		}
		d := editdistance.Levenshtein(typed, lc)
		if d <= suggestDistance || (len(typed) >= 3 && strings.HasPrefix(lc, typed)) {
			hits = append(hits, scored{c, d})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return a.d - b.d })
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		if !slices.Contains(out, h.name) {
			out = append(out, h.name)
		}
	}
	return out
}

// didYouMean renders suggestions as " (did you mean X?)" or " (did you mean
// X or Y?)", or nothing.
func didYouMean(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return " (did you mean " + s[0] + "?)"
	}
	if len(s) > 3 {
		s = s[:3]
	}
	return " (did you mean " + strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1] + "?)"
}

// subcommandArgs is the Args of a command that only groups subcommands
// (hashgate, hashgate ledger, hashgate config, hashgate auth): an argument
// is a mistyped subcommand, answered with the closest names as gh does.
func subcommandArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	hint := didYouMean(suggest(args[0], names))
	return &UsageError{Err: fmt.Errorf("unknown command %q for %q%s; see '%s --help'", args[0], c.CommandPath(), hint, c.CommandPath())}
}

// suggestFlag adds the closest flag names to pflag's "unknown flag: --x".
func suggestFlag(c *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return err
	}
	var names []string
	c.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden {
			names = append(names, "--"+fl.Name)
		}
	})
	c.InheritedFlags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden {
			names = append(names, "--"+fl.Name)
		}
	})
	hint := didYouMean(suggest("--"+name, names))
	if hint == "" {
		return fmt.Errorf("%w; see '%s --help'", err, c.CommandPath())
	}
	return fmt.Errorf("%w%s", err, hint)
}

// addCompletionCmd adds cobra's completion command now rather than at
// Execute, so it carries examples like every other command and man pages
// and the docs generator see it.
func addCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Example = `  hashgate completion bash > ~/.local/share/bash-completion/completions/hashgate
  hashgate completion zsh > "${fpath[1]}/_hashgate"
  hashgate completion fish > ~/.config/fish/completions/hashgate.fish`
		for _, sh := range c.Commands() {
			sh.Example = fmt.Sprintf("  hashgate completion %s > hashgate.%s", sh.Name(), sh.Name())
		}
	}
}
