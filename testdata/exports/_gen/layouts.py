OD_STATUS = {"V": ["Complete"], "N": "Broken", "C": "Broken", "S": "Scheduled"}
EN_CONSENT = {"G": ["Yes", "Y"], "D": "No", "S": "Yes - SMS only", "R": "Revoked"}

layout(name="01-opendental-user-query", system="Open Dental, User Query (raw), appointment joined to patient",
    region="US", timezone="America/Chicago",
    columns=[("AptNum", "order"), ("PatNum", "pkey", "%d"), ("AptDateTime", "dt", "iso"), ("AptStatus", "status"),
             ("FName", "fname"), ("LName", "lname"), ("Birthdate", "dob", "mdy"), ("Email", "email"),
             ("WirelessPhone", "phone", "us"), ("HmPhone", "landline", "us"), ("Zip", "zip", "us"),
             ("ProcCodes", "treat", ["D1110", "D2740", "D0150"]), ("ProcDescript", "treat", ["PerEx, 4BW, Pro", "Crown #3"]),
             ("TxtMsgOk", "cycle", ["Yes", "No", "Unknown"]), ("AdConsent (patfield)", "consent")],
    status_words=OD_STATUS, consent_words=EN_CONSENT, map_value=False,
    traps=["ProcCodes and ProcDescript are clinical columns no config maps (the header must still be found and shown)",
           "TxtMsgOk is SMS consent, never ad-measurement consent", "two phone columns: WirelessPhone and HmPhone",
           "Birthdate is m/d/y but is no appointment column"])

layout(name="02-opendental-excel-resave", system="Open Dental, User Query (human-readable) saved from Excel",
    region="US", timezone="America/Denver", date_order="mdy", encoding="utf-8-bom",
    columns=[("AptNum", "order"), ("Patient", "name", "en"), ("AptDateTime", "dt", "mdy_ampm"), ("AptStatus", "status"),
             ("Email", "email", "sparse"), ("WirelessPhone", "phone", "us_plain"), ("ProcFee", "value", "usd"),
             ("Note", "note", "pt anxious"), ("AdConsent", "consent")],
    status_words=OD_STATUS, consent_words=EN_CONSENT, map_value=True,
    traps=["Excel rewrote AptDateTime as m/d/yyyy h:mm AM/PM: the order is proved by a day above 12",
           "UTF-8 with a BOM", "Patient holds the patient's name (human-readable mode)", "a free-text Note column"])

layout(name="03-dentrix-appointment-list", system="Dentrix, Appointment List report exported to CSV",
    region="US", timezone="America/New_York", date_order="mdy",
    columns=[("Chart #", "pkey", "WA%04d"), ("Patient Name", "name", "en"), ("Appt Date", "date", "mdy"),
             ("Appt Time", "time", "ampm"), ("Status", "status"), ("Home Phone", "landline", "us"),
             ("Mobile Phone", "phone", "us"), ("E-mail", "email"), ("Provider", "cycle", ["DDS1", "HYG1"]),
             ("Reason", "treat", ["Pro", "Cr", "RCT"]), ("Marketing Consent", "consent")],
    status_words={"V": ["Complete"], "N": "Broken", "C": "Broken", "S": "Scheduled"}, consent_words=EN_CONSENT,
    traps=["no appointment id: chart number + date + time is the order key", "dates m/d/yyyy, order proved by days above 12",
           "Reason holds procedure abbreviations"])

layout(name="04-eaglesoft-scheduler", system="Patterson Eaglesoft, appointment report exported to Excel",
    region="US", timezone="America/Los_Angeles",
    columns=[("Patient ID", "pkey", "%d"), ("Last Name", "lname"), ("First Name", "fname"), ("Appointment Date", "date", "iso"),
             ("Start Time", "time", "hm"), ("Appt Status", "status"), ("Cell Phone", "phone", "us"), ("Work Phone", "landline", "us"),
             ("E-Mail Address", "email"), ("Zip Code", "zip", "us"), ("Service Codes", "treat", ["D1110", "D0274"]),
             ("Ad Consent", "consent")],
    status_words={"V": ["Completed"], "N": "No Show", "C": "Cancelled", "S": "Scheduled"}, consent_words=EN_CONSENT,
    traps=["no appointment id: Patient ID + date + time", "Work Phone is a landline column"])

layout(name="05-curve-dental", system="Curve Dental (Curve Hero), appointments export", region="US",
    timezone="America/Phoenix",
    columns=[("Appointment ID", "order"), ("Patient", "name", "en"), ("Date", "date", "iso"), ("Time", "time", "ampm"),
             ("Appointment Status", "status"), ("Mobile", "phone", "us"), ("Email", "email"), ("Operatory", "cycle", ["OP1", "OP2"]),
             ("Consent to Ads", "consent")],
    status_words={"V": ["Completed"], "N": "Missed", "C": "Canceled", "S": "Scheduled"}, consent_words=EN_CONSENT,
    traps=["Missed and Canceled are Curve's words for no-show and cancellation"])

