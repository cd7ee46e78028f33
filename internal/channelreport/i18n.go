package channelreport

import (
	"github.com/hashgate/hashgate/internal/channels"
)

// The page's words in the report's language (channels.language): en,
// zh-Hant (Taiwan, Hong Kong, Macau) and zh-Hans (mainland China,
// Singapore). Figures and channel names are the same in every language.
type words struct {
	htmlLang                                      string
	title, amountsIn, suppressedBelow, to         string
	paid, total, unattributed, channel            string
	kpiCAC, kpiROAS, kpiSpend, kpiNew, kpiVisits  string
	kpiShow                                       string
	cacTitle, cacCaption, cacAxis, indistinct     string
	shareTitle, shareCaption, shareSpend, shareNP string
	shareAxis                                     string
	trendTitle, trendCaption, partial             string
	funnelTitle, funnelCaption, patients          string
	periodTitle, period                           string
	whole, each, noBookings, noVisits, noNew      string
	noClicks, noSpend, noOutcome, noCohort        string
	noData, uncomputed, noDataMark, partMark      string
	spendGap, listSep                             string
	attribution, attributed, intervals            string
	marks, marksOff, countedAll, countedConsent   string
	weaker, weakerSetting                         string
	// nfs heads an exact report; nfsMark and weakMark lead the page's
	// <title>, so a printed or tabbed page names its status too.
	nfs, nfsMark, weakMark string
	// bookingsVsClicks and bookedVsClicks name booking_rate by what it
	// divides: bookings, or bookings made (input.columns.booked_at).
	bookingsVsClicks, bookedVsClicks string
	// ltvLabel names ltv with its horizon (channels.ltv_days).
	ltvLabel                  string
	periodsNone, periodsBy    string
	trendNoPeriods            string
	trendOnePeriod            string
	trendNoSpend, trendNoPaid string
	trendNoPatients           string
	trendHidden               string
	colon, stop, sentenceGap  string
	cacNote                   string
	// def… say how a figure is computed: one line each under the table.
	defPending, defBookRate, defBookRateMade string
	defShow, defCostBook, defCostVisit       string
	defROAS, defCAC, defLTV, defClaims       string
	defTotal                                 string
	// chanfigures: figures the export or the fees cannot give (no export
	// data, no fees, not yet), the export's gap, a headline over part of
	// its span, and the source words no channel lists.
	noExport, noValues, notYet, noExportMark, noValuesMark string
	notYetMark, exportPartMark, exportGap, kpiPartial      string
	unmatched                                              string
	// exportGapPart is exportGap naming the figures it marks (chanmarks):
	// exportGap alone named costs on a page that has none.
	exportGapPart string
	// chartPartial is a chart's legend entry for a figure over part of
	// its span, drawn hollow and dashed with PartMark (chanmarks).
	chartPartial string
	metrics      [channels.NumMetrics]string
}

