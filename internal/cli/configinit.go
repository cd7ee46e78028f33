package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/inspect"
	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
)

// ConfigInitOptions are the inputs of `hashgate config init`.
type ConfigInitOptions struct {
	f         *Factory
	root      *rootOptions
	From      string
	Out       string
	Force     bool
	HeaderRow int
}

func newConfigCmd(f *Factory, root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write a starting configuration, or check one",
		Example: `  hashgate config init --from export.csv --out hashgate.yaml
  hashgate config validate --config hashgate.yaml`,
		Args: subcommandArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	opts := &ConfigInitOptions{f: f, root: root}
	initCmd := &cobra.Command{
		Use:   "init [--from EXPORT] [--out FILE]",
		Short: "Write a commented starting config, filled in from an export when given",
		Long: `config init prints a commented configuration to start from. With --from,
the export is inspected first (see 'hashgate inspect') and the encoding,
columns, region, time zone and consent words it shows are filled in; the
rest stays as commented defaults. No cell value is copied into the file.

It proposes a consent column only by its header, never an opt-out
(Unsubscribed, Do Not Contact); what the export cannot say — a consent no
header names, a status or order id column it lacks, the region and
currency when no phone number points to a country — is marked ASK: in the
file and listed on stderr: answer it before the first upload.

With --out it also names a ledger of the config's own (ledger.path): an
absolute path under the state directory made from the config's path, so
configs made for several clinics never share the default ledger. Written
to standard output, the config names none.

Review every line before the first upload: the consent column and the
values that mean yes decide what is sent. configs/example.yaml documents
every key.`,
		Example: `  hashgate config init --from export.csv --out hashgate.yaml
  hashgate config init > hashgate.yaml`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return configInitRun(c.Context(), opts) },
	}
	fl := initCmd.Flags()
	fl.StringVar(&opts.From, "from", "", "an export to fill the config in from")
	outVarP(fl, &opts.Out, "", "write to FILE instead of standard output (- is standard output)")
	fl.BoolVar(&opts.Force, "force", false, "overwrite --out if it exists")
	fl.IntVar(&opts.HeaderRow, "header-row", 0, "1-based header line of --from (0 finds it)")
	cmd.AddCommand(initCmd)
	cmd.AddCommand(newConfigValidateCmd(f, root))
	return cmd
}

func configInitRun(ctx context.Context, o *ConfigInitOptions) error {
	if o.HeaderRow < 0 {
		return &UsageError{Err: fmt.Errorf("--header-row: want a line number (1, 2, …) or 0 to find it, got %d", o.HeaderRow)}
	}
	if o.HeaderRow > 0 && o.From == "" {
		return &UsageError{Err: errors.New("--header-row needs --from")}
	}
	// --out is checked before the export is read: a refusal costs nothing.
	if err := checkInitOut(o); err != nil {
		return err
	}
	var p *inspect.Profile
	if o.From != "" {
		var err error
		if p, err = profileExport(ctx, o.f, o.root, o.From, "auto", "", o.HeaderRow); err != nil {
			return err
		}
	}
	text, led := starterConfig(p, o.HeaderRow), ""
	if o.Out != "" {
		var err error
		if led, err = initLedgerPath(o); err != nil {
			return err
		}
		text += ledgerBlock(led)
	}
	target := o.Out
	if o.Out == "" {
		if _, err := fmt.Fprint(o.f.IO.Out, text); err != nil {
			return err
		}
		target = "hashgate.yaml"
	} else if err := writeInitOut(o, text); err != nil {
		return err
	}
	writeInitSummary(o.f.IO.ErrOut, o, p, target, led)
	return nil
}