layout(name="06-denticon-data-download", system="Planet DDS Denticon, scheduled data download processed into Excel",
    region="US", timezone="America/Chicago", delimiter="\t",
    columns=[("ApptID", "order"), ("PatID", "pkey", "%d"), ("ApptDate", "date", "iso"), ("ApptTime", "time", "hm"),
             ("ApptStatus", "status"), ("Cell", "phone", "us"), ("Email", "email"), ("No Auto SMS", "cycle", ["", "X"]),
             ("No Correspondence", "cycle", ["", "", "X"]), ("Marketing OK", "consent")],
    status_words={"V": ["Complete"], "N": "No Show", "C": "Cancelled", "S": "Scheduled"}, consent_words=EN_CONSENT,
    traps=["tab-separated", "No Auto SMS / No Correspondence are opt-out checkboxes, not consent"])

layout(name="07-cliniko-appointments", system="Cliniko, appointments with patient details (API field names)",
    region="AU", timezone="Australia/Sydney", zone_stated=True,
    columns=[("id", "order"), ("starts_at", "dt", "isoZ"), ("patient_first_name", "fname"), ("patient_last_name", "lname"),
             ("email", "email"), ("patient_phone_number", "phone", "au"), ("appointment_type", "treat", ["Initial Consult", "Follow up"]),
             ("status", "status"), ("accepted_email_marketing", "cycle", ["true", "false"]), ("ad_measurement_consent", "consent")],
    status_words={"V": ["Arrived"], "N": "Did not arrive", "C": "Cancelled", "S": "Booked"},
    consent_words={"G": ["true"], "D": "false", "S": "false", "R": "false"},
    traps=["starts_at is UTC with Z: the export states its zone", "accepted_email_marketing is e-mail consent only",
           "ad consent is a clinic custom field of true/false"])

layout(name="08-jane-appointments-report", system="Jane App, Appointments report", region="US",
    timezone="America/Los_Angeles",
    columns=[("Start At", "dt", "iso"), ("Patient", "name", "en"), ("Patient Number", "pkey", "P%05d"), ("Email", "email"),
             ("Mobile Phone", "phone", "us"), ("Treatment", "treat", ["Physiotherapy Initial", "Massage 60"]),
             ("State", "status"), ("Marketing Consent", "consent")],
    status_words={"V": ["Arrived"], "N": "No Show", "C": "Cancelled", "S": "Booked"}, consent_words=EN_CONSENT,
    traps=["no appointment id: patient number + start", "State is the appointment status"])

layout(name="09-simplepractice-appointments", system="SimplePractice, appointment status report", region="US",
    timezone="America/New_York", date_order="mdy",
    columns=[("Date of Service", "date", "mdy"), ("Time", "time", "ampm"), ("Client ID", "pkey", "%d"), ("Client", "name", "en"),
             ("Client Email", "email"), ("Client Phone", "phone", "us"), ("Service Code", "cycle", ["90837", "90834", "90791"]),
             ("Fee", "value", "usd"), ("Status", "status"), ("Marketing consent", "consent")],
    status_words={"V": ["Show"], "N": "No Show", "C": "Late Canceled", "S": "Canceled"}, consent_words=EN_CONSENT,
    traps=["Service Code is a five-digit CPT code, not an Excel date", "Show is the visit word", "dates m/d/yyyy"])

layout(name="10-acuity-scheduling-export", system="Acuity Scheduling, appointments export", region="US",
    timezone="America/Chicago",
    columns=[("Appointment ID", "order"), ("Start Time", "dt", "iso"), ("First Name", "fname"), ("Last Name", "lname"),
             ("Phone", "phone", "us"), ("Email", "email"), ("Type", "treat", ["Botox consult", "Filler"]),
             ("Calendar", "cycle", ["Dr A", "Dr B"]), ("Appointment Price", "value", "usd"), ("Status", "status"),
             ("Notes", "note", "prefers afternoons"), ("I agree to ad measurement", "consent")],
    status_words={"V": ["Completed"], "N": "No-show", "C": "Canceled", "S": "Scheduled"}, consent_words=EN_CONSENT,
    traps=["the consent column is an intake-form question", "Type names the treatment"])

