#!/usr/bin/env python3
"""Writes the `hashgate channels` fixtures and, independently of the Go
code, the figures each channel must show (expected-*.json).

    python3 testdata/channels/gen.py

Every value is synthetic. The exports hold the kind of cells a real one
does (names, e-mails, phones, chart numbers, treatment notes) so the canary
test can prove none of them reaches an output; campaign names in the spend
downloads name treatments for the same reason.

Window of the goldens: 2026-11-01 to 2026-11-30 (Asia/Taipei / Shanghai),
--as-of 2026-11-26 (AS_OF), channels.ltv_days 14 (LTV_DAYS); each export
and download also holds days outside it. Orders are rescheduled (an earlier
row of the same order, listed after the row that decides it) and written
twice for one slot (a visit and a no-show: the visit decides), so a count
that depends on row order disagrees with this file.

The figures are computed here from the rows as generated, by the rules as
the README states them, with the stdlib only: exact Poisson (Garwood) and
binomial (Clopper-Pearson) 95% intervals by bisection on the distribution
functions summed term by term, not by the quantile functions the Go code
uses.
"""
import codecs
import json
import math
import os
import random
import unicodedata
from datetime import date, datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
WIN_FROM, WIN_TO = date(2026, 11, 1), date(2026, 11, 30)
AS_OF = date(2026, 11, 26)
LTV_DAYS = 14

SURNAMES = ["Chen", "Lin", "Huang", "Chang", "Lee", "Wang", "Wu", "Liu", "Tsai", "Yang"]
GIVEN = ["Mei-Ling", "Chih-Hao", "Ya-Ting", "Wei-Jie", "Shu-Fen", "Kuan-Yu", "Hsin-Yi", "Po-Han"]
ZH_TW_NAMES = ["陳美玲", "林志豪", "黃雅婷", "張偉傑", "李淑芬", "王冠宇", "吳欣怡", "劉柏翰"]
ZH_CN_NAMES = ["陈美玲", "林志豪", "黄雅婷", "张伟杰", "李淑芬", "王冠宇", "吴欣怡", "刘柏翰"]
NOTES = ["implant consult", "whitening", "root canal", "braces review", "cleaning", "veneers"]
ZH_NOTES = ["植牙諮詢", "美白", "根管治療", "矯正回診", "洗牙"]
CN_NOTES = ["种植牙咨询", "美白", "根管治疗", "矫正复诊", "洗牙"]


def click_id(rng, prefix):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return prefix + "".join(rng.choice(alphabet) for _ in range(60))


class Lang:
    """One export's language: headers, vocabularies, formats."""

    def __init__(self, key, headers, statuses, visit_statuses, sources, consent, date_fmt, encoding, title, names, notes):
        self.key, self.headers, self.statuses, self.visit_statuses = key, headers, statuses, visit_statuses
        self.sources, self.consent, self.date_fmt, self.encoding = sources, consent, date_fmt, encoding
        self.title, self.names, self.notes = title, names, notes


EN = Lang(
    "en",
    ["Appointment ID", "Appointment Time", "Status", "Patient Name", "Email", "Mobile", "Source", "gclid", "fbclid", "Marketing Consent", "Fee", "Chart No", "Notes",
     "Booked At"],
    {"visit": "completed", "noshow": "no-show", "cancel": "cancelled", "booked": "booked"},
    ["completed"],
    # source word per channel (several spellings, as front desks type them)
    {"google": ["Google", "google ads", "GOOGLE"], "meta": ["Facebook", "instagram", "FB"], "line": ["LINE", "line@"],
     "referral": ["Referral", "friend"], "none": ["", "walk-in", "-"]},
    ["yes", "no", ""],
    lambda dt: dt.strftime("%Y-%m-%d %H:%M"),
    "utf-8",
    None,
    None,
    NOTES,
)
ZH_TW = Lang(
    "zh-tw",
    ["預約編號", "預約時間", "狀態", "姓名", "電子郵件", "手機", "來源", "gclid", "fbclid", "廣告成效同意", "自費金額", "病歷號", "備註"],
    {"visit": "已完成", "noshow": "未到", "cancel": "取消", "booked": "已預約"},
    ["已完成"],
    {"google": ["Google", "谷歌"], "meta": ["臉書", "Facebook", "ＩＧ"], "line": ["LINE", "Line官方帳號"],
     "referral": ["朋友介紹", "介紹"], "none": ["", "路過", "其他"]},
    ["同意", "不同意", ""],
    lambda dt: "%d/%02d/%02d %s %02d:%02d" % (dt.year - 1911, dt.month, dt.day, "上午" if dt.hour < 12 else "下午",
                                              dt.hour if dt.hour <= 12 else dt.hour - 12, dt.minute),
    "big5",
    "○○牙醫美學診所 預約明細表",
    ZH_TW_NAMES,
    ZH_NOTES,
)
ZH_CN = Lang(
    "zh-cn",
    ["预约编号", "就诊时间", "状态", "姓名", "邮箱", "手机", "渠道", "gclid", "fbclid", "广告同意", "金额", "病历号", "备注"],
    {"visit": "已到诊", "noshow": "爽约", "cancel": "已取消", "booked": "已预约"},
    ["已到诊"],
    {"google": ["谷歌", "Google"], "meta": ["脸书", "Facebook"], "line": ["微信", "公众号"],
     "referral": ["朋友介绍", "老客介绍"], "none": ["", "自然到店"]},
    ["同意", "不同意", ""],
    lambda dt: "%d年%d月%d日 %02d:%02d" % (dt.year, dt.month, dt.day, dt.hour, dt.minute),
    "utf-8-sig",
    None,
    ZH_CN_NAMES,
    CN_NOTES,
)

