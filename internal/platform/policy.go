package platform

// The platforms' health-data rules, as hashgate follows them by default
// (issue 23). A clinic's conversion is the purchase of a medical service;
// each platform restricts what it may be told about one.

// GooglePolicyURL is Google Ads' customer data policy, whose section
// "Restrictions on measurement in sensitive categories" applies to
// "advertisers using enhanced conversions for web, enhanced conversions for
// leads, store sales (uploads)". An offline conversion that carries hashed
// user data (email, phone, address) is enhanced conversions for leads; one
// that carries only its click id (gclid, gbraid, wbraid) is not.
const GooglePolicyURL = "support.google.com/adspolicy/answer/7475709"

// GooglePolicyQuote is the policy's own words, confirmed on the page (and
// its mirrors) on 2026-12-04: the restriction, then the sensitive category
// a clinic falls in.
const GooglePolicyQuote = `"Conversions related to sensitive categories can't be used for measurement in enhanced conversions", and the sensitive categories include "Health or medical information, such as purchases of medical services"`

// GoogleClickIDsOnlyNote is said once per run when a config never set
// destinations.google.identifiers: the default changed to click ids only
// with the release that followed the policy (README, "Release notes").
const GoogleClickIDsOnlyNote = "Google: click ids only — customer data policy; set destinations.google.identifiers to choose"

// GoogleIdentifiersNote is said by `config validate` and every upload
// summary when destinations.google.identifiers lists hashed identifiers:
// the clinic chose enhanced conversions for leads, which the policy bars
// for health advertisers.
const GoogleIdentifiersNote = "Google: destinations.google.identifiers sends hashed customer data (enhanced conversions for leads); Google's customer data policy (" + GooglePolicyURL + "): " + GooglePolicyQuote + " — keep it only if Google does not treat this account as health or medical"

// GoogleIdentifiersSeenNote stands for GoogleIdentifiersNote in an upload
// summary once that summary has shown it in full for the same Google
// destination and identifiers: the nightly cron mail quoted the policy
// paragraph every night. `config validate` says it in full.
const GoogleIdentifiersSeenNote = "Google: destinations.google.identifiers sends hashed customer data, which Google's customer data policy restricts for health advertisers (in full: hashgate config validate)"

// GoogleAdPersonalizationNote is said when a config sets
// input.columns.ad_personalization or destinations.google.ad_personalization.
// Data Manager's Consent (reference/rest/v1/Consent) lists adUserData and
// adPersonalization, both optional, without saying which use takes which;
// the Google Ads API's Consent, the same message for the same products,
// says ad_personalization "can only be set for OfflineUserDataJobService
// and UserDataService" — Customer Match audiences, not conversion uploads.
// So a conversion carries adUserData only: the consent to send the
// patient's data to Google for measurement, which the consent gate
// decided.
const GoogleAdPersonalizationNote = "Google: %s is ignored — conversions carry adUserData only (ad personalisation consent is for audiences); remove it"

// MetaTermsURL is Meta's Business Tools Terms, which govern what the
// Conversions API may be sent. §1.a allows "Contact Information" (hashed,
// "for matching purposes only") and "Event Data" about the actions people
// take "in your shops" (confirmed in a published copy of the terms); §1.h
// has the advertiser warrant it will not share Business Tool Data that
// "includes or is based on, directly or otherwise, health information …
// (including any information defined as sensitive under applicable laws)"
// (reported: verbatim quotations in public repositories, Meta's own page
// not read here; docs/contract.md H4).
const MetaTermsURL = "facebook.com/legal/businesstech"

// MetaHealthNote is said by `config validate` and once in every upload and
// dry-run summary while destinations.meta is enabled: a clinic's visit
// sent with hashed contact information is, for a US covered entity, PHI
// disclosed for marketing, which needs a HIPAA authorization (45 CFR
// 164.508(a)(3): "a covered entity must obtain an authorization for any
// use or disclosure of protected health information for marketing", read
// in the CFR text at edocket.access.gpo.gov and bricker.com), and in the
// EU/UK health data (GDPR recital 35), whose processing needs explicit
// consent (art. 9(2)(a)). Meta's health-and-wellness restrictions (since
// January 2025: datasets Meta classifies as health limited to a "core
// setup", lower-funnel events such as Purchase restricted for
// optimisation, custom parameters trimmed) are known only from
// integrators' and law firms' reports (tealium.com, freshpaint.io,
// Foley Hoag via oceanducks.org; each says Meta has not confirmed the
// details): no public Meta rule text, so the note says "reported".
// Google's counterpart is GoogleIdentifiersNote; like it, the note is
// the same constant on every run and holds no value of any row.
const MetaHealthNote = "Meta: destinations.meta is enabled; Meta's Business Tools Terms (" + MetaTermsURL + `, §1.h) forbid sending data that "includes or is based on, directly or otherwise, health information", and since 2025 Meta is reported to restrict health-and-wellness datasets (lower-funnel events such as Purchase limited for optimisation) — keep it only if each patient sent consented to sharing with Meta (US: a HIPAA authorization, 45 CFR 164.508(a)(3); EU/UK: explicit consent, GDPR art. 9(2)(a)) and the clinic reads the terms as allowing it`

// MetaHealthSeenNote stands for MetaHealthNote in an upload summary once
// that summary has shown it in full for the same destinations, as
// GoogleIdentifiersSeenNote does: the nightly cron mail would quote the
// terms every night. `config validate` and dry-runs say it in full.
const MetaHealthSeenNote = "Meta: destinations.meta is enabled, which Meta's Business Tools Terms restrict for health data (in full: hashgate config validate)"
