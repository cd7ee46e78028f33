package platform

import "time"

// Spec is one platform's rules, read by config (validation, defaults), the
// pipeline (identifier shaping, consent column, click ids), the
// destination clients (batch and age limits, pre-flight) and client
// construction. Every number carries the source it was taken from; the
// tags (DM-LIM, M-USE …) are docs/contract.md's table of sources.
type Spec struct {
	Platform Platform
	// Name is the config and CLI name (destinations.<Name>, report keys).
	Name string
	// Title is the name people read in messages ("Google").
	Title string

	// Takes is every field the platform accepts for offline conversions;
	// Plain are those of Takes it takes as normalised plain text rather
	// than SHA-256 hashes.
	Takes, Plain FieldSet
	// Configurable is what destinations.<name>.identifiers may list: Takes
	// minus fields no export column feeds yet (external_id, issue 13).
	Configurable FieldSet
	// DefaultIdentifiers are what destinations.<name>.identifiers holds
	// when a config does not set it (config names).
	DefaultIdentifiers []string
	// NeedsIdentifier: a conversion must carry at least one identifier, so
	// destinations.<name>.identifiers must not be empty. Without it a click
	// id alone may carry a conversion (ClickIDs).
	NeedsIdentifier bool
	// MaxIdentifiers caps the user identifiers of one event (0: no cap).
	// A Group counts as one identifier, however many fields it has.
	MaxIdentifiers int
	// Groups are fields that travel only together: all of them valid, or
	// none is sent (and the row's drop is counted under the group's name).
	Groups []Group
	// WeakSets are the identifier sets the platform refuses an event for
	// carrying alone: an event whose identifiers are all in one of them
	// (a subset of it) is invalid, however many it has. A Formatted click
	// id beside them (Meta's fbc) is outside every set. Weak reads them.
	WeakSets []FieldSet
	// ClickIDs names the ad click ids an event carries (gclid, …); a
	// conversion with one of them is sendable without any identifier.
	ClickIDs []string
	// Formatted is a click id the platform takes in a format of its own,
	// unhashed, beside the identifiers (Meta: fbc from the fbclid); nil
	// when none. It never makes a row sendable on its own.
	Formatted *FormattedClickID

	// ConsentKey is the input.columns key of the consent column that, when
	// set, replaces input.columns.consent for this platform.
	ConsentKey string

	// Sending limits. Max* bound the config (destinations.<name>.*);
	// Default* are the values a config starts from.
	MaxBatch, DefaultBatch                         int
	MaxEventAge, DefaultEventAge                   time.Duration
	MaxRequestsPerMinute, DefaultRequestsPerMinute int
	MaxConcurrency, DefaultConcurrency             int
	DefaultTimeout                                 time.Duration
	// FutureSlack tolerates clock skew before an event counts as future.
	FutureSlack time.Duration
	// Endpoint is the default API root.
	Endpoint string

	// EventSource is where the platform is told the event happened
	// (Meta action_source). Empty: the platform has no such field today.
	EventSource string
	// DedupKey names the request field that carries hashgate's event id,
	// the platform's deduplication key.
	DedupKey string
	// DedupWindow is how long the platform remembers an event to
	// deduplicate a resend of it; zero when it documents no limit. A
	// resend after the window counts the event again, so a ledger that
	// cannot tell what was sent before (a lost ledger, a first upload of
	// history) sends only events younger than DedupSafe, and an event a
	// crash left unconfirmed is resent only while its request is younger
	// than DedupSafe (run's dedup window).
	DedupWindow time.Duration
	// DedupMargin is kept under DedupWindow (DedupSafe): a clock a little
	// off, an export's time zone or a run that starts late must not carry
	// a resend past the window.
	DedupMargin time.Duration
	// DedupOnTime: the event time is part of what the platform
	// deduplicates a resend on (Meta's physical_store events: event_time,
	// event_name and the order id, contract M11), so a resend of an event
	// that may have arrived goes with the time it was sent with, not the
	// one tonight's export gives it (ledger/senttime.go). Google matches
	// a transactionId within its conversion action, whatever the time.
	DedupOnTime bool
	// Restatement is where the platform documents restating an ingested
	// event's value by sending it again under the same id; "" when it
	// documents none. Only a platform with one records value keys and
	// honours destinations.<name>.restate (ledger/values.go).
	Restatement string
	// OrderIDKey names the field that carries the event id a second time,
	// as the order id (Meta custom_data.order_id, listed on Meta's
	// offline-events page); "" when the platform has none.
	OrderIDKey string

	// ChannelName and SourceWords are the platform's channel in `hashgate
	// channels` when channels.list is not configured: its label and the
	// source-column words that mean it ("facebook", "臉書").
	ChannelName string
	SourceWords []string
	// AttributionClickIDs are the input.columns keys of the click ids that
	// show the platform brought an appointment: a row with one belongs to
	// the platform's channel, whatever its source column says.
	AttributionClickIDs []string
	// Spend is how the platform's own spend download is written.
	Spend SpendFormat

	// AgeMargin is kept under MaxEventAge: an event is held back that
	// much before the platform's window closes, so a batch built now is
	// still inside it when a retry goes out (and a clock a little off
	// does not cost a whole request). destinations.<name>.max_event_age_days
	// may be at most MaxEventAge - AgeMargin.
	AgeMargin time.Duration
	// ValueRequired are the event names the platform rejects without a
	// value and a currency.
	ValueRequired []string
	// WithoutValue is what the platform records for a conversion it
	// accepts without a value, as the summary says it ("" when it
	// documents nothing): Google records its conversion action's default
	// value, not no value (report.Valueless).
	WithoutValue string
	// StandardEvents are the event names the platform defines itself;
	// any other is a custom event, and with Meta a custom conversion made
	// of one is what it flags when it "suggests specific health
	// conditions" (docs/contract.md MCC, H8). Empty: the platform takes
	// no event name from hashgate.
	StandardEvents []string
	// LDUCountries and LDUStates are the values the platform takes for a
	// Limited Data Use event's country and state (Meta's
	// data_processing_options_country and _state); 0 asks it to
	// geolocate, and a state other than 0 needs a country other than 0.
	// Empty: the platform has no such option.
	LDUCountries, LDUStates []int

	// EventSources are the values of the platform's event-source field
	// (Google eventSource) a config may choose; DefaultEventSource is
	// sent when it chooses none.
	EventSources       []string
	DefaultEventSource string
	// DefaultRetryBudget bounds the time one run spends retrying one
	// destination (backoff and failed attempts); what is left is "not
	// sent" and the next run takes it.
	DefaultRetryBudget time.Duration
	// Backoff is the wait between attempts of one request the platform
	// publishes; zero when it publishes none (the Sender's general
	// schedule then applies).
	Backoff Backoff

	// SettingReasons are processing error reasons that mean an account or
	// conversion-action setting is wrong, each with the setting to fix:
	// every event fails the same way until a person changes it. The same
	// one in SettingRuns consecutive runs stops the destination (exit 1)
	// instead of resending into it night after night.
	SettingReasons map[string]string
	SettingRuns    int
	// ExpectedFailures are processing error reasons the platform itself
	// calls expected: counted in the morning report like any failure, but
	// the night that finds them does not exit 3 for them (run's
	// failuresOutcome), or a clinic whose patients rarely click an ad
	// would be alerted every night.
	ExpectedFailures map[string]bool

	// Errors is the platform's error table (errors.go): which answer means
	// retry, bisect, quarantine the events, stop the destination or stop
	// the run. The clients reduce an answer to an ErrorKey and act on the
	// first matching row.
	Errors []ErrorRule

	// Answers are the enumerations of the platform's answers
	// (answers.go): a value outside its set is printed and stored as
	// "unknown", never as the platform wrote it.
	Answers Answers
}