CHANNEL_WEIGHTS = [("google", 34), ("meta", 26), ("line", 12), ("referral", 3), ("none", 6)]


def make_rows(lang, seed, start, days, per_day):
    """Appointments from start for days, with duplicates, click ids that
    contradict the source word, and repeat patients."""
    rng = random.Random(seed)
    rows = []
    patients = []
    n = 0
    for day in range(days):
        d = start + timedelta(days=day)
        for _ in range(rng.randint(*per_day)):
            n += 1
            ch = rng.choices([c for c, _ in CHANNEL_WEIGHTS], [w for _, w in CHANNEL_WEIGHTS])[0]
            if patients and rng.random() < 0.3:
                pat = rng.choice(patients)
            else:
                pid = len(patients) + 1
                name = (rng.choice(GIVEN) + " " + rng.choice(SURNAMES)) if lang.names is None else rng.choice(lang.names)
                pat = {
                    "chart": "P%05d" % (1000 + pid * 7),
                    "name": name,
                    "email": "patient%03d.%s@example.com" % (pid, lang.key.replace("-", "")),
                    "phone": "09%02d-%03d-%03d" % (10 + pid % 80, pid * 3 % 1000, pid * 7 % 1000),
                }
                patients.append(pat)
            src = rng.choice(lang.sources[ch])
            gclid = fbclid = ""
            if ch == "google" and rng.random() < 0.5:
                gclid = click_id(rng, "Cj0KCQ")
            if ch == "meta" and rng.random() < 0.4:
                fbclid = click_id(rng, "IwAR")
            # a click id beats a contradicting source word
            if ch == "google" and gclid and rng.random() < 0.25:
                src = rng.choice(lang.sources["meta"])
            status = rng.choices(["visit", "noshow", "cancel", "booked"], [70, 12, 10, 8])[0]
            t = d.replace(hour=rng.choice([9, 10, 11, 14, 15, 16, 19]), minute=rng.choice([0, 30]))
            fee = rng.choice([800, 1200, 1500, 3000, 12800, 68000]) if status == "visit" else 0
            rows.append({
                "id": "%s-%05d" % ({"en": "A", "zh-tw": "TW", "zh-cn": "CN"}[lang.key], 20000 + n * 3),
                "time": t, "first_time": t, "status": status, "pat": pat, "src": src, "gclid": gclid, "fbclid": fbclid,
                "consent": rng.choice(lang.consent), "fee": fee, "note": rng.choice(lang.notes), "channel": ch,
            })
            main = rows[-1]
            if status == "visit" and rng.random() < 0.04:
                # the same slot written twice, a no-show above the visit:
                # at one time, the visit decides
                twin = dict(main, status="noshow", fee=0)
                rows.insert(len(rows) - 1, twin)
            if rng.random() < 0.06:  # the export repeats a row
                rows.append(dict(main))
            if rng.random() < 0.08:
                # rescheduled: an earlier booking of the same order, from
                # another channel's word, listed after the row that decides
                och = rng.choice([c for c, _ in CHANNEL_WEIGHTS])
                early = dict(main, time=t - timedelta(days=rng.randint(1, 9)), status=rng.choice(["booked", "cancel", "noshow"]),
                             fee=0, channel=och, src=rng.choice(lang.sources[och]), gclid="", fbclid="")
                rows.append(early)
    return rows