layout(name="11-google-offline-import-sheet", system="A clinic sheet kept in the shape of Google Ads' click-conversion import template",
    region="US", timezone="America/Chicago", zone_stated=True,
    columns=[("Order ID", "order"), ("Google Click ID", "gclid"), ("Conversion Name", "const", "Visit"),
             ("Conversion Time", "dt", "iso+08"), ("Conversion Value", "value", "usd"), ("Conversion Currency", "currency", "USD"),
             ("Email", "email"), ("Phone Number", "phone", "us"), ("Visit Status", "status"), ("Ad Consent", "consent")],
    status_words={"V": ["Completed"], "N": "No Show", "C": "Cancelled", "S": "Scheduled"}, consent_words=EN_CONSENT,
    traps=["Google Click ID must be mapped as gclid (click-id-only conversions)", "times carry an offset"])

layout(name="12-meta-offline-events-sheet", system="A clinic sheet kept in the shape of Meta's offline-events upload columns",
    region="US", timezone="America/New_York", zone_stated=True,
    columns=[("order_id", "order"), ("event_time", "dt", "iso+08"), ("email", "email"), ("phone", "phone", "us"),
             ("fn", "fname"), ("ln", "lname"), ("zip", "zip", "us"), ("value", "value", "usd"), ("currency", "currency", "USD"),
             ("fbclid", "fbclid"), ("visit_status", "status"), ("consent", "consent")],
    status_words={"V": ["Completed"], "N": "No Show", "C": "Cancelled", "S": "Scheduled"}, consent_words=EN_CONSENT,
    traps=["fn / ln / zip are Meta's short names", "fbclid on some rows"])

layout(name="13-openemr-calendar", system="OpenEMR, calendar events joined to patient_data, exported as CSV",
    region="US", timezone="America/Chicago",
    columns=[("pc_eid", "order"), ("pc_pid", "pkey", "%d"), ("pc_eventDate", "date", "iso"), ("pc_startTime", "time", "hm"),
             ("pc_apptstatus", "status"), ("fname", "fname"), ("lname", "lname"), ("email", "email"), ("phone_cell", "phone", "us"),
             ("phone_home", "landline", "us"), ("postal_code", "zip", "us"), ("hipaa_allowsms", "cycle", ["YES", "NO"]),
             ("ad_consent", "consent")],
    status_words={"V": ["Checked out"], "N": "No show", "C": "Canceled", "S": "None"},
    consent_words={"G": ["YES"], "D": "NO", "S": "NO", "R": "NO"},
    traps=["hipaa_allowsms is SMS permission", "status list titles instead of the one-character codes"])

layout(name="14-tw-his-big5-title", system="Taiwan dental HIS, 門診預約明細 printed to CSV (Big5)", region="TW",
    timezone="Asia/Taipei", encoding="big5", title=["○○牙醫診所 門診預約明細 列印日期:115/11/30"],
    columns=[("病歷號碼", "pkey", "A%06d"), ("姓名", "name", "tw"), ("生日", "dob", "roc"), ("就診日期", "date", "roc"),
             ("就診時間", "time", "cjk"), ("到診狀態", "status"), ("手機", "phone", "tw"), ("市話", "landline", "tw"),
             ("療程項目", "treat", ["植牙", "洗牙", "根管治療"]), ("行銷同意", "consent"), ("同意來源", "cycle", ["紙本", "LINE", "櫃台"]),
             ("來源", "source", ["google", "fb", "line", "介紹人:陳CANARY", "路過", "介紹人:陳CANARY", "google",
                                "介紹人:陳CANARY", "line", "介紹人:陳CANARY", "朋友介紹", "介紹人:陳CANARY", "google", "介紹人:陳CANARY"]),
             ("自費金額", "value", "twd")],
    status_words={"V": ["已完成", "已報到"], "N": "未到", "C": "已取消", "S": "預約中"},
    consent_words={"G": ["同意", "Y"], "D": "不同意", "S": "同意(僅簡訊)", "R": "已撤回"},
    traps=["a title line above the header", "Big5", "ROC dates and 上午/下午 times", "療程項目 is a treatment column",
           "同意來源 is how consent was collected, not how the patient came", "市話 is a landline",
           "來源 holds 介紹人:<name> six times"])

layout(name="15-tw-booking-tool", system="Taiwan self-pay booking tool (LINE booking), reservations export", region="TW",
    timezone="Asia/Taipei",
    columns=[("預約編號", "order", "R%07d"), ("預約日期", "date", "slash"), ("預約時段", "time", "hm"), ("姓名", "name", "tw"),
             ("手機", "phone", "tw_plain"), ("Email", "email"), ("LINE 名稱", "cycle", ["小明", "Mei"]), ("預約狀態", "status"),
             ("行銷同意", "consent"), ("來源", "source", TWSRC)],
    status_words={"V": ["已報到"], "N": "未到", "C": "已取消", "S": "預約中"},
    consent_words={"G": ["同意"], "D": "不同意", "S": "同意(僅簡訊)", "R": "已撤回"},
    traps=["source words google, fb, line, 朋友介紹, 路過", "a LINE display-name column"])

