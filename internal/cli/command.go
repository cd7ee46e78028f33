package cli

import (
	"io"

	"github.com/spf13/cobra"
)

// Command returns hashgate's command tree for generators of man pages and
// shell completions (cmd/hashgate-docs). The tree is the one Main runs;
// executing it here would read and write the given streams only.
func Command(stdout, stderr io.Writer) *cobra.Command {
	return newRootCmd(NewFactory(nil, stdout, stderr))
}