// SpendFormat names the columns of a platform's spend download as the
// platform writes them in English; each list is tried in order.
type SpendFormat struct {
	// Day is the day of a row in a download with a day breakdown; Start
	// and End the range a row covers in one without.
	Day, Start, End []string
	Cost            []string
	// CostPrefixes match a cost header that carries the file's currency,
	// "Amount spent (TWD)", "花費金額 (TWD)", "Cost (USD)".
	CostPrefixes []string
	Clicks       []string
	Conversions  []string
	Currency     []string
	// ResultIndicator names what a row's conversions count (Meta's
	// "Result indicator": actions:lead, offline_conversion.purchase).
	ResultIndicator []string
	// Campaign, AdSet, Ad and Account are the columns that name what a row
	// is about, in English and as the platform's zh-TW and zh-CN interfaces
	// write them: a row with every one the file has blank is a summary
	// row, and two downloads naming the same campaigns (or accounts) are
	// one account's.
	Campaign, AdSet, Ad, Account []string
	// TotalPrefixes start the cells of total rows ("Total: Account").
	TotalPrefixes []string
	// DayBreakdown is how a person asks for one row per day.
	DayBreakdown string
}

// Group is a set of fields a platform takes only together.
type Group struct {
	// Name is the group's name in drop counts ("google address
	// address_incomplete").
	Name   string
	Fields FieldSet
	// Incomplete is the drop reason when some of the fields are missing or
	// invalid.
	Incomplete string
	// Why is said in config errors: the platform's reason.
	Why string
}