layout(name="16-tw-his-roc-datetime", system="Taiwan clinic HIS (看診大師-style) visit list, ROC date-times, Big5",
    region="TW", timezone="Asia/Taipei", encoding="big5",
    columns=[("病歷號", "pkey", "%07d"), ("姓名", "name", "tw"), ("身分證", "natid"), ("就診日期時間", "dt", "roc13"),
             ("行動電話", "phone", "tw"), ("電話", "landline", "tw"), ("診斷碼", "cycle", ["K02.5", "K05.1"]),
             ("廣告同意", "consent")],
    consent_words={"G": ["Y"], "D": "N", "S": "N", "R": "N"}, used=9,
    traps=["no status column: a claims list holds completed visits only", "ROC yyymmddhhmmss date-times",
           "身分證 is a national id, never mapped", "診斷碼 holds diagnosis codes"])

layout(name="17-tw-clinic-excel-unicode-text", system="Taiwan clinic front-desk sheet saved as Excel 'Unicode Text' (UTF-16, tabs)",
    region="TW", timezone="Asia/Taipei", encoding="utf-16", delimiter="\t",
    columns=[("掛號序號", "order", "%d"), ("看診日期", "date", "iso"), ("看診時段", "time", "hm"), ("病患姓名", "name", "tw"),
             ("病歷編號", "pkey", "B%05d"), ("聯絡電話", "phone", "tw"), ("市話", "landline", "tw"), ("電子信箱", "email"),
             ("到診", "status"), ("行銷授權", "consent"), ("郵遞區號", "zip", "tw"), ("自費金額", "value", "twd"), ("幣別", "currency", "TWD")],
    status_words={"V": ["已報到"], "N": "未到", "C": "已取消", "S": "預約中"},
    consent_words={"G": ["同意"], "D": "不同意", "S": "同意(僅簡訊)", "R": "已撤回"},
    traps=["UTF-16 with a BOM, tab-separated", "three-digit postal codes"])

layout(name="18-tw-aesthetic-crm", system="Taiwan aesthetic clinic CRM, orders with ad click ids", region="TW",
    timezone="Asia/Taipei",
    columns=[("訂單編號", "order", "TW%06d"), ("預約時間", "dt", "slash"), ("客戶姓名", "name", "tw"), ("手機號碼", "phone", "tw"),
             ("Email", "email"), ("到店狀態", "status"), ("廣告成效同意", "consent"), ("gclid", "gclid"), ("fbclid", "fbclid"),
             ("utm_source", "source", TWSRC), ("療程", "treat", ["玻尿酸", "皮秒"]), ("消費金額", "value", "twd")],
    status_words={"V": ["已到店"], "N": "未到店", "C": "已取消", "S": "預約中"},
    consent_words={"G": ["同意"], "D": "不同意", "S": "同意(僅簡訊)", "R": "已撤回"},
    traps=["gclid and fbclid columns", "療程 names aesthetic treatments"])

layout(name="19-cn-dental-saas-gbk", system="Mainland dental SaaS (领健-style) appointment export, GBK", region="CN",
    timezone="Asia/Shanghai", encoding="gbk",
    columns=[("预约单号", "order", "YY2026%05d"), ("患者姓名", "name", "cn"), ("病历号", "pkey", "C%05d"), ("预约日期", "date", "iso"),
             ("预约时间", "time", "hm"), ("到诊状态", "status"), ("手机号", "phone", "cn86"), ("座机", "landline", "cn"),
             ("营销授权", "consent"), ("授权渠道", "cycle", ["小程序", "纸质", "前台"]), ("治疗项目", "treat", ["种植", "正畸", "洁牙"]),
             ("消费金额", "value", "cny")],
    status_words={"V": ["已到诊"], "N": "爽约", "C": "已取消", "S": "待到诊"},
    consent_words={"G": ["同意"], "D": "不同意", "S": "同意-仅短信", "R": "已撤回"},
    traps=["mobiles written 86 138… and +86 138…: phone shapes, not ROC date-times", "授权渠道 is how consent was collected",
           "座机 is a landline", "治疗项目 is a treatment column"])

layout(name="20-cn-meituan-dianping-orders", system="美团/大众点评 group-buy booking orders export (merchant side)",
    region="CN", timezone="Asia/Shanghai", encoding="gbk",
    columns=[("订单号", "order", "4%011d"), ("团购名称", "treat", ["洁牙套餐", "美白体验"]), ("预约到店时间", "dt", "iso"),
             ("手机号", "phone", "cn"), ("核销状态", "status"), ("营销同意", "consent"), ("实付金额", "value", "cny")],
    status_words={"V": ["已核销"], "N": "未核销", "C": "已退款", "S": "未核销"},
    consent_words={"G": ["同意"], "D": "不同意", "S": "不同意", "R": "不同意"},
    traps=["已核销 (voucher redeemed) is the visit word", "团购名称 names the treatment", "营销同意 is a column the clinic adds"])