// writeInitSummary tells the user on stderr what config init wrote and
// what to do next: what it could not decide, then the next command.
func writeInitSummary(w io.Writer, o *ConfigInitOptions, p *inspect.Profile, target, led string) {
	where := "to standard output"
	if o.Out != "" {
		where = "to " + o.Out
	}
	if p == nil {
		fmt.Fprintf(w, "hashgate: wrote a commented starting config %s.\n", where)
	} else {
		fmt.Fprintf(w, "hashgate: wrote a config %s from %s: %d of its columns mapped.\n", where, p.File, len(p.Proposed))
		for _, q := range openQuestions(p) {
			fmt.Fprintf(w, "  to answer: %s\n", q)
		}
		for _, c := range consentChecks(p) {
			fmt.Fprintf(w, "  check input.columns.consent: %s\n", c)
		}
		fmt.Fprintf(w, "  read the consent.granted and conversion.statuses words: they decide what is sent.\n")
	}
	writeInitLedger(w, led)
	// Said here too: a clinic that wants Meta finds it off only after a
	// night of Google-only uploads otherwise.
	fmt.Fprintf(w, "  destinations.meta is off: Meta's terms forbid health information; its comment says what enabling it needs.\n")
	if p != nil && p.Region == "CN" {
		fmt.Fprintf(w, "  every destination is off: a mainland clinic's uploads need PIPL's separate consents (Art. 29, 23, 39) and a transfer mechanism (Art. 38), then consent.pipl_separate_consents: true; the destinations comment says more.\n")
	}
	if o.Out == "" {
		fmt.Fprintf(w, "next: save it (--out %s), then: hashgate config validate --config %s\n", target, target)
		return
	}
	fmt.Fprintf(w, "next: hashgate config validate --config %s, then hashgate upload --dry-run --config %s EXPORT\n", target, target)
}

// ask marks the lines config init cannot fill in: what no export states.
const ask = "ASK:"

