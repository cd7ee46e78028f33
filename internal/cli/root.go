// Package cli is hashgate's command tree: flag parsing, config loading,
// wiring of the domain packages, and the single mapping from errors to exit
// codes. It is the only package that imports cobra or viper.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/run"
)

// rootOptions are the flags every command shares.
type rootOptions struct {
	ConfigPath    string
	configChanged bool
	Quiet         bool
	LogLevel      string
}

// Main runs hashgate with args and returns the exit code. main() does
// nothing else but call it, so the whole program runs in tests.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f := NewFactory(stdin, stdout, stderr)
	f.Environ = os.Environ
	return execute(ctx, f, args)
}

func execute(ctx context.Context, f *Factory, args []string) int {
	opts := &rootOptions{}
	root := newRootCmdWith(f, opts)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	code := exitCode(err)
	if err != nil && err.Error() != "" {
		printError(f.IO.ErrOut, err, configSuffix(f, opts, cmd))
	}
	return code
}

// printError writes one "hashgate: …" line per joined error, so a config
// with three problems shows three lines. Each ends with where, which
// names the command's config (configSuffix): read in a log that many
// configs' runs write to, a line says whose run failed.
func printError(w io.Writer, err error, where string) {
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			printError(w, e, where)
		}
		return
	}
	if errors.Is(err, context.Canceled) {
		var ri *run.ReadInterrupted
		if errors.As(err, &ri) {
			fmt.Fprintf(w, "hashgate: %s%s\n", ri.Error(), where)
			return
		}
		fmt.Fprintf(w, "hashgate: interrupted%s\n", where)
		return
	}
	msg := strings.TrimSpace(err.Error())
	fmt.Fprintf(w, "hashgate: %s%s\n", msg, whereFor(msg, where))
}

func newRootCmd(f *Factory) *cobra.Command { return newRootCmdWith(f, &rootOptions{}) }

// newRootCmdWith is the command tree over opts, which execute reads after
// the run (the config its errors name).
func newRootCmdWith(f *Factory, opts *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hashgate",
		Short: "Consent-gated, hashed offline conversions from clinic exports to Google Ads and Meta",
		Long: `hashgate reads a clinic's appointment export, keeps only patients with a
recorded consent, normalises and SHA-256-hashes their contact identifiers
exactly as Google and Meta each specify, and writes a hashed CSV for review
or sends offline conversions. Raw personal data never leaves the process.

Configuration, highest precedence first: flags, HASHGATE_<SECTION>_<KEY>
environment variables (HASHGATE_INPUT_HEADER_ROW sets input.header_row),
the YAML file (--config, default ./hashgate.yaml), built-in defaults.

` + exitCodesHelp,
		Example: `  hashgate config init --from export.csv > hashgate.yaml
  hashgate config validate
  hashgate upload --dry-run --out review.csv export.csv
  hashgate upload --report /var/log/hashgate/last.json export.csv`,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          subcommandArgs,
		RunE:          func(c *cobra.Command, _ []string) error { return c.Help() },
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			opts.configChanged = c.Flags().Changed("config")
			return configureLogger(f, opts)
		},
	}
	cmd.SetVersionTemplate("hashgate {{.Version}}\n")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &UsageError{Err: suggestFlag(c, err)} })
	pf := cmd.PersistentFlags()
	pf.StringVar(&opts.ConfigPath, "config", defaultConfigPath, "config file (YAML); also HASHGATE_CONFIG")
	pf.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	pf.StringVar(&opts.LogLevel, "log-level", "warn", "diagnostic log level on stderr: debug, info, warn, error")

	cmd.AddCommand(newUploadCmd(f, opts))
	cmd.AddCommand(newHashCmd(f, opts))
	cmd.AddCommand(newInspectCmd(f, opts))
	cmd.AddCommand(newChannelsCmd(f, opts, nil))
	cmd.AddCommand(newConfigCmd(f, opts))
	cmd.AddCommand(newCheckCmd(f, opts))
	cmd.AddCommand(newStatusCmd(f, opts))
	cmd.AddCommand(newWriteCmd(f, opts))
	cmd.AddCommand(newLedgerCmd(f, opts))
	cmd.AddCommand(newAuthCmd(f, opts))
	cmd.AddCommand(newSecretCmd(f, opts))
	cmd.AddCommand(newVersionCmd(f))
	// Help, --version and completion scripts are what the user asked for,
	// so they go to stdout (hashgate --help | less, hashgate completion bash
	// > file), as gh and restic do; errors and summaries go to stderr. Set
	// before the completion command is added: it captures the writer then.
	cmd.SetIn(f.IO.In)
	cmd.SetOut(f.IO.Out)
	cmd.SetErr(f.IO.ErrOut)
	addCompletionCmd(cmd)
	return cmd
}

func configureLogger(f *Factory, opts *rootOptions) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(opts.LogLevel)); err != nil {
		return &UsageError{Err: fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", opts.LogLevel)}
	}
	if opts.Quiet {
		level = slog.LevelError
	}
	f.Logger = slog.New(slog.NewTextHandler(f.IO.ErrOut, &slog.HandlerOptions{Level: level}))
	return nil
}

// usageArgs marks argument-count mistakes as usage errors (exit 2), said
// in the command's own words (argsError).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := check(c, args); err != nil {
			return &UsageError{Err: argsError(c, len(args))}
		}
		return nil
	}
}

// argsError says what a command takes and how to call it: cobra's "accepts
// 1 arg(s), received 0" named neither the argument nor the command (`hashgate
// inspect` alone, a newcomer's review, 2026-12-06). Two lines: the
// arguments, as the command's Use names them, and its usage line.
func argsError(c *cobra.Command, received int) error {
	names := positionalNames(c.Use)
	cmd := strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ") // after "hashgate: "
	var what error
	switch {
	case names == "":
		what = fmt.Errorf("%s takes no arguments; received %d", cmd, received)
	case received == 0:
		what = fmt.Errorf("%s needs %s", cmd, names)
	default:
		what = fmt.Errorf("%s takes %s; received %d arguments (a path with spaces needs quotes)", cmd, names, received)
	}
	return errors.Join(what, fmt.Errorf("usage: %s (see '%s --help')", c.UseLine(), c.CommandPath()))
}

// positionalNames are the arguments a Use line names ("EXPORT",
// "FIXTURE...", "[EXPORT|-]"): its top-level words and groups after the
// command's name that are neither a flag nor a flag's value.
func positionalNames(use string) string {
	var names []string
	depth, group, afterFlag := 0, "", false
	for _, w := range strings.Fields(use)[1:] {
		if w == "|" && depth == 0 { // --run ID | --patients FILE
			afterFlag = false
			continue
		}
		if depth == 0 {
			group = ""
		}
		group += w
		depth += strings.Count(w, "[") + strings.Count(w, "(") - strings.Count(w, "]") - strings.Count(w, ")")
		if depth > 0 {
			group += " "
			continue
		}
		isFlag := strings.HasPrefix(strings.TrimLeft(group, "[("), "-")
		if !isFlag && !afterFlag {
			names = append(names, group)
		}
		// A bare flag's next word is its value (--for google|meta).
		afterFlag = isFlag && group == w && !strings.ContainsAny(w[:1], "[(")
	}
	return strings.Join(names, " ")
}