layout(name="21-cn-oral-cloud-title-gb18030", system="Mainland clinic cloud system (口腔云-style) 预约列表, GB18030 with a title line",
    region="CN", timezone="Asia/Shanghai", encoding="gbk", title=["预约列表 导出时间:2026-11-30 18:00", ""],
    columns=[("客户编号", "pkey", "K%05d"), ("客户姓名", "name", "cn"), ("预约时间", "dt", "cjk"), ("联系电话", "phone", "cn"),
             ("微信", "cycle", ["wx_a", "wx_b"]), ("状态", "status"), ("同意授权", "consent"),
             ("来源", "source", ["美团", "大众点评", "抖音", "朋友介绍", "路过", "美团", "抖音", "朋友介绍", "美团", "大众点评", "路过", "美团", "抖音", "美团"]),
             ("备注", "note", "怕痛")],
    status_words={"V": ["已完成"], "N": "爽约", "C": "已取消", "S": "待到诊"},
    consent_words={"G": ["同意"], "D": "不同意", "S": "同意-仅短信", "R": "已撤回"},
    traps=["a title line and a blank line above the header", "年月日 date-times", "no appointment id: 客户编号 + 预约时间",
           "备注 is free text"])

layout(name="22-cn-wecom-booking-form", system="企业微信 (WeCom) smart-sheet booking form export", region="CN",
    timezone="Asia/Shanghai",
    columns=[("提交时间", "cycle", ["2026-10-30 12:00:01", "2026-10-31 08:30:12"]), ("姓名", "name", "cn"), ("手机号", "phone", "cn"),
             ("预约编号", "order", "WX%04d"), ("预约日期", "date", "noyear"), ("预约时间", "time", "hm"), ("到诊", "status"),
             ("是否同意授权", "consent"), ("添加渠道", "source", ["扫描二维码", "搜索手机号", "名片分享", "扫描二维码", "扫描二维码", "搜索手机号", "扫描二维码"])],
    status_words={"V": ["已到诊"], "N": "未到诊", "C": "已取消", "S": "待到诊"},
    consent_words={"G": ["是"], "D": "否", "S": "否", "R": "否"},
    traps=["dates without a year (11月2日): the upload window fixes the year", "提交时间 is when the form was sent, not the visit",
           "是/否 consent"])

layout(name="23-dental4windows-au", system="Dental4Windows (Centaur), appointment book export, Australia", region="AU",
    timezone="Australia/Melbourne", date_order="dmy",
    columns=[("Appt No", "order"), ("Patient No", "pkey", "%d"), ("Surname", "lname"), ("Given Name", "fname"),
             ("Appt Date", "date", "dmy"), ("Appt Time", "time", "hm"), ("Status", "status"), ("Mobile", "phone", "au"),
             ("Email", "email"), ("Postcode", "zip", "au"), ("Item Numbers", "cycle", ["011", "114", "121"]), ("Marketing Consent", "consent")],
    status_words={"V": ["Attended"], "N": "FTA", "C": "UTA", "S": "Booked"},
    consent_words={"G": ["Yes"], "D": "No", "S": "Yes - SMS only", "R": "Revoked"},
    traps=["dates d/m/yyyy: the order is proved by days above 12", "FTA/UTA are failed/unable to attend",
           "Item Numbers are ADA item codes"])

# Other people's contacts and consents to care, beside the patient's own
# (review of 2026-12-06: config init mapped an emergency contact's phone, a
# referring practitioner's and a guarantor's e-mail as the patient's, and a
# consent to treatment as the ad consent).
OTHER_PHONES = ["(312) 555-0301", "(312) 555-0302", "(312) 555-0303", "(312) 555-0304"]
OTHER_EMAILS = ["canary.referrer.a@example.com", "canary.referrer.b@example.com", "canary.referrer.c@example.com"]

layout(name="24-en-practice-contacts-and-consents",
    system="Practice-management appointments report joined to the patient profile (Jane/Cliniko-style intake fields)",
    region="US", timezone="America/Chicago",
    columns=[("Appointment ID", "order"), ("Patient ID", "pkey", "%d"), ("Patient Name", "name", "en"), ("Start", "dt", "iso"),
             ("State", "status"), ("Patient Email", "email"), ("Patient Phone", "phone", "us"),
             ("Emergency Contact Name", "cycle", ["Jordan CANARY", "Casey CANARY", "Riley CANARY"]),
             ("Emergency Contact Phone", "cycle", OTHER_PHONES), ("Referring Practitioner Email", "cycle", OTHER_EMAILS),
             ("Consent to Treat", "cycle", ["Yes"]), ("Photo Consent", "cycle", ["Yes", "No"]),
             ("Marketing Consent", "consent"), ("Treatment", "treat", ["Cleaning", "Filling"])],
    status_words={"V": ["Arrived"], "N": "No Show", "C": "Cancelled", "S": "Booked"}, consent_words=EN_CONSENT,
    traps=["Emergency Contact Phone and Referring Practitioner Email are other people's: never the patient's identifiers",
           "Consent to Treat (all Yes) and Photo Consent are consents to care, not to ad measurement"])