var lexicon = map[string]*words{
	"en": {
		htmlLang: "en", title: "Where next month's money goes", amountsIn: "amounts in", suppressedBelow: "counts below %d suppressed", to: "to",
		paid: "Paid channels", total: "Total", unattributed: "Unattributed", channel: "Channel",
		kpiCAC: "Cost per new patient, paid channels", kpiROAS: "Return on ad spend, paid channels", kpiSpend: "Ad spend",
		kpiNew: "New patients from paid channels", kpiVisits: "Visits, all channels", kpiShow: "Show rate, all channels",
		cacTitle: "Cost per new patient (CAC), with its 95% range", cacCaption: "Each bar is what one new patient cost on that channel; the whisker is the range the true cost lies in with 95% confidence. Channels whose ranges overlap are too few to tell apart.",
		cacAxis: "cost per new patient", indistinct: "too few to tell apart from %s",
		shareTitle: "Paid channels: share of spend against share of new patients", shareCaption: "Among the paid channels only. A channel whose spend bar is taller than its new-patient bar costs more per new patient than the paid channels together.",
		shareSpend: "Share of paid spend", shareNP: "Share of new patients from paid channels", shareAxis: "% of paid channels",
		trendTitle: "Per %s: cost per new patient", trendCaption: "A gap is a period whose count is withheld or that brought no new patient; a label ending in “…” is a period still in progress (it reaches --as-of).", partial: "…",
		funnelTitle: "Bookings, visits and new patients per channel", funnelCaption: "Bookings (every outcome), the visits among them, and the patients whose first visit it was.", patients: "patients",
		periodTitle: "Paid channels per %s", period: "Period",
		whole: "Whole window, %s to %s", each: "Each period", noBookings: "no bookings", noVisits: "no visits", noNew: "no new patients",
		noClicks: "no clicks", noSpend: "no spend", noOutcome: "none seen", noCohort: "no cohort", noData: "no data",
		noDataMark: "no data = no spend download covers any day of the span (Paid and Total: of every paid platform): no spend data, not zero.",
		partMark:   PartMark + " = some days of the span have no spend data: the spend, clicks and claimed conversions of the other days only, and what divides them (see the notes).",
		spendGap:   "%[1]s: no spend data for %[2]d of the %[3]d day(s): its spend, clicks and claims are the other days' only; over part of the span (" + PartMark + "): %[4]s.", listSep: ", ",
		uncomputed: "“no visits”, “no bookings” and the like = the figure divides by a count that is zero (spend that bought no visit has no cost per visit): nothing to divide, neither 0 nor a missing figure.",
		marks:      "<%d = fewer than %d; * = hidden so that no small count can be worked out from the others, or an amount mostly one visit's; — = not applicable. Counts and amounts carry a small fixed perturbation so that no small count can be worked out by comparing reports: a count is within 2 of the truth (3 across a new year), each visit's amount moves by 3–10%% of itself, so an amount by at most 10%%; totals need not equal the sum of the channels.", marksOff: "— = not applicable. Suppression is off (channels.min_cell: 1): for the clinic's own eyes only.",
		weaker: "BELOW DEFAULT PROTECTION: %s — this report protects patients less than hashgate's defaults do.", weakerSetting: "%s %s (default %s)",
		nfs: NotForSharing, nfsMark: "NOT FOR SHARING", weakMark: "BELOW DEFAULT PROTECTION",
		bookingsVsClicks: "Bookings ÷ clicks", bookedVsClicks: "Bookings made ÷ clicks", ltvLabel: "%d-day value per new patient",
		periodsNone: "periods: none, the whole window only (--period month, week or day adds them)", periodsBy: "periods: by %s",
		trendNoPeriods:  "No trend: the report has no periods. Run with --period month, week or day (and daily spend downloads) for the cost per new patient per period.",
		trendOnePeriod:  "No trend: the window is a single period. Widen the window or choose a shorter --period.",
		trendNoSpend:    "No trend: the report has no spend (no --spend download), so no cost per new patient.",
		trendNoPatients: "No trend: without input.columns.patient_key there are no new patients, so no cost per new patient.",
		trendNoPaid:     "No trend: no channel has an ad platform.",
		trendHidden:     "No trend: in every period each paid channel's cost per new patient is withheld or cannot be computed (small counts); the whole window's is in the table.",
		colon:           ": ", stop: ".", sentenceGap: " ", cacNote: "%s — %s %s (95%%: %s – %s)",
		defPending:      "appointments on or after --as-of: not yet due, whatever their status (a cancellation stays one).",
		defBookRate:     "bookings ÷ the platform's clicks.",
		defBookRateMade: "%[1]s (each dated the day it was made, input.columns.booked_at) ÷ the platform's clicks; %[2]s counts the appointments dated in the window, whenever they were made.",
		defShow:         "visits ÷ (visits + no-shows); pending appointments and cancellations are left out.",
		defCostBook:     "spend ÷ bookings.", defCostVisit: "spend ÷ visits.",
		defROAS:    "the revenue of every visit, new and returning patients' alike, ÷ spend.",
		defCAC:     "spend ÷ new patients (patients whose first visit in the export falls in the window).",
		defLTV:     "the revenue of each new patient's first %[1]d days (channels.ltv_days) ÷ the new patients whose first visit was at least %[1]d days before --as-of (the cohort: ltv_patients in JSON and CSV), not the new patients column.",
		defClaims:  "the platform's claimed conversions ÷ the clinic's visits on that channel.",
		defTotal:   "%[1]s = every channel, walk-ins and referrals included. Its spend is the paid channels' only, so its costs and ROAS print — (they would divide paid spend by every channel's patients and revenue; JSON and CSV keep them): compare channels with %[2]s.",
		countedAll: "Every appointment row counts, consented or not: what keeps a patient from being singled out in a report that leaves the clinic is the release rule (small counts withheld, figures perturbed, what would give one back hidden), not consent. With channels.consented_only: true only rows whose consent passes the gate count.", countedConsent: "Only rows whose consent passes the gate count (channels.consented_only).",
		attribution: "How appointments are attributed: a Google click id (gclid, gbraid, wbraid) puts an appointment in the Google channel and an fbclid in the Meta channel, whatever the source column says; otherwise the source column's value picks the first channel that lists it; otherwise it is Unattributed. Spend, clicks and claimed conversions are the platforms' own figures from their downloads; bookings, visits and new patients are the clinic's.",
		attributed:  "These figures are attributed, not incremental: what the patients who came through a channel cost, not what its spend caused. A patient who would have come anyway is counted too.",
		intervals:   "The 95% ranges are exact: Poisson (Garwood) for cost per new patient and cost per visit, binomial (Clopper–Pearson) for show rate; they describe chance in small counts, not errors of attribution.",
		// chanfigures
		noExport: "no export data", noValues: "no fees", notYet: "not yet",
		noExportMark:   "“no export data” = the export (the range it declares above its header, else its first to its last dated row) covers no day of the span: no appointment data, not zero.",
		noValuesMark:   "“no fees” = none of the span's visits carries a readable fee: revenue, ROAS and the N-day value per new patient are not known, not 0.",
		notYetMark:     "“not yet” = every day of the span is on or after --as-of: its appointments have not happened, so its visits, new patients, revenue and what divides them are not known yet, not 0.",
		exportPartMark: PartMark + " = the export covers only some days of the span: costs, booking rate, claims per visit and ROAS set spend against the clinic's figures of fewer days (see the notes).",
		exportGap:      "The export covers %[1]s to %[2]s: %[3]d of the %[4]d day(s) have no appointment data, not zero bookings.",
		chartPartial:   "hollow, dashed, " + PartMark + " = over part of the span, as in the table (see the notes)",
		exportGapPart:  "The export covers %[1]s to %[2]s: %[3]d of the %[4]d day(s) have no appointment data, not zero bookings; over part of the span (" + PartMark + "): %[5]s.",
		kpiPartial:     "not shown: over part of the span (" + PartMark + ", see the table)",
		unmatched:      "Source words no channel lists, counted under Unattributed (add them to channels.list): %s.",
		metrics: [channels.NumMetrics]string{
			channels.Clicks: "Clicks", channels.Bookings: "Bookings", channels.BookingsMade: "Bookings made", channels.Visits: "Visits", channels.NoShows: "No-shows",
			channels.Cancellations: "Cancelled", channels.Pending: "Pending", channels.Unclassified: "Other status",
			channels.ShowRate: "Show rate", channels.BookingRate: "Booking rate", channels.Spend: "Spend",
			channels.PlatformConversions: "Platform claims", channels.PlatformBookingClaims: "Platform-claimed bookings", channels.CostPerBooking: "Cost per booking", channels.CostPerVisit: "Cost per visit",
			channels.Revenue: "Revenue", channels.ROAS: "ROAS", channels.NewPatients: "New patients", channels.CAC: "Cost per new patient",
			channels.LTV: "LTV", channels.ClaimedVsVisits: "Claims per visit",
		},
	},
	"zh-Hant": {
		htmlLang: "zh-Hant", title: "下個月的廣告預算該放在哪裡", amountsIn: "金額單位", suppressedBelow: "少於 %d 的人數不顯示", to: "至",
		paid: "付費廣告合計", total: "全部合計", unattributed: "未歸因", channel: "管道",
		kpiCAC: "每位新患者成本（付費廣告）", kpiROAS: "廣告投資報酬率（付費廣告）", kpiSpend: "廣告花費",
		kpiNew: "付費廣告帶來的新患者", kpiVisits: "到診（全部管道）", kpiShow: "到診率（全部管道）",
		cacTitle: "每位新患者成本（CAC）與 95% 信賴區間", cacCaption: "長條是該管道每位新患者的成本；細線是真實成本以 95% 信心所在的範圍。範圍重疊的管道，人數太少，無法分出高下。",
		cacAxis: "每位新患者成本", indistinct: "人數太少，無法與 %s 分出高下",
		shareTitle: "付費廣告：花費占比與新患者占比", shareCaption: "只比較付費廣告管道。花費長條高於新患者長條的管道，每位新患者的成本高於付費廣告的平均。",
		shareSpend: "付費花費占比", shareNP: "付費廣告新患者占比", shareAxis: "占付費廣告的 %",
		trendTitle: "每%s的每位新患者成本", trendCaption: "斷開處是人數不顯示或沒有新患者的期間；標籤結尾有「…」的期間尚未結束（到達 --as-of）。", partial: "…",
		funnelTitle: "各管道的預約、到診與新患者", funnelCaption: "預約（所有結果）、其中的到診，以及第一次到診的患者。", patients: "人",
		periodTitle: "付費廣告：每%s", period: "期間",
		whole: "整段期間：%s 至 %s", each: "各期間", noBookings: "沒有預約", noVisits: "沒有到診", noNew: "沒有新患者",
		noClicks: "沒有點擊", noSpend: "沒有花費", noOutcome: "尚無到診或未到", noCohort: "尚無滿期患者", noData: "沒有花費資料",
		noDataMark: "沒有花費資料 = 沒有任何花費檔案涵蓋這段期間的任何一天（付費廣告合計與全部合計：需每個付費平台都有）：是沒有資料，不是 0。",
		partMark:   PartMark + " = 這段期間有幾天沒有花費資料：只是其他天的花費、點擊與平台宣稱的轉換，以及用它們算出的數字（見附註）。",
		spendGap:   "%[1]s：%[3]d 天中有 %[2]d 天沒有花費資料：花費、點擊與宣稱的轉換只是其他天的，%[4]s 只涵蓋部分期間（" + PartMark + "）。", listSep: "、",
		uncomputed: "「沒有到診」「沒有預約」「沒有新患者」等 = 這個數字要除以的人數是 0（花了錢卻沒有到診，就沒有每次到診成本）：無從計算，不是 0，也不是缺漏。",
		marks:      "<%d = 少於 %d；* = 為了不讓小數字被推算出來而隱藏，或金額大多來自單一次就診；— = 不適用。人數與金額帶有固定的小幅擾動，比對多份報表也推算不出小數字：人數與實際相差不超過 2（跨年不超過 3），每筆就診的金額各自上下移動 3–10%%，所以金額整體不超過 10%%；合計不一定等於各管道之和。", marksOff: "— = 不適用。未隱藏小數字（channels.min_cell: 1）：僅供診所內部檢視。",
		weaker: "低於預設保護：%s——這份報表對患者的保護低於 hashgate 的預設。", weakerSetting: "%s %s（預設 %s）",
		nfs: "不得外傳：精確數字，僅供診所內部檢視，不在發布規則的保護範圍內。", nfsMark: "不得外傳", weakMark: "低於預設保護",
		bookingsVsClicks: "預約 ÷ 點擊", bookedVsClicks: "期間內建立的預約 ÷ 點擊", ltvLabel: "每位新患者 %d 天內營收",
		periodsNone: "期間：不分期，只有整段期間（加上 --period month、week 或 day 即可分期）", periodsBy: "期間：每%s",
		trendNoPeriods:  "沒有趨勢圖：報表沒有分期。請加上 --period month、week 或 day（並使用按日的花費報表），即可看到每期的每位新患者成本。",
		trendOnePeriod:  "沒有趨勢圖：整段期間只有一期。請拉長期間，或選較短的 --period。",
		trendNoSpend:    "沒有趨勢圖：報表沒有花費資料（未提供 --spend 花費檔案），所以沒有每位新患者成本。",
		trendNoPatients: "沒有趨勢圖：沒有設定 input.columns.patient_key，就沒有新患者，也就沒有每位新患者成本。",
		trendNoPaid:     "沒有趨勢圖：沒有任何管道有廣告平台。",
		trendHidden:     "沒有趨勢圖：每一期每個付費管道的每位新患者成本都不顯示或無從計算（人數太少）；整段期間的數字見表格。",
		colon:           "：", stop: "。", sentenceGap: "", cacNote: "%s — %s %s（95%%：%s – %s）",
		defPending:      "--as-of 當天及之後的預約：還沒到就診日，不論狀態為何（取消仍算取消）。",
		defBookRate:     "預約 ÷ 平台的點擊。",
		defBookRateMade: "%[1]s（在期間內的日子建立的預約，input.columns.booked_at）÷ 平台的點擊；%[2]s計的是就診日在期間內的預約，不論何時建立。",
		defShow:         "到診 ÷（到診 + 未到）；尚未就診與取消不計入。",
		defCostBook:     "花費 ÷ 預約。", defCostVisit: "花費 ÷ 到診。",
		defROAS:    "所有到診的營收（新患者與回診患者都算）÷ 花費。",
		defCAC:     "花費 ÷ 新患者（第一次到診落在這段期間的患者）。",
		defLTV:     "每位新患者第一次到診起 %[1]d 天內的營收（channels.ltv_days），除以第一次到診距 --as-of 已滿 %[1]d 天的新患者人數（JSON 與 CSV 的 ltv_patients），不是新患者欄的人數。",
		defClaims:  "平台宣稱的轉換 ÷ 診所記錄的該管道到診。",
		defTotal:   "%[1]s = 所有管道，含路過與介紹。它的花費只是付費廣告的花費，所以它的成本與廣告投資報酬率顯示為 —（那會是付費花費除以所有管道的患者與營收；JSON 與 CSV 仍保留）：比較管道請看%[2]s。",
		countedAll: "所有預約列都計入，不論是否同意：報表離開診所後，讓患者不被單獨認出的是發布規則（小數字不顯示、數字加上擾動、可推算出小數字的數字隱藏），不是同意。設定 channels.consented_only: true 則只計入同意檢查通過的列。", countedConsent: "只計入同意檢查通過的列（channels.consented_only）。",
		attribution: "預約如何歸因：有 Google 點擊編號（gclid、gbraid、wbraid）的預約歸 Google 管道，有 fbclid 的歸 Meta 管道，不論來源欄寫什麼；否則依來源欄的值歸入第一個列有該值的管道；否則為未歸因。花費、點擊與平台宣稱的轉換是平台下載檔的數字；預約、到診與新患者是診所自己的數字。",
		attributed:  "這些是歸因數字，不是增量：是經由某管道而來的患者花了多少，不是該管道的花費「造成」了多少。本來就會來的患者也算在內。",
		intervals:   "95% 區間為精確法：每位新患者成本與每次到診成本用卜瓦松（Garwood）區間，到診率用二項（Clopper–Pearson）區間；它們說明人數少時的偶然變動，不是歸因的誤差。",
		// chanfigures
		noExport: "匯出檔無資料", noValues: "沒有金額", notYet: "尚未發生",
		noExportMark:   "匯出檔無資料 = 預約匯出檔（表頭上方標明的期間，否則從第一筆到最後一筆有日期的資料）沒有涵蓋這段期間的任何一天：是沒有預約資料，不是 0。",
		noValuesMark:   "沒有金額 = 這段期間的到診都沒有可讀的金額：營收、廣告投資報酬率與每位新患者的 N 天內營收無從得知，不是 0。",
		notYetMark:     "尚未發生 = 這段期間每一天都在 --as-of 當天或之後：預約還沒到，到診、新患者、營收以及用它們算出的數字尚無從得知，不是 0。",
		exportPartMark: PartMark + " = 預約匯出檔只涵蓋這段期間的部分日子：成本、預約率、宣稱轉換／到診與廣告投資報酬率是拿花費與較少天數的診所數字相比（見附註）。",
		exportGap:      "預約匯出檔涵蓋 %[1]s 至 %[2]s：%[4]d 天中有 %[3]d 天沒有預約資料，是沒有資料，不是 0 筆預約。",
		chartPartial:   "空心虛線、" + PartMark + " = 只涵蓋部分期間，與表格相同（見附註）",
		exportGapPart:  "預約匯出檔涵蓋 %[1]s 至 %[2]s：%[4]d 天中有 %[3]d 天沒有預約資料，是沒有資料，不是 0 筆預約；%[5]s 只涵蓋部分期間（" + PartMark + "）。",
		kpiPartial:     "不列出：只涵蓋部分期間（" + PartMark + "，見表格）",
		unmatched:      "沒有任何管道列出的來源字詞，計入未歸因（可加進 channels.list）：%s。",
		metrics: [channels.NumMetrics]string{
			channels.Clicks: "點擊", channels.Bookings: "預約", channels.BookingsMade: "期間內建立的預約", channels.Visits: "到診", channels.NoShows: "未到",
			channels.Cancellations: "取消", channels.Pending: "尚未就診", channels.Unclassified: "其他狀態",
			channels.ShowRate: "到診率", channels.BookingRate: "預約率", channels.Spend: "花費",
			channels.PlatformConversions: "平台宣稱轉換", channels.PlatformBookingClaims: "平台宣稱預約", channels.CostPerBooking: "每次預約成本", channels.CostPerVisit: "每次到診成本",
			channels.Revenue: "營收", channels.ROAS: "廣告投資報酬率", channels.NewPatients: "新患者", channels.CAC: "每位新患者成本",
			channels.LTV: "終身價值", channels.ClaimedVsVisits: "宣稱轉換／到診",
		},
	},
	"zh-Hans": {
		htmlLang: "zh-Hans", title: "下个月的广告预算该投向哪里", amountsIn: "金额单位", suppressedBelow: "少于 %d 的人数不显示", to: "至",
		paid: "付费广告合计", total: "全部合计", unattributed: "未归因", channel: "渠道",
		kpiCAC: "每位新患者成本（付费广告）", kpiROAS: "广告投资回报率（付费广告）", kpiSpend: "广告花费",
		kpiNew: "付费广告带来的新患者", kpiVisits: "到诊（全部渠道）", kpiShow: "到诊率（全部渠道）",
		cacTitle: "每位新患者成本（CAC）与 95% 置信区间", cacCaption: "柱形是该渠道每位新患者的成本；细线是真实成本以 95% 置信度所在的范围。范围重叠的渠道，人数太少，无法分出高下。",
		cacAxis: "每位新患者成本", indistinct: "人数太少，无法与 %s 分出高下",
		shareTitle: "付费广告：花费占比与新患者占比", shareCaption: "只比较付费广告渠道。花费柱高于新患者柱的渠道，每位新患者的成本高于付费广告的平均。",
		shareSpend: "付费花费占比", shareNP: "付费广告新患者占比", shareAxis: "占付费广告的 %",
		trendTitle: "每%s的每位新患者成本", trendCaption: "断开处是人数不显示或没有新患者的期间；标签结尾有“…”的期间尚未结束（到达 --as-of）。", partial: "…",
		funnelTitle: "各渠道的预约、到诊与新患者", funnelCaption: "预约（所有结果）、其中的到诊，以及第一次到诊的患者。", patients: "人",
		periodTitle: "付费广告：每%s", period: "期间",
		whole: "整段期间：%s 至 %s", each: "各期间", noBookings: "没有预约", noVisits: "没有到诊", noNew: "没有新患者",
		noClicks: "没有点击", noSpend: "没有花费", noOutcome: "尚无到诊或爽约", noCohort: "尚无满期患者", noData: "没有花费数据",
		noDataMark: "没有花费数据 = 没有任何花费文件覆盖这段期间的任何一天（付费广告合计与全部合计：需每个付费平台都有）：是没有数据，不是 0。",
		partMark:   PartMark + " = 这段期间有几天没有花费数据：只是其他天的花费、点击与平台声称的转化，以及用它们算出的数字（见附注）。",
		spendGap:   "%[1]s：%[3]d 天中有 %[2]d 天没有花费数据：花费、点击与声称的转化只是其他天的，%[4]s 只涵盖部分期间（" + PartMark + "）。", listSep: "、",
		uncomputed: "“没有到诊”“没有预约”“没有新患者”等 = 这个数字要除以的人数是 0（花了钱却没有到诊，就没有每次到诊成本）：无从计算，不是 0，也不是缺失。",
		marks:      "<%d = 少于 %d；* = 为了不让小数字被推算出来而隐藏，或金额大多来自单一次就诊；— = 不适用。人数与金额带有固定的小幅扰动，比对多份报表也推算不出小数字：人数与实际相差不超过 2（跨年不超过 3），每笔就诊的金额各自上下浮动 3–10%%，所以金额整体不超过 10%%；合计不一定等于各渠道之和。", marksOff: "— = 不适用。未隐藏小数字（channels.min_cell: 1）：仅供诊所内部查看。",
		weaker: "低于默认保护：%s——这份报表对患者的保护低于 hashgate 的默认设置。", weakerSetting: "%s %s（默认 %s）",
		nfs: "不得外传：精确数字，仅供诊所内部查看，不在发布规则的保护范围内。", nfsMark: "不得外传", weakMark: "低于默认保护",
		bookingsVsClicks: "预约 ÷ 点击", bookedVsClicks: "期间内建立的预约 ÷ 点击", ltvLabel: "每位新患者 %d 天内营收",
		periodsNone: "期间：不分期，只有整段期间（加上 --period month、week 或 day 即可分期）", periodsBy: "期间：每%s",
		trendNoPeriods:  "没有趋势图：报表没有分期。请加上 --period month、week 或 day（并使用按日的花费报表），即可看到每期的每位新患者成本。",
		trendOnePeriod:  "没有趋势图：整段期间只有一期。请拉长期间，或选较短的 --period。",
		trendNoSpend:    "没有趋势图：报表没有花费数据（未提供 --spend 花费文件），所以没有每位新患者成本。",
		trendNoPatients: "没有趋势图：没有设置 input.columns.patient_key，就没有新患者，也就没有每位新患者成本。",
		trendNoPaid:     "没有趋势图：没有任何渠道有广告平台。",
		trendHidden:     "没有趋势图：每一期每个付费渠道的每位新患者成本都不显示或无从计算（人数太少）；整段期间的数字见表格。",
		colon:           "：", stop: "。", sentenceGap: "", cacNote: "%s — %s %s（95%%：%s – %s）",
		defPending:      "--as-of 当天及之后的预约：还没到就诊日，不论状态如何（取消仍算取消）。",
		defBookRate:     "预约 ÷ 平台的点击。",
		defBookRateMade: "%[1]s（在期间内的日子建立的预约，input.columns.booked_at）÷ 平台的点击；%[2]s计的是就诊日在期间内的预约，不论何时建立。",
		defShow:         "到诊 ÷（到诊 + 爽约）；尚未就诊与取消不计入。",
		defCostBook:     "花费 ÷ 预约。", defCostVisit: "花费 ÷ 到诊。",
		defROAS:    "所有到诊的营收（新患者与复诊患者都算）÷ 花费。",
		defCAC:     "花费 ÷ 新患者（第一次到诊落在这段期间的患者）。",
		defLTV:     "每位新患者第一次到诊起 %[1]d 天内的营收（channels.ltv_days），除以第一次到诊距 --as-of 已满 %[1]d 天的新患者人数（JSON 与 CSV 的 ltv_patients），不是新患者列的人数。",
		defClaims:  "平台声称的转化 ÷ 诊所记录的该渠道到诊。",
		defTotal:   "%[1]s = 所有渠道，含路过与介绍。它的花费只是付费广告的花费，所以它的成本与广告投资回报率显示为 —（那会是付费花费除以所有渠道的患者与营收；JSON 与 CSV 仍保留）：比较渠道请看%[2]s。",
		countedAll: "所有预约行都计入，不论是否同意：报表离开诊所后，让患者不被单独识别出来的是发布规则（小数字不显示、数字加上扰动、可推算出小数字的数字隐藏），而不是同意。设置 channels.consented_only: true 则只计入同意检查通过的行。", countedConsent: "只计入同意检查通过的行（channels.consented_only）。",
		attribution: "预约如何归因：有 Google 点击编号（gclid、gbraid、wbraid）的预约归 Google 渠道，有 fbclid 的归 Meta 渠道，不论来源列写什么；否则按来源列的值归入第一个列有该值的渠道；否则为未归因。花费、点击与平台声称的转化是平台下载文件的数字；预约、到诊与新患者是诊所自己的数字。",
		attributed:  "这些是归因数字，不是增量：是经由某渠道而来的患者花了多少，不是该渠道的花费“造成”了多少。本来就会来的患者也算在内。",
		intervals:   "95% 区间为精确法：每位新患者成本与每次到诊成本用泊松（Garwood）区间，到诊率用二项（Clopper–Pearson）区间；它们说明人数少时的偶然波动，不是归因的误差。",
		// chanfigures
		noExport: "导出文件无数据", noValues: "没有金额", notYet: "尚未发生",
		noExportMark:   "导出文件无数据 = 预约导出文件（表头上方标明的期间，否则从第一条到最后一条有日期的记录）没有覆盖这段期间的任何一天：是没有预约数据，不是 0。",
		noValuesMark:   "没有金额 = 这段期间的到诊都没有可读的金额：营收、广告投资回报率与每位新患者的 N 天内营收无从得知，不是 0。",
		notYetMark:     "尚未发生 = 这段期间每一天都在 --as-of 当天或之后：预约还没到，到诊、新患者、营收以及用它们算出的数字尚无从得知，不是 0。",
		exportPartMark: PartMark + " = 预约导出文件只覆盖这段期间的部分日子：成本、预约率、声称转化／到诊与广告投资回报率是拿花费与较少天数的诊所数字相比（见附注）。",
		exportGap:      "预约导出文件覆盖 %[1]s 至 %[2]s：%[4]d 天中有 %[3]d 天没有预约数据，是没有数据，不是 0 个预约。",
		chartPartial:   "空心虚线、" + PartMark + " = 只涵盖部分期间，与表格相同（见附注）",
		exportGapPart:  "预约导出文件覆盖 %[1]s 至 %[2]s：%[4]d 天中有 %[3]d 天没有预约数据，是没有数据，不是 0 个预约；%[5]s 只涵盖部分期间（" + PartMark + "）。",
		kpiPartial:     "不列出：只涵盖部分期间（" + PartMark + "，见表格）",
		unmatched:      "没有任何渠道列出的来源词，计入未归因（可加进 channels.list）：%s。",
		metrics: [channels.NumMetrics]string{
			channels.Clicks: "点击", channels.Bookings: "预约", channels.BookingsMade: "期间内建立的预约", channels.Visits: "到诊", channels.NoShows: "爽约",
			channels.Cancellations: "取消", channels.Pending: "尚未就诊", channels.Unclassified: "其他状态",
			channels.ShowRate: "到诊率", channels.BookingRate: "预约率", channels.Spend: "花费",
			channels.PlatformConversions: "平台声称转化", channels.PlatformBookingClaims: "平台声称预约", channels.CostPerBooking: "每次预约成本", channels.CostPerVisit: "每次到诊成本",
			channels.Revenue: "营收", channels.ROAS: "广告投资回报率", channels.NewPatients: "新患者", channels.CAC: "每位新患者成本",
			channels.LTV: "终身价值", channels.ClaimedVsVisits: "声称转化／到诊",
		},
	},
}

// periodWord names a period kind in the report's language.
func periodWord(lang, period string) string {
	switch lang {
	case "zh-Hant":
		return map[string]string{"month": "月", "week": "週", "day": "日"}[period]
	case "zh-Hans":
		return map[string]string{"month": "月", "week": "周", "day": "日"}[period]
	}
	return period
}

// reason names why a figure cannot be computed, in w's language; "" for
// a figure that does not exist.
func (w *words) reason(r channels.Reason) string {
	switch r {
	case channels.NoBookings, channels.NoBookingsMade:
		return w.noBookings
	case channels.NoVisits:
		return w.noVisits
	case channels.NoNewPatients:
		return w.noNew
	case channels.NoClicks:
		return w.noClicks
	case channels.NoSpend:
		return w.noSpend
	case channels.NoOutcome:
		return w.noOutcome
	case channels.NoLTVPatients:
		return w.noCohort
	case channels.NoSpendData:
		return w.noData
	// chanfigures
	case channels.NoExportData:
		return w.noExport
	case channels.NoValues:
		return w.noValues
	case channels.NotYet:
		return w.notYet
	}
	return ""
}

func wordsFor(lang string) *words {
	if w, ok := lexicon[lang]; ok {
		return w
	}
	return lexicon["en"]
}