// starterConfig renders the commented config. Every value in it is a
// header name, a detected setting or a word of hashgate's vocabulary.
func starterConfig(p *inspect.Profile, headerRow int) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	col := func(key string) []string {
		if p == nil {
			return nil
		}
		return p.Mapped(key)
	}
	why := func(key string) string {
		if p == nil {
			return ""
		}
		for _, m := range p.Proposed {
			if m.Key == key {
				return m.Why
			}
		}
		return ""
	}
	w("# hashgate configuration")
	if p != nil {
		w(", started by `hashgate config init --from %s`.\n", commentText(p.File))
		w("# Detected: %s, %s-separated, header on line %d, %d rows.\n", p.Encoding, p.Delimiter, p.HeaderLine, p.Rows)
	} else {
		w(", started by `hashgate config init`.\n")
	}
	w("# Review every line; configs/example.yaml documents every key. Lines marked %s\n# are what the export cannot say: answer them.\n\n", ask)
	tz, region := "", ""
	if p != nil {
		tz, region = p.Timezone, p.Region
	}
	// A mainland clinic (its phone numbers point to CN; Hong Kong's and
	// Macau's to HK and MO, which PIPL does not govern): every destination
	// is written disabled (writePIPL).
	mainland := region == "CN"
	switch {
	case tz != "":
		w("# IANA zone of appointment times written without an offset; the phone numbers\n# point to %s.\ntimezone: %s\n", region, yamlString(tz))
	case p != nil && p.ZoneStated && orderIDTimed(p):
		// The order id proposed holds the appointment time: without a
		// zone the time entered each event id in the offset its cell
		// stated, and a night re-exported with other offsets was sent
		// again (a review of time handling); config validate refuses it.
		w("timezone: %q  # %s the clinic's IANA time zone (e.g. America/Chicago): the order id includes the appointment time, and each visit's id must not change with the offset the export writes it in\n", config.Unanswered, ask)
	case p != nil && p.ZoneStated:
		// Left empty, not config.Unanswered: uploads need no zone here, and
		// an open question would stop them; channels refuses an empty one.
		w("# The appointment times carry their UTC offset: uploads need no zone, but\n# hashgate channels counts the clinic's days, weeks and months in it.\ntimezone: \"\"  # %s the clinic's IANA time zone (e.g. America/Chicago) before running channels\n", ask)
	default:
		w("timezone: %q  # %s the clinic's IANA time zone (e.g. America/Chicago): the export states none\n", config.Unanswered, ask)
	}
	if region == "" {
		// Asked on stderr too (openQuestions): an ASK line, as every open
		// question in the file is.
		w("# Default phone region for numbers without a country code (TW, CN, US…).\nregion: %q  # %s no phone number points to a country\n\n", config.Unanswered, ask)
	} else {
		w("# Default phone region for numbers without a country code (TW, CN, US…).\nregion: %s\n\n", yamlString(region))
	}
	w("input:\n")
	if p != nil && p.Preset != "" {
		writePresetHint(w, p.Preset)
	}
	enc := "auto"
	if p != nil && p.Encoding != "utf-8" {
		enc = p.Encoding // detected: pin it, so a later file that is all ASCII at the top still decodes right
	}
	w("  encoding: %s\n", enc)
	if headerRow > 0 {
		w("  header_row: %d  # given to config init with --header-row\n", headerRow)
	} else {
		w("  header_row: 0  # 0 finds it by the column names below\n")
	}
	if p != nil && p.FooterLines > 0 {
		w("  # The last %d line(s) fill one or two cells where rows fill many: a footer\n  # (a total, \"Export generated by\"). Check, then keep or set 0.\n  skip_footer_lines: %d\n", p.FooterLines, p.FooterLines)
	}
	if p != nil && p.DateOrder != "" {
		w("  # Numeric dates: a day above 12 in the %s field proves the order.\n  date_order: %s\n",
			map[string]string{"mdy": "second", "dmy": "first"}[p.DateOrder], p.DateOrder)
	}
	switch {
	case p != nil && p.ShortYearDates:
		w("  date_order: %q  # %s dates with a two-digit year at one end or the other (such as 24/06/08) were found:\n", config.Unanswered, ask)
		w("  #   ymd (2024-06-08), dmy (24 June 2008) or mdy; no field above 12 can tell which\n")
	case p != nil && p.NeedDateOrder:
		w("  date_order: %q  # %s dates such as 5/8/2024 were found and no day above 12 proves mdy (US) or dmy\n", config.Unanswered, ask)
	}
	if p != nil && p.UnreadDates != "" {
		w("  # %s most values of %s are in no date form hashgate reads by default: give their\n", ask, commentText(strconv.Quote(p.UnreadDates)))
		w("  # layouts as Go writes them (\"Jan 2, 2006 3:04 PM\", \"02-Jan-06 15:04\"), then check with a dry-run\n")
		w("  time_formats: [%q]\n", config.Unanswered)
	}
	if p != nil && p.NoYearDates {
		w("  # Dates without a year (month and day only) were found: the upload window fixes the year\n")
		w("  # of every date hashgate can still send. Set a year only for an older file.\n  # default_year: 2026\n")
	}
	if p != nil && p.DecimalComma {
		// Read as the default reads them, "150,00" is no amount: with
		// conversion.value actual every such visit was held back from
		// Meta (value_not_a_number, purchase_without_value).
		w("  # The fees of %s are written with a decimal comma (150,00, 1.250,00).\n  decimal_comma: true\n", commentText(strconv.Quote(p.Mapped("value")[0])))
	}
	if p != nil && p.ExcelDates {
		w("  # Five-digit numbers were found; if they are Excel dates: \"1900\".\n  excel_dates: \"\"\n")
	}
	w("  columns:\n")
	entry := func(key, what string, list, required bool, notes ...string) {
		h := col(key)
		switch {
		case len(h) > 0 && why(key) != "":
			w("    # %s (%s)\n", what, why(key))
		case len(h) > 0:
			w("    # %s\n", what)
		case required:
			w("    # %s REQUIRED: %s\n", ask, what)
		default:
			w("    # %s\n", what)
		}
		for _, n := range notes {
			w("    #   %s\n", n)
		}
		switch {
		case len(h) == 0 && key == "status":
			// An open question, not an answer: an empty status counted
			// every no-show as a visit and validated (a newcomer's review).
			w("    %s: %q  # %s a column that says whether the patient came, or \"\" with conversion.every_row_is_a_visit: true\n", key, config.Unanswered, ask)
		case len(h) == 0 && list:
			w("    %s: []\n", key)
		case len(h) == 0:
			w("    %s: \"\"\n", key)
		case list:
			w("    %s: [%s]\n", key, strings.Trim(yamlList(h), "[]"))
		default:
			w("    %s: %s\n", key, yamlString(h[0]))
		}
	}
	entry("order_id", "what identifies one appointment (a list joins columns)", true, true)
	if len(col("appointment_at")) > 0 || len(col("appointment_date")) == 0 {
		entry("appointment_at", "the appointment's date and time (or appointment_date + appointment_time)", false, true)
	} else {
		entry("appointment_date", "the appointment's date", false, true)
		entry("appointment_time", "the appointment's time", false, false)
	}
	entry("status", "the appointment status; rows whose status is not in conversion.statuses are excluded", false, false)
	entry("consent", "the patient's consent to ad measurement (not SMS or e-mail consent)", false, true, consentNotes(p)...)
	entry("consent_at", "when consent was given; a consent dated after the visit excludes it", false, false)
	writeAgeColumns(w, p)
	entry("email", "e-mail addresses, hashed before they leave", true, false)
	entry("phone", "every phone column, mobile and landline, hashed before they leave", true, false)
	optional := []struct{ key, what string }{
		{"first_name", "first name, hashed; sent only where destinations list it"},
		{"last_name", "last name, hashed; sent only where destinations list it"},
		{"postal_code", "postal code, sent in plain text only in its country's format"},
		{"patient_key", "chart number or patient id; never sent, used by consent.revocations_file"},
		{"value", "the visit's amount; sent only with conversion.value: actual"},
		{"currency", "the amount's currency"},
		{platform.KeyGCLID, "Google's click id: a visit from a Google ad, matched without identifiers"},
		{platform.KeyFBCLID, "Meta's click id: the row belongs to the meta channel, and Meta receives it as fbc"},
		{"source", "how the patient found the clinic; `hashgate channels` attributes by it"},
	}
	for _, o := range optional {
		if len(col(o.key)) > 0 || o.key == "patient_key" || o.key == "source" {
			entry(o.key, o.what, false, false)
		}
	}
	if p != nil && len(p.SetAside) > 0 {
		w("    # Not mapped, on purpose (map one only if it is the patient's own, or their ad consent; never an opt-out):\n")
		for _, s := range p.SetAside {
			w("    #   %s — %s\n", commentText(strconv.Quote(s.Header)), s.Why)
		}
	}
	w("\nconsent:\n  # The values that mean yes; every other value excludes the row (default-deny).\n")
	var granted []inspect.Choice
	unshown := 0
	if p != nil {
		granted, unshown = p.GrantedChoices(), p.Unshown("consent")
	}
	writeChoices(w, "granted", col("consent"), granted, unshown, `["yes"] or [同意]`)
	writeAgeRule(w, p)
	if mainland {
		w("  # Mainland China (PIPL): true says the consent column records the three separate\n")
		w("  # consents and the Art. 38 transfer mechanism is in place (see destinations below).\n")
		w("  pipl_separate_consents: false\n")
	}
	w("\nconversion:\n")
	switch {
	case len(col("status")) == 0:
		w("  # %s No status column was recognised (input.columns.status). If the export has\n", ask)
		w("  # one, set it and list the values that mean the patient came:\n")
		w("  # statuses: [completed]\n")
		w("  # If every row is a visit (an arrivals list), set input.columns.status: \"\" and\n")
		w("  # uncomment the next line; a no-show or cancellation would then be sent as a visit.\n")
		w("  # every_row_is_a_visit: true\n")
	default:
		var statuses []inspect.Choice
		if p != nil {
			statuses, unshown = p.StatusChoices(), p.Unshown("status")
		}
		w("  # Status values that mean the patient came; rows with any other status are\n  # excluded (status_not_converted).\n")
		writeChoices(w, "statuses", col("status"), statuses, unshown, `[completed] or [已完成]`)
		var noShows, cancelled []inspect.Choice
		if p != nil {
			noShows, cancelled = p.NoShowChoices(), p.CancelledChoices()
		}
		w("  # The channel report's other outcomes (hashgate channels): its show rate is\n")
		w("  # visits ÷ (visits + no-shows), null while no no-show status is listed.\n")
		writeOutcomes(w, "no_show_statuses", noShows, `[no-show] or [未到]`)
		if len(cancelled) > 0 { // optional; without a word seen, not worth a line
			writeOutcomes(w, "cancelled_statuses", cancelled, "")
		}
	}
	w("  # A neutral event name; health words are refused. Meta deduplicates on\n")
	w("  # event name, event time and order id: never change it once events have\n  # been sent.\n  event_name: Purchase\n")
	w("  # Meta rejects a Purchase without value and currency. fixed sends the same\n")
	if region == "TW" {
		// Taiwan's National Health Insurance: a covered visit carries no
		// fee. Said to a Taiwanese clinic only: in a US or mainland config
		// 健保 named an insurer the clinic does not have (a review).
		w("  # amount for every visit, NHI-covered (健保) ones without a fee included;\n")
	} else {
		w("  # amount for every visit, those without a fee included;\n")
	}
	w("  # exact fees (actual) can reveal the treatment, and visits without one are\n")
	w("  # then held back from Meta. 1 counts visits; your average visit value lets\n")
	w("  # Meta weigh them.\n  value: fixed\n  fixed_value: 1\n")
	if cur := regionCurrency(region); cur != "" {
		w("  currency: %s\n", cur)
	} else {
		w("  currency: \"\"  # %s ISO 4217 code of the clinic's currency (TWD, CNY, USD…)\n", ask)
	}
	writeChannels(w, p)
	// Identifiers: the ones the export has; a platform sent nothing to
	// match on is refused by validation, naming the column to map.
	ids := []string{}
	for _, k := range []string{"email", "phone"} {
		if len(col(k)) > 0 {
			ids = append(ids, k)
		}
	}
	if len(ids) == 0 {
		ids = []string{"email", "phone"} // REQUIRED columns above
	}
	idList := strings.Join(ids, ", ")
	w("\ndestinations:\n  # What each platform receives (data minimisation); more in configs/example.yaml.\n")
	enabled := "true"
	if mainland {
		writePIPL(w)
		enabled = "false"
	}
	// Google: click ids only (its customer data policy bars hashed data
	// for health advertisers); the comment says how to keep them.
	w("  google:\n    enabled: %s\n", enabled)
	g, gb, wb, fb := platform.KeyGCLID, platform.KeyGBRAID, platform.KeyWBRAID, platform.KeyFBCLID
	w("    # Click ids only (%s, %s, %s): Google's customer data policy (README, Privacy)\n", g, gb, wb)
	w("    # bars enhanced conversions, i.e. hashed e-mail or phone, for \"purchases of medical\n")
	w("    # services\". A visit without a click id is not sent to Google (no_click_id). Keep click\n")
	w("    # ids in the export: the booking form stores the landing URL's %s/%s/%s (and\n", g, gb, wb)
	w("    # %s) in hidden fields saved with the booking; a WhatsApp/LINE booking link carries\n", fb)
	w("    # them in its prefilled text and the front desk copies them into the booking (README,\n")
	w("    # \"Click ids\"). 'hashgate inspect' shows the share of rows with one. List [%s]\n", idList)
	w("    # only if Google's health and medical rules are not the clinic's.\n")
	w("    identifiers: []\n")
	w("    # For uploads (README, \"Google Ads\"); 'hashgate config validate --upload' checks them.\n")
	w("    # operating_account: \"123-456-7890\"   # the Google Ads customer id\n")
	w("    # conversion_action_id: \"\"            # the offline (UPLOAD_CLICKS) conversion action\n")
	w("    # WEB: what Google's own Data Manager samples send to an Import → clicks action (the ad\n")
	w("    # click was on the web). IN_STORE is store sales, a separate allow-listed product, and risks\n")
	w("    # EVENT_SOURCE_AND_DESTINATION_MISMATCH. README, \"Google Ads\", eventSource.\n    event_source: WEB\n")
	// Meta: off. Every export config init reads is a clinic's, and Meta's
	// Business Tools Terms forbid health information (platform.MetaTermsURL,
	// §1.h); a visit tied to hashed contact data is PHI for a US covered
	// entity and health data under the GDPR (shared/docs/clinic-exports.md
	// c.3, c.4), and c.7 item 6 asks a platform's switch to be off by
	// default for health. The comment says what enabling it needs.
	w("  meta:\n")
	w("    # Off for a clinic. Meta's Business Tools Terms (%s, §1.h) forbid\n", platform.MetaTermsURL)
	w("    # sending data that \"includes or is based on, directly or otherwise, health information\",\n")
	w("    # and a visit tied to a hashed e-mail or phone can be that: for a US covered entity it\n")
	w("    # is PHI, in the EU/UK health data. Since 2025 Meta is reported to restrict datasets it\n")
	w("    # classes as health and wellness (Purchase and other lower-funnel events limited for\n")
	w("    # optimisation). README, Privacy, \"Meta's health rules\". Enable it only when each\n")
	w("    # patient sent has consented to sharing with Meta — in the US a HIPAA authorization\n")
	w("    # (45 CFR 164.508(a)(3)), in the EU/UK explicit consent (GDPR art. 9(2)(a)), in Taiwan\n")
	w("    # written consent (PDPA art. 6) — recorded in a column mapped as input.columns.%s\n", platform.KeyConsentMeta)
	w("    # (or the consent column above, if it covers Meta), and the clinic reads Meta's terms\n")
	w("    # as allowing it; config validate and every summary then repeat the rule.\n")
	w("    enabled: false\n    identifiers: [%s]\n", idList)
	w("    # For uploads (README, \"Meta\"): the token comes from HASHGATE_META_ACCESS_TOKEN, never this file.\n")
	w("    # dataset_id: \"\"                      # the dataset's numeric id\n")
	w("    # test_event_code: \"\"                 # with `hashgate upload --validate`: Events Manager → Test events\n")
	return b.String()
}