layout(name="25-opendental-guarantor", system="Open Dental, User Query joining the guarantor's contact details",
    region="US", timezone="America/Chicago",
    columns=[("AptNum", "order"), ("PatNum", "pkey", "%d"), ("AptDateTime", "dt", "iso"), ("AptStatus", "status"),
             ("FName", "fname"), ("LName", "lname"), ("Email", "email"), ("WirelessPhone", "phone", "us"),
             ("Guarantor Email", "cycle", OTHER_EMAILS), ("Guarantor Phone", "cycle", OTHER_PHONES),
             ("AdConsent (patfield)", "consent")],
    status_words=OD_STATUS, consent_words=EN_CONSENT,
    traps=["Guarantor Email and Guarantor Phone are the account holder's (a parent, a spouse), not the patient's"])

layout(name="26-cn-emergency-contact-gbk", system="Mainland dental SaaS 预约导出 with the patient file's contacts, GBK",
    region="CN", timezone="Asia/Shanghai", encoding="gbk",
    columns=[("预约编号", "order", "YY%05d"), ("患者编号", "pkey", "P%05d"), ("患者姓名", "name", "cn"), ("预约时间", "dt", "iso"),
             ("手机号", "phone", "cn"), ("紧急联系人", "cycle", ["张CANARY", "王CANARY"]),
             ("紧急联系人电话", "cycle", ["13900001111", "13900002222", "13900003333"]), ("知情同意书", "cycle", ["同意"]),
             ("营销授权", "consent"), ("到诊状态", "status")],
    status_words={"V": ["已到诊"], "N": "爽约", "C": "已取消", "S": "待到诊"},
    consent_words={"G": ["同意"], "D": "不同意", "S": "同意-仅短信", "R": "已撤回"},
    traps=["紧急联系人电话 is the emergency contact's mobile, not the patient's", "知情同意书 (informed consent to treatment) is all 同意 and is not ad consent"])

layout(name="27-us-treatment-consent-only", system="Small-practice scheduler export with only consents to care",
    region="US", timezone="America/New_York", date_order="mdy",
    columns=[("Appointment ID", "order"), ("Chart Number", "pkey", "C%04d"), ("Appointment Date", "date", "mdy"),
             ("Appointment Time", "time", "ampm"), ("Status", "status"), ("Email", "email"), ("Mobile Phone", "phone", "us"),
             ("Consent to Treat", "cycle", ["Yes"]), ("HIPAA Consent Signed", "cycle", ["Yes"]), ("Fee", "value", "usd")],
    status_words={"V": ["Completed"], "N": "No Show", "C": "Cancelled", "S": "Scheduled"},
    traps=["no ad-measurement consent column: config init must map none and ask (nothing is sent until a person sets one)",
           "Consent to Treat and HIPAA Consent Signed are all Yes"])

# Layouts of a review that ran sixteen vendors' exports (2026-12-06): an
# opt-out column proposed as the consent, any yes/no column taken as the
# consent by its values, "cell" found inside "cancelled", a form's
# submission time taken as the visit, an empty column proposed as the
# order id.
DAYS_BEFORE = ["2026-10-20T08:15:00.000+01:00", "2026-10-21T09:00:00.000+01:00", "2026-10-24T17:40:00.000+01:00"]

layout(name="28-square-customers-unsubscribed",
    system="Square Customer Directory export (customers, not appointments), with the e-mail subscription columns",
    region="US", timezone="America/Chicago",
    columns=[("Reference ID", "empty"), ("First Name", "fname"), ("Last Name", "lname"), ("Email Address", "email"),
             ("Phone Number", "phone", "us"), ("Nickname", "empty"), ("Company Name", "empty"),
             ("Street Address 1", "note", "Main St"), ("Street Address 2", "empty"), ("City", "cycle", ["Springfield"]),
             ("State", "cycle", ["IL"]), ("Postal Code", "zip", "us"), ("Birthday", "dob", "iso"), ("Memo", "note", "prefers mornings"),
             ("Square Customer ID", "pkey", "SQCANARY%04d"), ("First Visit", "cycle", ["2026-10-01", "2026-10-02"]),
             ("Last Visit", "cycle", ["2026-11-02", "2026-11-03"]), ("Transaction Count", "cycle", ["1", "2", "3"]),
             ("Email Subscription Status", "cycle", ["Subscribed", "Unsubscribed", "Subscribed"]),
             ("Email Unsubscribed", "cycle", ["False", "True", "False", "False"])],
    traps=["Email Unsubscribed is an opt-out: True means the customer said no; it is no consent, and no e-mail address",
           "Email Subscription Status is an e-mail subscription, not the appointment status",
           "Reference ID is empty in every row: proposed as the order id, every row was excluded as missing_order_id",
           "a customer list: no appointment column and no ad-measurement consent, config init must ask for both"])

