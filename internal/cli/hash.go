package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/platform"
)

// HashOptions are the inputs of `hashgate hash`.
type HashOptions struct {
	f        *Factory
	root     *rootOptions
	Platform string
	Field    string
	Region   string
	Country  string
	Values   []string
}

func newHashCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &HashOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "hash --for google|meta --field FIELD [--region CC] [--country CC] [VALUE...]",
		Short: "Show how one value is normalised and what would be sent",
		Long: `hash prints, per value, "normalised<TAB>sent": the string that is hashed and
the lower-case hex SHA-256 sent to the platform (or, for the fields Google
takes unhashed — postal_code and country — the normalised value itself).
A rejected value prints "-<TAB>-<TAB>reason" and makes the exit status 1.
A value that travels unhashed must also pass the grammar upload checks it
against (a postal code the format of its country, a country code ISO's),
or upload drops it: hash rejects it with upload's reason.

A value holding several e-mails or phones, or a note beside one
("0912-345-678 / 02-2345-6789", "13912345678（本人）"), is split as upload
splits a cell: one line per value it would send.

It is the support tool for "why doesn't my hash match the platform's".
With no VALUE, values are read from standard input, one per line: give a
patient's real e-mail or phone that way, never as an argument, which the
shell's history and every user's ps can read.

The phone region is --region, else the config's region (--config,
HASHGATE_CONFIG, or ./hashgate.yaml when it exists), so that hash answers as
upload would. Without a region, a national number (0912-345-678) is rejected
as phone_region_needed rather than read as another country's. A postal
code for Google is checked against --country (the row's country column in
an upload), else the region.

Fields: email, phone, first_name, last_name, postal_code, city, state, country.`,
		Example: `  echo ' Jane.Doe@Example.com' | hashgate hash --for meta --field email
  hashgate hash --for google --field phone --region TW < phones.txt
  hashgate hash --for google --field postal_code --country TW 10617`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Values = args
			return hashRun(c.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Platform, "for", "", "platform whose rules apply: google or meta (required)")
	fl.StringVar(&opts.Field, "field", "", "identifier field (required)")
	fl.StringVar(&opts.Region, "region", "", "default phone region, ISO 3166-1 alpha-2 (e.g. TW)")
	fl.StringVar(&opts.Country, "country", "", "the country a Google postal code is checked against, ISO 3166-1 alpha-2 (default: the region)")
	return cmd
}

func hashRun(ctx context.Context, o *HashOptions) error {
	if o.Platform == "" || o.Field == "" {
		return &UsageError{Err: errors.New("--for and --field are required (e.g. hash --for meta --field phone --region TW VALUE)")}
	}
	// An error names the flag and what it takes, never the value given:
	// it may be anything a person pasted.
	p, err := platform.Parse(o.Platform)
	if err != nil {
		return &UsageError{Err: fmt.Errorf("--for names no platform hashgate knows: want one of %s", platformNames())}
	}
	field, err := identifier.ParseField(o.Field)
	if err != nil || field == identifier.ExternalID {
		return &UsageError{Err: errors.New("--field names no identifier field: want one of email, phone, first_name, last_name, postal_code, city, state, country")}
	}
	if !p.Supports(field) {
		return &UsageError{Err: fmt.Errorf("--field: %s does not take %s for offline conversions", p, field)}
	}
	region, err := hashRegion(o)
	if err != nil {
		return err
	}
	opt := identifier.Options{Region: region}
	country, err := hashCountry(p, o.Country, region, opt)
	if err != nil {
		return err
	}
	values := o.Values
	if len(values) == 0 {
		sc := bufio.NewScanner(o.f.IO.In)
		for sc.Scan() {
			values = append(values, sc.Text())
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("read standard input: %w", err)
		}
	}
	// One line per value upload would send: a cell "13912345678（本人）"
	// or "0912-345-678 / 02-2345-6789" is split as upload splits it
	// (identifier.Values), where hash used to normalise it whole and
	// answer not_possible_number for a number upload sent (a review). A
	// line that holds no value keeps its own answer (empty, a placeholder).
	var parts []string
	for _, v := range values {
		if vs := identifier.Values(field, v, nil); len(vs) > 0 {
			parts = append(parts, vs...)
		} else {
			parts = append(parts, v)
		}
	}
	values = parts
	w := bufio.NewWriter(o.f.IO.Out)
	rejected := 0
	for _, v := range values {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, nerr := identifier.Normalize(p, field, v, opt)
		s, serr := identifier.Prepare(p, field, v, opt)
		err := errors.Join(nerr, serr)
		if err == nil && !s.IsHashed() {
			// What travels unhashed passes upload's grammar or is
			// dropped there (pipeline's plainGrammar calls the same
			// plaintext.Identifier): printed as sent, it was not.
			if reason := plaintext.Identifier(field, country, s.Text()); reason != "" {
				err = &identifier.Rejection{Reason: reason}
			}
		}
		if err != nil {
			rejected++
			reason := "rejected"
			var rej *identifier.Rejection
			if errors.As(err, &rej) {
				reason = rej.Reason
			}
			fmt.Fprintf(w, "-\t-\t%s\n", reason)
			continue
		}
		fmt.Fprintf(w, "%s\t%s\n", n, s.Text())
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if rejected > 0 {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d of %d values rejected", rejected, len(values))}
	}
	return nil
}

// hashCountry is the country a postal code that travels unhashed is
// checked against, normalised for p as upload normalises a row's country
// cell: --country, else the region. A --country that is no country is a
// usage error naming the flag, never the value; a region that is none
// leaves the country unknown, as an empty country cell does.
func hashCountry(p platform.Platform, flag, region string, opt identifier.Options) (string, error) {
	raw := flag
	if raw == "" {
		raw = region
	}
	if raw == "" {
		return "", nil
	}
	c, err := identifier.Normalize(p, identifier.Country, raw, opt)
	if err != nil && flag != "" {
		return "", &UsageError{Err: errors.New("--country is not an ISO 3166-1 alpha-2 country code (e.g. TW)")}
	}
	return c, nil
}

// checkRegion refuses a region that is no country code, naming where it
// came from (the flag or the variable), never its value.
func checkRegion(v, name string) error {
	if v != "" && !config.ValidRegion(strings.TrimSpace(v)) {
		return &UsageError{Err: fmt.Errorf("%s is not an ISO 3166-1 alpha-2 country code (e.g. TW)", name)}
	}
	return nil
}

// hashRegion is --region, else the region of the config upload would read.
func hashRegion(o *HashOptions) (string, error) {
	// A region that is none is said, naming where it came from — never
	// its value — rather than rejecting every national number.
	if o.Region != "" || o.root == nil {
		if err := checkRegion(o.Region, "--region"); err != nil {
			return "", err
		}
		return config.RegionCode(o.Region), nil
	}
	path, explicit := configPath(o.f, o.root.ConfigPath, o.root.configChanged)
	if !explicit {
		if _, err := os.Stat(path); err != nil {
			// No ./hashgate.yaml: hash needs no config, and the
			// environment may carry the region as it does for an upload
			// (HASHGATE_REGION was ignored here: a review of the CLI).
			// Only that variable: loading every one failed hash on an
			// unrelated malformed one, naming a file that is not there.
			region := o.f.Getenv(envName("region"))
			if err := checkRegion(region, envName("region")); err != nil {
				return "", err
			}
			return config.RegionCode(region), nil
		}
	}
	cfg, err := loadConfig(o.f, path, true, nil, nil)
	if err != nil {
		return "", err
	}
	return cfg.Region, nil
}