// Reserved is how many identifier slots of MaxIdentifiers the groups in
// use take: one per group with a field in want.
func (s *Spec) Reserved(want FieldSet) int {
	n := 0
	for _, g := range s.Groups {
		if g.Fields&want != 0 {
			n++
		}
	}
	return n
}

// GroupOf returns the index of the group holding f, or -1.
func (s *Spec) GroupOf(f Field) int {
	for i, g := range s.Groups {
		if g.Fields.Has(f) {
			return i
		}
	}
	return -1
}

// CountIdentifiers counts identifiers as the platform does: fields of a
// group count once together.
func (s *Spec) CountIdentifiers(fields []Field) int {
	n := 0
	var groups uint64
	for _, f := range fields {
		if g := s.GroupOf(f); g >= 0 {
			groups |= 1 << g
		} else {
			n++
		}
	}
	for ; groups != 0; groups &= groups - 1 {
		n++
	}
	return n
}

const day = 24 * time.Hour

var specs = [Count]*Spec{
	Google: {
		Platform: Google, Name: "google", Title: "Google",
		// Data Manager UserIdentifier: email, phone, AddressInfo (given
		// name, family name, region code, postal code). City and state
		// exist for Google Analytics only, and offline conversions take
		// no external id (docs/research/platform-apis.md A.4).
		Takes: SetOf(Email, Phone, FirstName, LastName, PostalCode, Country),
		// AddressInfo.postalCode and regionCode are sent in plain text.
		Plain:        SetOf(PostalCode, Country),
		Configurable: SetOf(Email, Phone, FirstName, LastName, PostalCode, Country),
		// None: click ids only. Hashed customer data makes an offline
		// conversion enhanced conversions for leads, which Google's
		// customer data policy bars for "purchases of medical services"
		// (GooglePolicyURL, policy.go); listing identifiers is the clinic's
		// explicit choice, and every summary then quotes the policy.
		DefaultIdentifiers: nil,
		// "User identifiers per event: 10" (DM-LIM).
		MaxIdentifiers: 10,
		Groups: []Group{{
			Name:       "address",
			Fields:     SetOf(FirstName, LastName, PostalCode, Country),
			Incomplete: "address_incomplete",
			Why:        "its AddressInfo requires all four",
		}},
		ClickIDs:   []string{"gclid", "gbraid", "wbraid"},
		ConsentKey: "consent_google",
		// "events[]: At most 2000" (PROTO field doc; DM-LIM).
		MaxBatch: 2000, DefaultBatch: 2000,
		// Data Manager documents no age in days; the effective limit is
		// the conversion action's click-through window, at most 90 days
		// (conversion_action.proto click_through_lookback_window_days; the
		// 90-day ceiling is third-party-reported, docs/research/contract-notes.md G5.2, not found again).
		// No window is longer, so an older event can never count.
		MaxEventAge: 90 * day, DefaultEventAge: 90 * day,
		// IngestionService mutate: 300 per minute per project (DM-LIM).
		MaxRequestsPerMinute: 300, DefaultRequestsPerMinute: 250,
		MaxConcurrency: 10, DefaultConcurrency: 4,
		// Google's own per-call timeout for these RPCs (PROTO service config).
		DefaultTimeout: 120 * time.Second,
		FutureSlack:    10 * time.Minute,
		Endpoint:       "https://datamanager.googleapis.com/",
		DedupKey:       "transactionId",
		ChannelName:    "Google Ads",
		SourceWords:    []string{"google", "google ads", "adwords", "谷歌", "google 廣告", "谷歌广告"},
		// Google's click ids: web (gclid) and iOS app campaigns (gbraid,
		// wbraid), as the Ads UI and its API name them.
		AttributionClickIDs: []string{"gclid", "gbraid", "wbraid"},
		// The Google Ads UI's report download ("CSV", or "Excel CSV":
		// UTF-16LE, tab-separated): a report title and a date-range line
		// above the header, the UI's column names, "Total: …" rows below.
		Spend: SpendFormat{
			Day: []string{"Day", "Date"}, Cost: []string{"Cost"}, CostPrefixes: []string{"Cost"},
			Clicks: []string{"Clicks"}, Conversions: []string{"Conversions"},
			Currency: []string{"Currency code", "Currency"},
			// The zh-TW interface says 廣告活動 and 廣告群組 ("「廣告活動」和
			// 「廣告群組」頁面", support.google.com/google-ads/answer/2454071
			// ?hl=zh-Hant), Hong Kong's 廣告系列 and 帳戶 (answer/2404036
			// ?hl=zh-HK), the zh-CN one 广告系列, 广告组 and 帐号 (answer
			// 2454071 as copied at mqs.net/post/2535.html: "在“广告系列”和
			// “广告组”页面", "Google Ads 帐号"; 账号, its newer spelling, is
			// unverified). Help pages, not a localized download: a header
			// they miss leaves the file to spend's structural rule (a
			// summary row is the others' exact sum) or to
			// spend.google.columns.name.
			Campaign:      []string{"Campaign", "廣告活動", "廣告系列", "广告系列"},
			AdSet:         []string{"Ad group", "廣告群組", "广告组"},
			Account:       []string{"Account", "Account name", "帳戶", "帐号", "账号"},
			TotalPrefixes: []string{"Total:", "總計：", "总计："},
			DayBreakdown:  "Segment › Time › Day",
		},
		// Event.eventSource enum (event.proto; discovery rev 20261106).
		// The reference marks it optional, but live events:ingest calls
		// without it fail with REQUIRED_FIELD_MISSING on
		// events.events[0].event_source (googleapis/google-cloud-php#9201
		// and three more public integrations, docs/research/contract-notes.md G1).
		// WEB by default: every official Data Manager sample sends WEB for
		// offline conversions to a conversion action imported from clicks
		// (googleads/data-manager-java
		// data-manager-samples/src/main/resources/sampledata/events_1.json
		// and googleads/data-manager-python samples/sampledata/events_1.json,
		// all four events "eventSource": "WEB"): the source is the ad click
		// the conversion is credited to. IN_STORE is "an in-store transaction"
		// (the enum's comment), the vocabulary of store sales, a separate,
		// allow-listed product (devguides/events: "Store sales conversions
		// … only available to Google Ads accounts on an allowlist"); sent
		// to an UPLOAD_CLICKS action it risks
		// EVENT_SOURCE_AND_DESTINATION_MISMATCH ("The event source type does
		// not match the destination type", error.proto), and validateOnly
		// skips that rule, so a preflight would not show it. The others are
		// opt-in (destinations.google.event_source).
		EventSources:       []string{"WEB", "IN_STORE", "OTHER", "APP", "PHONE", "MESSAGE"},
		DefaultEventSource: "WEB",
		// "If the transactionId matches an existing conversion for the
		// same conversion action, Data Manager API treats the request as
		// a conversion adjustment": conversionValue and currency are
		// overwritten ("The new value replaces the recorded value"), and
		// the request holds "All fields required for an event, including
		// at least one identifier". No field retracts a conversion.
		Restatement: "developers.google.com/data-manager/api/devguides/events/google-ads/conversion-adjustments",
		// "The value to use when conversion events for this conversion
		// action are sent with an invalid, disallowed or missing value"
		// (Google Ads API, ConversionAction.ValueSettings.default_value:
		// https://developers.google.com/google-ads/api/reference/rpc/v21/ConversionAction.ValueSettings);
		// the Data Manager API ingests into that conversion action.
		WithoutValue: "Google records each at the conversion action's default value (its value settings), not as no value",
		// Google's own retry settings for these RPCs cap one backoff at 60 s
		// (datamanager_grpc_service_config.json); a quarter of an hour of
		// outage is as long as a nightly job should wait.
		DefaultRetryBudget: 15 * time.Minute,
		// The retryPolicy of googleapis google/ads/datamanager/v1/
		// datamanager_grpc_service_config.json (f8291d2b; unchanged since
		// 102d9f92): initialBackoff 5s, maxBackoff 60s, backoffMultiplier
		// 1.3, for IngestEvents among others. gRPC draws the n-th wait
		// from random(0, min(5 s × 1.3^(n-1), 60 s)) (grpc
		// service_config.proto RetryPolicy); hashgate keeps its own
		// jitter, [d/2, d], never sooner than half of it. The sources
		// disagree on whether any client applies it: the config's method
		// names carry a leading space (" IngestEvents"), and Google's
		// generated clients retry IngestEvents not at all (google-cloud-
		// java IngestionServiceStubSettings: no_retry_codes; google-cloud-
		// go datamanager/apiv1: no call options) — the published numbers
		// are still Google's word on how soon to ask again.
		Backoff: Backoff{Initial: 5 * time.Second, Max: time.Minute, Multiplier: 1.3},
		// Account-level or configuration reasons of the ErrorCount reason
		// enum (google.golang.org/api v0.315.0 datamanager/v1): no resend
		// helps until a person changes the setting. Three runs in a row
		// with the same one stop Google (issue 21 point 9).
		SettingReasons: map[string]string{
			"PROCESSING_ERROR_REASON_NO_CONSENT":                                                "the Google Ads account's consent for ad user data (the advertiser's 3P consent for Ads core platform services): check the account's customer data terms and consent settings",
			"PROCESSING_ERROR_REASON_UNKNOWN_CONSENT":                                           "the consent Google could not determine: the account's consent settings, and the events' ad_user_data consent (hashgate sends GRANTED only for consented rows)",
			"PROCESSING_ERROR_REASON_DENIED_CONSENT":                                            "consent denied for ad user data: the Google Ads account's default consent settings",
			"PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED": "the customer data terms for enhanced conversions, not yet accepted in the Google Ads account (Goals → Settings → Enhanced conversions)",
			"PROCESSING_ERROR_REASON_EXTERNAL_ATTRIBUTION_DATA_MISSING":                         "the conversion action (destinations.google.conversion_action_id) expects external attribution data, which hashgate does not send: choose another attribution setting for it in Google Ads",
			"PROCESSING_ERROR_REASON_ONE_PER_CLICK_CONVERSION_ACTION_NOT_PERMITTED_WITH_BRAID":  "the conversion action (destinations.google.conversion_action_id) counts one conversion per click, which Google refuses with gbraid/wbraid: set its count to \"Every\" in Google Ads, or unmap input.columns.gbraid and wbraid",
		},
		SettingRuns: 3,
		// CLICK_NOT_FOUND: Google's enhanced conversions for leads help
		// says unknown clicks are expected and can generally be ignored
		// (support.google.com/google-ads/answer/13321563).
		ExpectedFailures: map[string]bool{"PROCESSING_ERROR_REASON_CLICK_NOT_FOUND": true},
	},
	Meta: {
		Platform: Meta, Name: "meta", Title: "Meta",
		// Conversions API user_data: em, ph, fn, ln, zp, ct, st, country,
		// external_id, all SHA-256 (M-USE customer information parameters).
		Takes: SetOf(Email, Phone, FirstName, LastName, PostalCode, City, State, Country, ExternalID),
		// external_id comes from input.columns.patient_key, keyed before
		// it is hashed (never the chart number itself).
		Configurable: SetOf(Email, Phone, FirstName, LastName, PostalCode, City, State, Country, ExternalID),
		// Email and phone: Meta's physical-store events need customer
		// information to match (M-OFF), and its Business Tools Terms bar
		// health information, not contact data (README, Privacy).
		DefaultIdentifiers: []string{"email", "phone"},
		NeedsIdentifier:    true,
		// Best Practices - Conversions API, "Baseline Requirements for
		// Matching" (developers.facebook.com/docs/marketing-api/
		// conversions-api/best-practices, M-BP, M18): "An event is
		// considered invalid if it only includes customer information
		// parameters that consist of one of the following combinations,
		// (or a subset thereof): ct + country + st + zp + ge +
		// client_user_agent · db + client_user_agent · fn + ge · ln + ge",
		// and an event with only ge, ct, st and country "would be
		// rejected". hashgate sends no ge, db or client_user_agent, so of
		// its fields: any of city, state, postal code and country without
		// anything else; first name alone; last name alone. First and last
		// name together, or a name with an address field, are in no one
		// combination: valid.
		WeakSets:   []FieldSet{SetOf(City, Country, State, PostalCode), SetOf(FirstName), SetOf(LastName)},
		ConsentKey: "consent_meta",
		// "Up to 1,000 [events] in data" (M-USE, batch requests).
		MaxBatch: 1000, DefaultBatch: 1000,
		// "upload transactions within 62 days of the conversion" (M-USE,
		// physical_store); one older event rejects the whole request
		// (100/2804003). Two days of margin (our margin, docs/research/contract-notes.md M8b.5).
		MaxEventAge: 62 * day, DefaultEventAge: 60 * day, AgeMargin: 2 * day,
		// Our ceilings, not Meta's numbers: Meta publishes rate limits as
		// Business Use Case formulas, not a count per minute
		// (developers.facebook.com/docs/marketing-api/overview/rate-limiting;
		// codes 17/2446079, 613/1487742), and answers a throttled request
		// with X-Business-Use-Case-Usage, which the client honours (M5).
		// The Graph fake enforces no rate (audit 2026-12-05).
		MaxRequestsPerMinute: 6000, DefaultRequestsPerMinute: 120,
		MaxConcurrency: 10, DefaultConcurrency: 2,
		DefaultTimeout: 60 * time.Second,
		FutureSlack:    10 * time.Minute,
		Endpoint:       "https://graph.facebook.com",
		EventSource:    "physical_store",
		DedupKey:       "event_id",
		// Meta's offline-events page, "Set Up Deduplication"
		// (developers.facebook.com/documentation/ads-commerce/
		// conversions-api/offline-events): physical_store events are
		// deduplicated "order_id based or user based" on event_time,
		// event_name and the key, and "the maximum deduplication window is
		// 7 days". A resend after that counts again. One day of margin.
		DedupWindow: 7 * day, DedupMargin: 1 * day, DedupOnTime: true,
		ChannelName: "Meta Ads",
		SourceWords: []string{"facebook", "fb", "instagram", "ig", "meta", "臉書", "脸书"},
		// The fbclid Meta appends to ad links' landing URLs.
		AttributionClickIDs: []string{"fbclid"},
		// user_data.fbc, "Do not hash" (customer-information-parameters),
		// built from the fbclid as MetaFBC says.
		Formatted: &FormattedClickID{Column: KeyFBCLID, Field: FieldFBC, Format: MetaFBC},
		// Ads Manager's "Export table data" (CSV, UTF-8 with a BOM): "Day"
		// only with a day breakdown, else "Reporting starts"/"Reporting
		// ends" per row; "Amount spent (TWD)" carries the account currency.
		Spend: SpendFormat{
			//
			// The currency: Ads Manager writes it in the cost header,
			// "Amount spent (EUR)" (every public English export found:
			// e.g. Reporting starts, Campaign name, Amount spent (EUR) in
			// GitHub code search), and in a "Currency" column when the
			// user adds it (a public import mapping lists csvColumn
			// "Currency" beside "Amount spent (INR)"; the API field is
			// account_currency). No export found names an "Account
			// currency" column. zh-TW exports write 花費金額 (TWD) beside
			// 分析報告開始, 分析報告結束 and 連結點擊次數 (github.com/fergusKe/
			// meta-ads-dashboard utils/data_loader.py), 天數 for the day
			// of a day breakdown and 成果 for Results (two public zh-TW
			// analyses of exports, by GitHub code search: one source each,
			// none Meta's own).
			Day: []string{"Day", "天數"}, Start: []string{"Reporting starts", "分析報告開始"}, End: []string{"Reporting ends", "分析報告結束"},
			Cost: []string{"Amount spent"}, CostPrefixes: []string{"Amount spent", "花費金額"},
			Clicks: []string{"Link clicks", "Clicks (all)", "連結點擊次數"}, Conversions: []string{"Results", "成果"},
			Currency: []string{"Currency"},
			// "Results" sums whatever each row's objective counts (leads,
			// messaging conversations, purchases); "Result indicator" says
			// which, as the API's action types ("actions:lead"), in public
			// Ads Manager exports (e.g. Reporting starts, Reporting ends,
			// Ad name, Results, Result indicator, … in GitHub code search).
			ResultIndicator: []string{"Result indicator"},
			// zh-TW: 行銷活動名稱, 廣告組合名稱, 廣告名稱 beside 花費金額 (TWD),
			// 連結點擊次數, 分析報告開始/結束 in a public analysis of an Ads
			// Manager export (github.com/fergusKe/meta-ads-dashboard,
			// utils/ad_display.py and utils/data_loader.py); 帳號名稱 as a
			// reviewer's zh-TW export wrote it. zh-CN: 广告系列名称 and 广告组
			// 名称 (github.com/motodriver/fbmktapi README.md, Facebook's
			// campaign and ad set names), 广告帐户名称 (github.com/hamik112/
			// zeus_data_collector_v2, zeus_offlinedata_field.md; 帐户名称, its
			// short form, unverified), 广告名称. None is from Meta's own page.
			// The summary row Meta puts above the rows leaves them all blank
			// ("every hierarchy column blank, metrics populated — the row
			// Meta puts at the top of some exports", github.com/allen1yuan/
			// daily_meta_ads_checker, analysis.py).
			Campaign:     []string{"Campaign name", "行銷活動名稱", "广告系列名称"},
			AdSet:        []string{"Ad set name", "廣告組合名稱", "广告组名称"},
			Ad:           []string{"Ad name", "廣告名稱", "广告名称"},
			Account:      []string{"Account name", "帳號名稱", "广告帐户名称", "帐户名称"},
			DayBreakdown: "Breakdown › By time › Day",
		},
		OrderIDKey: "custom_data.order_id",
		// No Restatement: the Conversions API documents no adjustment. A
		// resend with the same event_id/order_id is deduplicated within 7
		// days — dropped, its new value with it — and counted again after
		// ("Set Up Deduplication", developers.facebook.com/docs/marketing-
		// api/conversions-api/offline-events); nothing retracts an event.
		// "Missing Currency for Purchase Event" (100/2804010, live answer,
		// Adsmurai conversions-api-client issue 7); Meta's offline-events
		// page marks value and currency "Required for Purchase events".
		ValueRequired: []string{"Purchase"},
		// The Meta Pixel reference's "Standard Events" table
		// (developers.facebook.com/docs/meta-pixel/reference) and the base
		// code's PageView.
		StandardEvents: []string{"AddPaymentInfo", "AddToCart", "AddToWishlist", "CompleteRegistration", "Contact",
			"CustomizeProduct", "Donate", "FindLocation", "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search",
			"StartTrial", "SubmitApplication", "Subscribe", "ViewContent", "PageView"},
		// Server-event parameters, data_processing_options_country:
		// "Current accepted values are 1, for the United States of America,
		// or 0, to request that we geolocate that event"; _state: "Current
		// accepted values are 1000, for California, or 0" (quoted in public
		// integrations' models of the parameters; Meta's data-processing-
		// options page gives [LDU], 1, 1000 and [LDU], 0, 0, M-DPO). The
		// page lists more LDU states (Colorado … Texas) without a code we
		// found: 0 lets Meta geolocate them. Contract M19.
		LDUCountries: []int{0, 1}, LDUStates: []int{0, 1000},
		// Meta's throttling codes ask to wait and retry; a quarter of an
		// hour bounds a run's wait as for Google.
		DefaultRetryBudget: 15 * time.Minute,
	},
}

// Backoff is a retry schedule: the n-th wait is at most Initial ×
// Multiplier^(n-1), and never more than Max.
type Backoff struct {
	Initial, Max time.Duration
	Multiplier   float64
}

// Weak reports whether identifiers of the fields in have, and nothing
// else the platform matches on, make an event the platform refuses as too
// weak to match (WeakSets): have is not empty and lies within one set.
func (s *Spec) Weak(have FieldSet) bool {
	if s == nil || have == 0 {
		return false
	}
	for _, w := range s.WeakSets {
		if have&^w == 0 {
			return true
		}
	}
	return false
}

// DedupSafe is the age under which a resend is deduplicated with a day to
// spare (DedupWindow - DedupMargin); zero when the platform documents no
// window.
func (s *Spec) DedupSafe() time.Duration {
	if s == nil || s.DedupWindow <= 0 {
		return 0
	}
	return s.DedupWindow - s.DedupMargin
}