// writeChannels proposes channels.list: the built-in Google and Meta
// channels with the channel words seen that belong to them, and one channel
// per other channel word of hashgate's vocabulary seen (朋友介紹, 路過, line…).
// Source values that are no channel word — a referrer's name, a campaign
// note — are counted, never shown (package printable).
func writeChannels(w func(string, ...any), p *inspect.Profile) {
	if p == nil || len(p.Mapped("source")) == 0 {
		return
	}
	w("\n# hashgate channels: which channel each appointment came through.\nchannels:\n  min_cell: 5\n")
	seen, unshown := p.SourceWords()
	if unshown > 0 {
		w("  # %d rows of %s hold values that are not channel words hashgate knows; they\n", unshown, yamlString(p.Mapped("source")[0]))
		w("  # are not shown (they can name people). Add a word to a channel's sources if it\n  # is one; the rest count as Unattributed.\n")
	}
	w("  list:\n")
	guard := phi.New(nil, nil)
	claimed := map[string]bool{}
	for _, ch := range config.DefaultChannels() {
		words := append([]string(nil), ch.Sources...)
		for _, s := range seen {
			for _, known := range ch.Sources {
				if consent.Fold(known) == consent.Fold(s.Name) {
					claimed[consent.Fold(s.Name)] = true
					if !slices.ContainsFunc(words, func(x string) bool { return consent.Fold(x) == consent.Fold(s.Name) }) {
						words = append(words, s.Name)
					}
				}
			}
		}
		w("    - name: %s\n      platform: %s\n      sources: %s\n", yamlString(ch.Name), ch.Platform, yamlList(words))
	}
	// The other words seen, one channel per group of hashgate's channel
	// vocabulary (line and line@ are one LINE channel).
	for _, g := range printable.ChannelGroups() {
		var words []string
		rows := 0
		for _, s := range seen {
			if claimed[consent.Fold(s.Name)] || !slices.ContainsFunc(g.Words, func(x string) bool { return consent.Fold(x) == consent.Fold(s.Name) }) {
				continue
			}
			if _, bad := guard.Find(s.Name); bad {
				continue
			}
			words = append(words, s.Name)
			rows += s.Count
		}
		if len(words) > 0 {
			w("    - name: %s  # seen in %d rows; rename, merge or delete\n      sources: %s\n", yamlString(g.Name), rows, yamlList(words))
		}
	}
}

