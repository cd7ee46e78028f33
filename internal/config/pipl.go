package config

import (
	"slices"
	"strings"
)

// The mainland China gate. Under the Personal Information Protection Law
// (个人信息保护法, PIPL) a clinic's visit is medical health information,
// sensitive personal information (Art. 28: "包括生物识别、宗教信仰、特定身份、
// 医疗健康、金融账户、行踪轨迹等信息"), and sending it to Google or Meta
// takes three separate consents (单独同意) and a transfer mechanism:
//
//   - Art. 29: "处理敏感个人信息应当取得个人的单独同意" — the sensitive data;
//   - Art. 23: providing personal information to another handler needs the
//     person told the recipient's name, contact details, purpose, method and
//     data types, "并取得个人的单独同意" — Google and Meta match as handlers
//     of their own;
//   - Art. 39: providing it outside the PRC needs the foreign recipient's
//     name, contact details, purpose, method, data types and how to exercise
//     rights against it told, "并取得个人的单独同意";
//   - Art. 38: and one of the transfer conditions — the CAC's security
//     assessment (Art. 40), a personal information protection certification,
//     or the CAC's standard contract with the foreign recipient.
//
// Article texts read on 2026-12-07 (the search tool's pages corpus):
// Art. 28 at wechat.estsglobal.com/wechat/law_contents/311 (bilingual);
// Art. 23 at dreamfox.cn/culture/whzl/wlpf/712.html; Art. 39 at
// laitimes.com/zh/article/6vxm8_7c9w1.html and ahdhf.com/law/twsy/15097.html
// (Supreme People's Court library); Art. 38 in English at
// pipl.xllawconsulting.com (article-38) and personalinformationprotectionlaw.com;
// Art. 29's sentence in the Xinhua summary (shared/docs/clinic-exports.md c.2).
//
// hashgate cannot see how a consent was collected, so the clinic says it
// holds them: consent.pipl_separate_consents. Without it an upload, `upload
// --validate`, `config validate --upload` and `hashgate write` from a
// mainland config stop (exit 2); a dry-run and config validate warn.

// PIPLKey is the mainland clinic's statement (Consent.PIPLSeparateConsents).
const PIPLKey = "consent.pipl_separate_consents"

// piplArticles is how every message names the law: the same words in the
// refusal, the warning and config init's comment.
const piplArticles = "PIPL (个人信息保护法) Art. 29 (separate consent for sensitive medical information), Art. 23 (separate consent for another handler: Google, Meta), Art. 39 (separate consent for a transfer abroad) and Art. 38 (a transfer mechanism: the CAC security assessment, certification or standard contract)"

// mainlandZones are the IANA zones of the PRC's mainland, the legacy
// links included. Hong Kong (Asia/Hong_Kong) and Macau (Asia/Macau) have
// laws of their own (PIPL does not apply there), as Taiwan has.
var mainlandZones = []string{"Asia/Shanghai", "Asia/Urumqi", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "Asia/Kashgar", "PRC"}

// Mainland reports whether the config is a mainland China clinic's: its
// region is CN, or it names no region and its time zone is a mainland
// one. The region decides when set (a Hong Kong clinic with mainland
// patients' numbers still says HK).
func (c *Config) Mainland() bool {
	if r := RegionCode(c.Region); r != "" {
		return r == "CN"
	}
	return slices.Contains(mainlandZones, strings.TrimSpace(c.Timezone))
}

// PIPLConsents refuses a run that sends or writes a platform's file from a
// mainland config unless consent.pipl_separate_consents says the clinic
// holds the consents PIPL asks (see the top of this file).
func (c *Config) PIPLConsents() error {
	if !c.Mainland() || c.Consent.PIPLSeparateConsents || len(c.Enabled()) == 0 {
		return nil
	}
	return &Error{Key: PIPLKey, Problem: "is not true, and this is a mainland China config (region CN) with a destination enabled: a clinic's visit is sensitive medical information, and sending it to Google or Meta needs " + piplArticles + ". " +
		"Set it to true only when the consent column records all three separate consents for each patient sent and the transfer mechanism is in place; otherwise disable the destinations (README, Privacy)"}
}

// piplNotice is what config validate and a dry-run say of a mainland
// config with a destination enabled and no statement: uploads would stop.
func (c *Config) piplNotice() []string {
	if !c.Mainland() || c.Consent.PIPLSeparateConsents || len(c.Enabled()) == 0 {
		return nil
	}
	return []string{"region is CN (mainland China): sending a clinic's visits to Google or Meta needs " + piplArticles + "; uploads and `hashgate write` refuse it unless " + PIPLKey + " is true"}
}