def attribute(row):
    """The rules, restated: click id, then source word, then Unattributed."""
    if row["gclid"]:
        return "google"
    if row["fbclid"]:
        return "meta"
    return row["channel"] if row["channel"] != "none" else "unattributed"


RANK = {"visit": 3, "noshow": 2, "cancel": 1, "booked": 0}
CHANS = ["google", "meta", "line", "referral", "unattributed"]
PAID = ["google", "meta"]
COUNTS = ["bookings", "visits", "no_shows", "cancellations", "pending", "unclassified",
          "new_visits", "new_patients", "ltv_patients", "bookings_made", "lead_days"]
MONEY = ["revenue", "new_revenue", "ltv_revenue"]
WORKING = ["lead_days"]  # gen.py's working, not keys of the report


def fnv(cells):
    """FNV-1a over the row's cells, each followed by one more multiply:
    the row-bytes tie-break, restated."""
    h = 14695981039346656037
    for c in cells:
        for byte in c.encode("utf-8"):
            h = ((h ^ byte) * 1099511628211) % 2 ** 64
        h = (h * 1099511628211) % 2 ** 64
    return h


def expected(rows, lang):
    """Per channel over the window: the funnel decided by each order's
    latest row, new and returning visits, the LTV cohort."""
    orders = {}
    for r in rows:
        orders.setdefault(r["id"], []).append(r)
    out = {c: dict({k: 0 for k in COUNTS}, **{k: 0 for k in MONEY}) for c in CHANS}
    visits = {}  # chart -> [(time, tie, channel, fee)]
    for rs in orders.values():
        r = max(rs, key=lambda x: (x["time"], RANK[x["status"]], fnv(cells_of(lang, x))))
        ch, d = attribute(r), r["time"].date()
        o = {"visit": "visits", "noshow": "no_shows", "cancel": "cancellations", "booked": "unclassified"}[r["status"]]
        if d >= AS_OF and o != "cancellations":
            o = "pending"
        if o == "visits":
            visits.setdefault(r["pat"]["chart"], []).append((r["time"], fnv(cells_of(lang, r)), ch, r["fee"]))
        if WIN_FROM <= d <= WIN_TO:
            out[ch]["bookings"] += 1
            out[ch][o] += 1
            if o == "visits":
                out[ch]["revenue"] += r["fee"]
        if "Booked At" in lang.headers:
            # Dated the day it was booked (in the window or not, whatever
            # the appointment's day), by the deciding row's channel; a
            # booking "made" after its appointment is made that day.
            b, _ = booked_of(r)
            if b is not None and WIN_FROM <= b.date() <= WIN_TO:
                out[ch]["bookings_made"] += 1
                out[ch]["lead_days"] += max((d - b.date()).days, 0)
    for vs in visits.values():
        vs.sort()
        t, _, ch, fee = vs[0]
        d = t.date()
        if not WIN_FROM <= d <= WIN_TO:
            continue
        out[ch]["new_patients"] += 1
        out[ch]["new_visits"] += 1
        out[ch]["new_revenue"] += fee
        if d + timedelta(days=LTV_DAYS) <= AS_OF:
            out[ch]["ltv_patients"] += 1
            out[ch]["ltv_revenue"] += sum(f for (u, _, _, f) in vs if (u.date() - d).days < LTV_DAYS)
    return out


# The source words of each fixture's channels.list (en.yaml, zh-tw.yaml,
# zh-cn.yaml): a source value folded to none of them is unmatched.
CONFIG_WORDS = {
    "en": ["google", "google ads", "facebook", "instagram", "fb", "ig", "line", "line@", "referral", "friend"],
    "zh-tw": ["google", "谷歌", "臉書", "facebook", "ig", "line", "line官方帳號", "朋友介紹", "介紹"],
    "zh-cn": ["谷歌", "google", "脸书", "facebook", "微信", "公众号", "朋友介绍", "老客介绍"],
}


def fold(s):
    return unicodedata.normalize("NFKC", s).casefold().strip()