// commentText is s fit for a "#" comment of the YAML written: as it is
// when every rune is printable, else quoted with Go escapes. The export's
// path is the one thing config init copies that a user did not type into
// YAML: a path with a newline ended the comment and wrote keys of its own
// ("x.csv\nconsent:\n  granted: [no]"), and bidi or zero-width
// characters would show the reviewer another text than the file holds.
func commentText(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// writeOutcomes writes an optional status list: the words seen that
// hashgate knows for it, or an empty list with an example.
func writeOutcomes(w func(string, ...any), key string, cs []inspect.Choice, example string) {
	if len(cs) == 0 {
		w("  %s: []  # e.g. %s\n", key, example)
		return
	}
	w("  %s:\n", key)
	for _, c := range cs {
		w("    - %s  # ×%d: %s\n", yamlString(c.Value), c.Count, c.Note)
	}
}

// writeChoices writes a list key of the vocabulary words seen in a column,
// one per line, each with its count: the ones hashgate proposes as items,
// the others commented out with what hashgate reads them as, so every word
// is a visible choice and none is taken silently. Values that are no word
// of hashgate's are counted, never shown. Reading these lines is the step
// that decides what is sent (README, "Your first upload").
func writeChoices(w func(string, ...any), key string, column []string, cs []inspect.Choice, unshown int, example string) {
	if len(cs) == 0 {
		w("  %s: []  # %s REQUIRED, e.g. %s\n", key, ask, example)
		if unshown > 0 {
			// hashgate prints no cell but its own words: the export is
			// where a person reads the others (a review: "not shown",
			// and nothing said where to look).
			w("  # %d rows hold values that are no word hashgate knows; they are not shown:\n", unshown)
			w("  # look at the column in the export, and list the values that mean the same.\n")
		}
		return
	}
	w("  # Seen in %s; uncomment a value only if it means the same.\n", yamlString(column[0]))
	chosen := 0
	for _, c := range cs {
		if c.Chosen {
			chosen++
		}
	}
	if chosen == 0 {
		w("  # %s REQUIRED: none of these is a word hashgate knows for it; choose.\n", ask)
	}
	w("  %s:\n", key)
	for _, c := range cs {
		item := fmt.Sprintf("- %s", yamlString(c.Value))
		if c.Chosen {
			w("    %s  # ×%d: %s\n", item, c.Count, c.Note)
		} else {
			w("  # %s  # ×%d: %s\n", item, c.Count, c.Note)
		}
	}
	if unshown > 0 {
		w("  # %d more rows hold values that are no word hashgate knows; they are not shown:\n", unshown)
		w("  # look at the column in the export, and add a value only if it means the same.\n")
	}
}

// writePIPL is the comment over a mainland clinic's destinations, all
// written disabled: what PIPL asks before a visit may reach Google or Meta
// (config's pipl.go, with the article texts' sources; shared/docs/
// clinic-exports.md c.2). Not an ASK: the safe answer is known (nothing
// sent), and an open question would stop the dry-run too.
func writePIPL(w func(string, ...any)) {
	w("  # Mainland China: every destination is written disabled. Under PIPL (个人信息保护法) a\n")
	w("  # clinic's visit is sensitive medical information (Art. 28), and sending it to Google\n")
	w("  # or Meta needs each patient's separate consent (单独同意) to:\n")
	w("  #   - the sensitive processing (Art. 29);\n")
	w("  #   - another handler receiving it, told its name, contact details, purpose, method\n")
	w("  #     and data types (Art. 23): Google and Meta match as handlers of their own;\n")
	w("  #   - its transfer abroad, told the same of the foreign recipient and how to exercise\n")
	w("  #     rights against it (Art. 39);\n")
	w("  # and a transfer mechanism: the CAC security assessment, a certification or the CAC\n")
	w("  # standard contract with the recipient (Art. 38). Enable a destination only when the\n")
	w("  # consent column records all three for each patient sent and the mechanism is in\n")
	w("  # place, then set consent.pipl_separate_consents: true. Until then uploads and\n")
	w("  # `hashgate write` refuse to send (exit 2); config validate and a dry-run say so.\n")
	w("  # README, Privacy, \"What the law asks of the consent you map\".\n")
}
