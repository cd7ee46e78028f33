package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/eventid"
)

// SecretOptions are the inputs of `hashgate secret`.
type SecretOptions struct {
	f    *Factory
	root *rootOptions
}

func newSecretCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &SecretOptions{f: f, root: root}
	return &cobra.Command{
		Use:   "secret",
		Short: "Print a new secret for HASHGATE_SECRET",
		Long: `secret prints a new random key for event ids: 32 bytes from the operating
system's generator, URL-safe base64 (43 characters), on stdout and nothing
else there, so it can go straight into a file:

  umask 077; printf 'HASHGATE_SECRET=%s\n' "$(hashgate secret)" >> /etc/hashgate/secrets.env

Uploads and manual-upload files refuse the public demo key, secrets shorter
than 32 bytes and secrets whose estimated entropy (zxcvbn) is below 90 bits. Set the secret once:
changing it on a running setup gives every visit a new event id, and the
platforms would count old visits again.`,
		Example: `  umask 077; printf 'HASHGATE_SECRET=%s\n' "$(hashgate secret)" >> /etc/hashgate/secrets.env`,
		Args:    usageArgs(cobra.NoArgs),
		RunE:    func(c *cobra.Command, _ []string) error { return secretRun(c.Context(), opts) },
	}
}

func secretRun(_ context.Context, o *SecretOptions) error {
	key, err := eventid.NewKey()
	if err != nil {
		return fmt.Errorf("generate a secret: %w", err)
	}
	if _, err := fmt.Fprintln(o.f.IO.Out, key); err != nil {
		return err
	}
	if !o.root.Quiet {
		fmt.Fprintln(o.f.IO.ErrOut, "hashgate: keep it as HASHGATE_SECRET in a file only the upload's user can read (chmod 600); never change it once uploads have started")
	}
	return nil
}