def unmatched(rows, lang):
    """The unmatched source words the printing rule allows — seen in at
    least 5 rows, among at most 20 distinct unmatched values — with the
    bookings in the window whose deciding row carries them."""
    words = {fold(w) for w in CONFIG_WORDS[lang.key]}
    cells = [r["src"].strip() for r in rows if r["src"].strip() and fold(r["src"]) not in words]
    if len(set(cells)) > 20:
        return {}
    printable = {c for c in set(cells) if cells.count(c) >= 5}
    orders = {}
    for r in rows:
        orders.setdefault(r["id"], []).append(r)
    out = {}
    for rs in orders.values():
        r = max(rs, key=lambda x: (x["time"], RANK[x["status"]], fnv(cells_of(lang, x))))
        w = r["src"].strip()
        if w in printable and WIN_FROM <= r["time"].date() <= WIN_TO:
            out[w] = out.get(w, 0) + 1
    return out


def poisson_cdf(k, mu):
    """P(X <= k) for X ~ Poisson(mu), term by term."""
    term, total = math.exp(-mu), 0.0
    for i in range(k + 1):
        if i > 0:
            term *= mu / i
        total += term
    return total


def bisect(f, lo, hi):
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def garwood(n):
    """The exact 95% interval of a Poisson mean from a count n."""
    lo = 0.0 if n == 0 else bisect(lambda mu: poisson_cdf(n - 1, mu) > 0.975, 0, 10 * n + 10)
    hi = bisect(lambda mu: poisson_cdf(n, mu) > 0.025, 0, 10 * n + 10)
    return lo, hi


def binom_cdf(k, n, p):
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))


def clopper_pearson(x, n):
    lo = 0.0 if x == 0 else bisect(lambda p: binom_cdf(x - 1, n, p) > 0.975, 0, 1)
    hi = 1.0 if x == n else bisect(lambda p: binom_cdf(x, n, p) > 0.025, 0, 1)
    return lo, hi


def figures(line, spend, booked, channel):
    """The derived figures of one line from its counts and spend (None
    when the line has no spend download), as a clinic manager reads them.
    booked: the export has booked_at (bookings_made and the lead exist);
    channel: a channel's line (a booking rate needs its own clicks)."""
    f = {k: v for k, v in line.items() if k not in WORKING}
    if booked:
        f["booking_lead_days"] = line["lead_days"] / line["bookings_made"] if line["bookings_made"] else None
    else:
        f["bookings_made"] = None
        f["booking_lead_days"] = None
    f["returning_visits"] = line["visits"] - line["new_visits"]
    f["returning_revenue"] = line["revenue"] - line["new_revenue"]
    seen = line["visits"] + line["no_shows"]
    if seen:
        f["show_rate"] = line["visits"] / seen
        f["show_rate_low"], f["show_rate_high"] = clopper_pearson(line["visits"], seen)
    if line["ltv_patients"]:
        f["ltv"] = line["ltv_revenue"] / line["ltv_patients"]
    if spend is not None:
        f.update(spend)
        if channel and spend.get("clicks"):
            # bookings made on the days of the clicks, with booked_at;
            # else bookings by appointment
            f["booking_rate"] = (line["bookings_made"] if booked else line["bookings"]) / spend["clicks"]
        if line["visits"]:
            lo, hi = garwood(line["visits"])
            f["cost_per_visit"] = spend["spend"] / line["visits"]
            f["cost_per_visit_low"], f["cost_per_visit_high"] = spend["spend"] / hi, spend["spend"] / lo
        if line["new_patients"]:
            lo, hi = garwood(line["new_patients"])
            f["cac"] = spend["spend"] / line["new_patients"]
            f["cac_low"], f["cac_high"] = spend["spend"] / hi, spend["spend"] / lo
        if spend["spend"]:
            f["roas"] = line["revenue"] / spend["spend"]
    return f


def case_figures(counts, spend_of, booked):
    """Every line of one fixture run: channels, paid and total. spend_of
    maps the platforms with a download to their window sums."""
    out = {}
    for c in CHANS:
        out[c] = figures(counts[c], spend_of.get(c), booked, True)
    for name, members in (("paid", PAID), ("total", CHANS)):
        line = {k: sum(counts[c][k] for c in members) for k in COUNTS + MONEY}
        sp = None
        if spend_of:
            sp = {"spend": round(sum(spend_of[c]["spend"] for c in PAID if c in spend_of), 2)}
        out[name] = figures(line, sp, booked, False)
    return out


def cells_of(lang, r):
    """The row's cells as the export holds them (and the reader returns)."""
    p = r["pat"]
    cells = [r["id"], lang.date_fmt(r["time"]), lang.statuses[r["status"]], p["name"], p["email"], p["phone"],
             r["src"], r["gclid"], r["fbclid"], r["consent"], "{:,}".format(r["fee"]) if r["fee"] else "", p["chart"], r["note"]]
    if "Booked At" in lang.headers:
        cells.append(booked_cell(lang, r))
    return cells