layout(name="29-dentally-api-appointments",
    system="Dentally appointments (API field names), UK; times with their UTC offset",
    region="", timezone="Europe/London", zone_stated=True,
    columns=[("id", "order"), ("patient_id", "pkey", "%d"), ("start_time", "dt", "isoms+00"),
             ("finish_time", "stamp", ("VNCS", 30, "%Y-%m-%dT%H:%M:00.000+00:00")), ("state", "status"),
             ("reason", "treat", ["Exam", "Hygiene", "Filling"]), ("created_at", "cycle", DAYS_BEFORE),
             ("arrived_at", "stamp", ("V", -5, "%Y-%m-%dT%H:%M:00.000+00:00")),
             ("completed_at", "stamp", ("V", 31, "%Y-%m-%dT%H:%M:00.000+00:00")),
             ("cancelled_at", "stamp", ("C", -2880, "%Y-%m-%dT%H:%M:00.000+00:00")),
             ("did_not_attend_at", "stamp", ("N", 20, "%Y-%m-%dT%H:%M:00.000+00:00")),
             ("booked_via_api", "cycle", ["false", "true", "false"]), ("email_address", "email"),
             ("mobile_phone", "phone", "uk"), ("postcode", "zip", "uk")],
    status_words={"V": ["Completed"], "N": "Did not attend", "C": "Cancelled", "S": "Confirmed"},
    traps=["cancelled_at is a time, not a phone (\"cell\" inside \"cancelled\")",
           "booked_via_api is true/false and no consent: no ad-measurement consent column, config init must ask",
           "arrived_at, completed_at, finish_time are times of the visit, not its start",
           "the mobiles are Ofcom's drama numbers (07700 900xxx), which no phone library takes as valid: no region is proposed"])

layout(name="30-calendly-scheduled-events",
    system="Calendly scheduled events export (invitee rows)", region="US", timezone="America/Chicago",
    columns=[("Invitee Name", "name", "en"), ("Invitee First Name", "fname"), ("Invitee Last Name", "lname"),
             ("Invitee Email", "email"), ("Text Reminder Number", "phone", "us_intl"),
             ("Event Type Name", "cycle", ["Consultation", "Cleaning"]), ("Start Date & Time", "dt", "iso_ampm"),
             ("End Date & Time", "stamp", ("VNCS", 30, "%Y-%m-%d %I:%M %p")), ("Invitee Time Zone", "cycle", ["America/New_York"]),
             ("Location", "cycle", ["Clinic"]), ("Event Created Date & Time", "cycle", ["2026-10-20 08:15 pm", "2026-10-21 09:00 am"]),
             ("Canceled", "flag", ("C", "true", "false")), ("Cancellation reason", "flag", ("C", "Schedule conflict CANARY", "")),
             ("Marked as No-Show", "flag", ("N", "true", "")),
             ("Question 1", "cycle", ["May we use your contact details to measure our ads?"]),
             ("Response 1", "cycle", ["Yes", "No", "Yes"]), ("UTM Campaign", "cycle", ["fall"]),
             ("UTM Source", "source", ["google", "facebook", "instagram"]), ("UTM Medium", "cycle", ["cpc", "paid"])],
    traps=["Canceled is true/false and no consent; the answer to the consent question is in Response 1, which no header names",
           "Cancellation reason is free text, not a phone (\"cell\" inside \"cancellation\")",
           "Text Reminder Number is the invitee's phone",
           "no status column: every row counts as a visit, config init must say so"])

layout(name="31-cn-first-visit-flag",
    system="Mainland clinic appointment export with a 是否初诊 (first visit) flag and no consent column",
    region="CN", timezone="Asia/Shanghai",
    columns=[("预约编号", "order", "YY%05d"), ("患者姓名", "name", "cn"), ("手机号", "phone", "cn"), ("预约时间", "dt", "iso"),
             ("预约状态", "status"), ("是否初诊", "cycle", ["是", "否", "否"]), ("是否已发送提醒", "cycle", ["是"])],
    status_words={"V": ["已到诊"], "N": "爽约", "C": "已取消", "S": "待到诊"},
    traps=["是否初诊 (first visit) is 是/否 and no consent: mapped as the consent, every first-visit patient was sent",
           "是否已发送提醒 (reminder sent) is 是/否 too: which one became the consent depended on column order"])