def booked_of(r):
    """When the order was booked (input.columns.booked_at): drawn from the
    order id alone — the same for every row of the order, and no draw
    taken from the rows' generator, so the other columns stay what they
    were — as (datetime or None, cell text). Most bookings are made days
    before the appointment of the order's first row (a reschedule keeps
    when it was booked); some on the day (walk-ins); some cells are empty
    (no record) and some unreadable, which count by appointment only."""
    rng = random.Random("booked:" + r["id"])
    kind = rng.random()
    if kind < 0.06:
        return None, ""
    if kind < 0.09:
        return None, "by phone"  # not a time: BookedAtUnreadable
    lead = rng.choice([0, 0, 1, 2, 3, 4, 6, 7, 10, 14, 21, 30])
    t = r["first_time"] - timedelta(days=lead, hours=rng.randint(0, 8))
    return t, None


def booked_cell(lang, r):
    t, text = booked_of(r)
    return lang.date_fmt(t) if t is not None else text


def write_export(lang, rows):
    path = os.path.join(HERE, "export-%s.csv" % lang.key)
    lines = []
    if lang.title:
        lines.append(lang.title)
        lines.append("")
    lines.append(",".join(lang.headers))
    for r in rows:
        cells = cells_of(lang, r)
        lines.append(",".join('"%s"' % c if "," in c else c for c in cells))
    data = "\r\n".join(lines) + "\r\n"
    with open(path, "wb") as f:
        f.write(data.encode(lang.encoding))


CAMPAIGNS = {"google": ["Dental Implant Search", "Brand - Whitening"], "meta": ["Invisalign Leads", "Veneers Retargeting"]}


def spend_days(seed, platform):
    rng = random.Random(seed)
    rows = []
    d = date(2026, 7, 30)
    while d <= date(2026, 12, 2):
        for camp in CAMPAIGNS[platform]:
            if rng.random() < 0.1:
                continue  # a day without delivery: no row
            cost = round(rng.uniform(300, 2400), 2)
            clicks = rng.randint(8, 90)
            conv = rng.choice([0, 0, 1, 1, 2, 3]) + (0.5 if platform == "google" and rng.random() < 0.2 else 0)
            rows.append({"day": d, "campaign": camp, "cost": cost, "clicks": clicks, "conv": conv})
        d += timedelta(days=1)
    return rows


def write_google(rows, name="google-ads.csv", end=date(2026, 12, 2)):
    """The Google Ads UI download: a title line, a date-range line, the
    header, rows with thousands separators, then Total rows."""
    head = ["Day", "Campaign", "Currency code", "Cost", "Clicks", "Conversions"]
    body = []
    for r in rows:
        body.append([r["day"].isoformat(), r["campaign"], "TWD", "{:,.2f}".format(r["cost"]), "{:,}".format(r["clicks"]), "%.2f" % r["conv"]])
    tot_cost = sum(r["cost"] for r in rows)
    tot_clicks = sum(r["clicks"] for r in rows)
    tot_conv = sum(r["conv"] for r in rows)
    totals = [["Total: Account", "--", "TWD", "{:,.2f}".format(tot_cost), "{:,}".format(tot_clicks), "%.2f" % tot_conv],
              ["Total: Search", "--", "TWD", "{:,.2f}".format(tot_cost), "{:,}".format(tot_clicks), "%.2f" % tot_conv],
              ["Total: Campaigns", "--", "TWD", "{:,.2f}".format(tot_cost), "{:,}".format(tot_clicks), "%.2f" % tot_conv]]
    title = ["Campaign report", "July 30, 2026 - %s %d, %d" % (end.strftime("%B"), end.day, end.year)]

    def q(c, sep):
        return '"%s"' % c if (sep in c or '"' in c) else c
    # "CSV": UTF-8, comma-separated
    lines = title + [",".join(head)] + [",".join(q(c, ",") for c in row) for row in body + totals]
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    if name != "google-ads.csv":
        return
    # "Excel CSV": UTF-16LE with a byte-order mark, tab-separated
    lines = title + ["\t".join(head)] + ["\t".join(row) for row in body + totals]
    with open(os.path.join(HERE, "google-ads-excel.csv"), "wb") as f:
        f.write(codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))


def write_meta(rows):
    """Ads Manager exports: UTF-8 with a BOM; with a day breakdown (Day),
    and without one (one row per campaign over the reporting range)."""
    head = ["Campaign name", "Day", "Amount spent (TWD)", "Link clicks", "Results", "Result indicator", "Reporting starts", "Reporting ends"]
    lines = [",".join(head)]
    for r in rows:
        lines.append(",".join([r["campaign"], r["day"].isoformat(), "%.2f" % r["cost"], str(r["clicks"]), str(int(r["conv"])) if r["conv"] else "",
                               "actions:lead", r["day"].isoformat(), r["day"].isoformat()]))
    with open(os.path.join(HERE, "meta-daily.csv"), "wb") as f:
        f.write(codecs.BOM_UTF8 + ("\n".join(lines) + "\n").encode("utf-8"))
    head = ["Campaign name", "Amount spent (TWD)", "Link clicks", "Results", "Result indicator", "Reporting starts", "Reporting ends"]
    lines = [",".join(head)]
    for camp in CAMPAIGNS["meta"]:
        inwin = [r for r in rows if r["campaign"] == camp and WIN_FROM <= r["day"] <= WIN_TO]
        lines.append(",".join([camp, "%.2f" % sum(r["cost"] for r in inwin), str(sum(r["clicks"] for r in inwin)),
                               str(int(sum(r["conv"] for r in inwin))), "actions:lead", WIN_FROM.isoformat(), WIN_TO.isoformat()]))
    with open(os.path.join(HERE, "meta-total.csv"), "wb") as f:
        f.write(codecs.BOM_UTF8 + ("\n".join(lines) + "\n").encode("utf-8"))


def spend_sums(rows, last=WIN_TO):
    inwin = [r for r in rows if WIN_FROM <= r["day"] <= min(WIN_TO, last)]
    return {"spend": round(sum(r["cost"] for r in inwin), 2), "clicks": sum(r["clicks"] for r in inwin),
            "platform_conversions": round(sum(r["conv"] for r in inwin), 2)}


def with_missing(lines, missing):
    """spend_days_missing per line: a platform's channel its own; paid and
    total the days any platform lacks; null for the others."""
    for c, line in lines.items():
        if c in PAID:
            line["spend_days_missing"] = missing.get(c, (WIN_TO - WIN_FROM).days + 1)
        elif c in ("paid", "total"):
            line["spend_days_missing"] = max(missing.values()) if missing else (WIN_TO - WIN_FROM).days + 1
        else:
            line["spend_days_missing"] = None
    return lines


SHORT_END = date(2026, 11, 24)  # google-ads-short.csv: downloaded six days before --to


def main():
    exp = {}
    counts = {}
    words = {}
    # The English export spans four months, enough for a monthly trend
    # (the README's screenshot); the Chinese ones the weeks around the window.
    for lang, seed, start, days, per_day in ((EN, 17, datetime(2026, 8, 1), 127, (1, 6)),
                                             (ZH_TW, 1717, datetime(2026, 10, 20), 47, (0, 4)),
                                             (ZH_CN, 171717, datetime(2026, 10, 20), 47, (0, 4))):
        rows = make_rows(lang, seed, start, days, per_day)
        write_export(lang, rows)
        counts[lang.key] = expected(rows, lang)
        words[lang.key] = unmatched(rows, lang)
    g = spend_days(7, "google")
    m = spend_days(8, "meta")
    for r in m:
        r["conv"] = int(r["conv"])
    write_google(g)
    write_google([r for r in g if r["day"] <= SHORT_END], name="google-ads-short.csv", end=SHORT_END)
    write_meta(m)
    full = {"google": spend_sums(g), "meta": spend_sums(m)}
    # The runs of the Go test: which downloads each export is read with.
    # en.yaml maps the English export's Booked At (input.columns.booked_at).
    exp["en"] = with_missing(case_figures(counts["en"], full, True), {"google": 0, "meta": 0})
    exp["zh-tw"] = with_missing(case_figures(counts["zh-tw"], full, False), {"google": 0, "meta": 0})
    exp["zh-cn"] = with_missing(case_figures(counts["zh-cn"], {}, False), {})
    short = {"google": spend_sums(g, SHORT_END), "meta": full["meta"]}
    exp["en-short"] = with_missing(case_figures(counts["en"], short, True), {"google": (WIN_TO - SHORT_END).days, "meta": 0})
    exp["unmatched_sources"] = words
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(exp, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