layout(name="32-google-forms-zh-tw",
    system="Google Forms booking form responses (zh-TW), exported from Google Sheets",
    region="TW", timezone="Asia/Taipei",
    columns=[("時間戳記", "cycle", ["2026/10/30 下午 2:05:33", "2026/10/31 上午 9:12:01"]), ("電子郵件地址", "email"),
             ("姓名", "name", "tw"), ("手機號碼", "phone", "tw"), ("希望預約日期", "date", "slash"),
             ("希望時段", "cycle", ["上午", "下午"]), ("您從哪裡得知本診所？", "cycle", ["Google 搜尋", "Facebook", "朋友介紹"]),
             ("本人同意診所將聯絡資料加密後用於廣告成效衡量", "consent")],
    consent_words={"G": ["同意"], "D": "不同意", "S": "不同意", "R": "不同意"},
    traps=["時間戳記 is when the form was sent, not the visit: 希望預約日期 is the date",
           "希望時段 holds 上午/下午, no clock time", "no appointment id and no patient key: config init must ask for the order id",
           "no status column: every row counts as a visit"])

layout(name="33-wjx-booking",
    system="问卷星 (wjx.cn) booking questionnaire, answers downloaded as CSV", region="CN", timezone="Asia/Shanghai",
    columns=[("序号", "seq"), ("提交答卷时间", "cycle", ["2026/10/30 14:05:33", "2026/10/31 9:12:01"]),
             ("所用时间", "cycle", ["125秒", "88秒", "203秒"]), ("来源", "source", ["微信", "手机提交", "链接"]),
             ("来源详情", "cycle", ["N/A", "直接访问"]), ("来自IP", "cycle", ["192.0.2.1(广东-深圳)", "192.0.2.2(广东-广州)"]),
             ("1、您的姓名：", "name", "cn"), ("2、手机号码：", "phone", "cn"), ("3、预约到店日期：", "date", "iso"),
             ("4、预约时段：", "cycle", ["上午", "下午"]), ("5、您是通过什么渠道了解到我们的？", "cycle", ["小红书", "抖音", "朋友介绍"]),
             ("6、是否同意我们将您的手机号加密后用于广告效果统计？", "consent")],
    consent_words={"G": ["是"], "D": "否", "S": "否", "R": "否"},
    traps=["所用时间 is the time spent answering (125秒), not the appointment time; 提交答卷时间 is when it was sent",
           "4、预约时段 holds 上午/下午, no clock time", "序号 numbers the answer sheets; no appointment id: config init must ask",
           "来源 is how the answer sheet was reached (微信, 手机提交), which channels reads as the source",
           "no status column: every row counts as a visit"])

# Working layouts of the same review, kept so that they stay working.
layout(name="34-halaxy-appointments", system="Halaxy appointments report, Australia", region="AU",
    timezone="Australia/Sydney", date_order="dmy",
    columns=[("Appointment Date", "date", "dmy"), ("Start Time", "time", "ampm"), ("Patient", "name", "en"),
             ("Patient Email", "email"), ("Patient Mobile", "phone", "au"), ("Practitioner", "cycle", ["Dr CANARY A", "Dr CANARY B"]),
             ("Appointment Type", "cycle", ["Initial Consult CANARY", "Follow-up CANARY"]), ("Status", "status"), ("Fee", "value", "aud"),
             ("Invoice Number", "cycle", ["INV-CANARY-1", "INV-CANARY-2", "INV-CANARY-3"])],
    status_words={"V": ["Attended"], "N": "Did not attend", "C": "Cancelled", "S": "Booked"},
    traps=["no appointment id and no patient key: config init must ask for the order id",
           "no ad-measurement consent column: config init must map none and ask", "dates d/m/yyyy"])

layout(name="35-nookal-appointments", system="Nookal appointments export, Australia", region="AU",
    timezone="Australia/Brisbane", date_order="dmy",
    columns=[("Appt ID", "order", "N%d"), ("Date", "date", "dmy"), ("Time", "time", "hm"), ("Client First Name", "fname"),
             ("Client Last Name", "lname"), ("Email", "email"), ("Mobile", "phone", "au"), ("Status", "status"),
             ("SMS Reminders", "cycle", ["Yes", "No"]), ("Email Reminders", "cycle", ["Yes", "Yes", "No"]),
             ("Email Marketing", "cycle", ["Yes", "No", "No"])],
    status_words={"V": ["Arrived"], "N": "Did Not Arrive", "C": "Cancelled", "S": "Booked"},
    traps=["SMS Reminders, Email Reminders and Email Marketing are consents to be messaged, not to ad measurement: config init must map none and ask"])
