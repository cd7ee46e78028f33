//go:build ignore

// gen writes the trap fixtures: one directory per format trap of
// docs/research/clinic-exports.md §b, each with an export in the encoding the
// trap needs, a config, and canaries.txt (raw values that must never appear
// in any output). Every value is fake. Run from the repository root:
//
//	go run testdata/traps/gen.go && go test ./internal/cli -run TestTraps -update
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

const base = `destinations:
  google: {enabled: true, identifiers: [email, phone]}
  meta: {enabled: true}
`

// plain is the common English header and config for traps about one cell.
const plainHeader = "id,at,status,email,phone,consent\n"

// The 26-patient fixture has its own header: it adds the chart number.

const plainConfig = `timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: email
    phone: phone
    consent: consent
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
` + base

type trap struct {
	dir, file, config, export string
	enc                       encoding.Encoding // nil: UTF-8 as written
	twin                      bool              // also write export.utf8.csv: the same rows in UTF-8
	canaries                  []string
}

// fifteenDigits is the export of trap 28: each id rounded as a spreadsheet
// rounds it (the ids as written end in 0001 to 0438: all round to ...0000).
func fifteenDigits() string {
	var b strings.Builder
	b.WriteString(plainHeader)
	for i := range 20 {
		fmt.Fprintf(&b, "400000041230000000,2024-05-%02d %02d:30,completed,,0912-345-%03d,yes\n", 2+i/8, 9+i%8, 700+i)
	}
	return b.String()
}

func main() {
	big5, gbk := traditionalchinese.Big5, simplifiedchinese.GBK
	traps := []trap{
		{dir: "01-utf8-bom", config: plainConfig,
			export:   "\uFEFF" + plainHeader + "A1,2024-05-02 09:30,completed,bom.one@example.com,0912-345-601,yes\n",
			canaries: []string{"bom.one@example.com", "0912-345-601"}},
		{dir: "02-big5-auto-tw-his", enc: big5, twin: true,
			config: "input:\n  preset: tw-his\n  encoding: auto\n" + base,
			export: "○○牙醫美學診所 預約明細表 列印日期:113/06/30\n" +
				"病歷號,姓名,就診日期,就診時間,狀態,手機,電話,電子郵件,自費金額,廣告成效同意,同意日期\n" +
				"C0001,陳美玲,113/05/02,上午 09:30,已完成,0912-345-602,(02)2345-6702,meiling.b5@example.com,\"1,500\",同意,113/04/01\n" +
				"C0002,林志明,113/05/02,下午 02:00,爽約,0912-345-603,,,0,同意,113/04/01\n" +
				"C0003,許功蓋,113/05/03,下午 03:15,已報到,0912-345-604,,,健保,不同意,113/04/01\n" +
				"C0004,黃淑芬,113/05/03,上午 10:00,完診,0912-345-605,,shufen.b5@example.org,800,同意(僅簡訊),113/04/01\n" +
				"C0005,吳建宏,113/05/04,上午 11:00,已完成,0912-345-606,,,2000,同意,113/05/10\n",
			canaries: []string{"陳美玲", "許功蓋", "0912-345-602", "meiling.b5@example.com", "C0001"}},
		{dir: "02-encoding-undecidable", config: plainConfig,
			export:   plainHeader + "A1,2024-05-02 09:30,completed,\xb0\xa1@example.com,0912-345-607,yes\n",
			canaries: []string{"0912-345-607"}},
		{dir: "03-big5-pipe-trail-byte", enc: big5, twin: true,
			config: `timezone: Asia/Taipei
region: TW
input:
  encoding: big5
  columns:
    order_id: 預約編號
    appointment_at: 時間
    first_name: 名
    last_name: 姓
    phone: 手機
    consent: 同意
consent:
  granted: [同意]
destinations:
  meta: {enabled: true, identifiers: [phone, first_name, last_name]}
`,
			export: "預約編號|時間|姓|名|手機|同意\n" +
				"P1|2024-05-02 09:30|許|功蓋|0912-345-608|同意\n" +
				"P2|2024-05-02 10:30|餐|餐餐|0912-345-609|同意\n",
			canaries: []string{"許", "功蓋", "0912-345-608"}},
		{dir: "04-gb18030-ext-a", enc: simplifiedchinese.GB18030, twin: true,
			config: `timezone: Asia/Shanghai
region: CN
input:
  encoding: gbk
  columns:
    order_id: 预约编号
    appointment_at: 预约时间
    first_name: 名
    last_name: 姓
    phone: 手机号
    consent: 授权
consent:
  granted: [同意]
destinations:
  meta: {enabled: true, identifiers: [phone, first_name, last_name]}
`,
			export:   "预约编号,预约时间,姓,名,手机号,授权\nG1,2024-05-02 09:30,王,䶮,139 1234 5601,同意\nG2,2024-05-02 10:30,欧阳,子涵,13912345602,同意\n",
			canaries: []string{"䶮", "欧阳", "139 1234 5601"}},
		{dir: "05-gbk-fullwidth-yen", enc: gbk, twin: true,
			config: `timezone: Asia/Shanghai
region: CN
input:
  encoding: gbk
  columns:
    order_id: 预约编号
    appointment_at: 预约时间
    phone: 手机号
    value: 金额
    consent: 授权
consent:
  granted: [同意]
conversion:
  value: actual
  currency: CNY
destinations:
  google: {enabled: true, identifiers: [phone]}
  meta: {enabled: true, identifiers: [phone]}
`,
			export:   "预约编号,预约时间,手机号,金额,授权\nY1,2024-05-02 09:30,13912345603,\"￥12,800.00\",同意\nY2,2024-05-02 10:30,13912345604,12800元,同意\nY3,2024-05-02 11:30,13912345605,医保,同意\n",
			canaries: []string{"13912345603"}},
		{dir: "06-utf16-tab", enc: unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), twin: true, config: plainConfig,
			export:   strings.ReplaceAll(plainHeader+"U1,2024-05-02 09:30,completed,utf16@example.com,0912-345-610,yes\n", ",", "\t"),
			canaries: []string{"utf16@example.com", "0912-345-610"}},
		{dir: "07-semicolon-decimal-comma", config: `timezone: Europe/Berlin
region: DE
input:
  decimal_comma: true
  date_order: dmy
  columns:
    order_id: PatNum
    appointment_at: Termin
    email: EMail
    phone: Mobil
    value: Fee
    consent: Einwilligung
consent:
  granted: [ja]
conversion:
  value: actual
  currency: EUR
` + base,
			export:   "PatNum;Termin;EMail;Mobil;Fee;Einwilligung\n1000;02.05.2024 09:30;eu.one@example.com;0151 2345 6701;1.250,00;ja\n1001;31.10.2024 09:30;eu.two@example.com;+49 151 2345 6702;12,5;ja\n",
			canaries: []string{"eu.one@example.com", "0151 2345 6701"}},
		{dir: "08-quoted-newlines", config: strings.Replace(plainConfig, "    consent: consent\n", "    consent: consent\n    first_name: note\n", 1),
			export: "id,at,status,email,phone,consent,note\n" +
				"Q1,2024-05-02 09:30,completed,quoted@example.com,0912-345-611,yes,\"術後回診\n請提醒帶健保卡\"\n" +
				"Q2,2024-05-02 10:30,completed,\"doubled@example.com\",0912-345-612,yes,\"lab=\"\"Acme, Inc.\"\"\"\n",
			canaries: []string{"術後回診", "Acme", "quoted@example.com"}},
		{dir: "09-title-footer-blank-lines", config: strings.Replace(plainConfig, "input:\n", "input:\n  skip_footer_lines: 1\n", 1),
			export: "○○牙醫美學診所 預約明細表 列印日期:113/06/30\n\n" + strings.TrimSuffix(plainHeader, "\n") + ",,\n" +
				"T1,2024-05-02 09:30,completed,title.one@example.com,0912-345-613,yes,,\n,,,,,,,\n\n" +
				"T2,2024-05-02 10:30,completed,title.two@example.com,0912-345-614,yes,,\n合計,2,,,,,,\n",
			canaries: []string{"title.one@example.com", "0912-345-613"}},
		{dir: "10-lost-leading-zero", config: plainConfig,
			export: plainHeader + "Z1,2024-05-02 09:30,completed,,912345615,yes\n" +
				"Z2,2024-05-02 10:30,completed,,223456716,yes\nZ3,2024-05-02 11:30,completed,,0912345617,yes\nZ4,2024-05-02 12:30,completed,,999345618,yes\n",
			canaries: []string{"912345615", "223456716"}},
		{dir: "11-excel-scientific", config: plainConfig,
			export:   plainHeader + "E1,2024-05-02 09:30,completed,sci@example.com,9.12346E+08,yes\nE2,2024-05-02 10:30,completed,,1.56178E+10,yes\n",
			canaries: []string{"sci@example.com"}},
		{dir: "12-excel-serial-dates", config: strings.Replace(plainConfig, "input:\n", "input:\n  excel_dates: \"1900\"\n", 1),
			export:   plainHeader + "S1,45414,completed,serial@example.com,0912-345-619,yes\nS2,45414.75,completed,serial2@example.com,0912-345-620,yes\n",
			canaries: []string{"serial@example.com"}},
		{dir: "12-excel-serial-refused", config: plainConfig,
			export:   plainHeader + "S1,45414,completed,serial@example.com,0912-345-619,yes\n",
			canaries: []string{"serial@example.com"}},
		{dir: "13-us-dates-open-dental", config: "timezone: America/New_York\ninput:\n  preset: open-dental\n" + base,
			export: "AptNum,PatNum,AptDateTime,AptStatus,FName,LName,Email,WirelessPhone,Zip,ProcFee,AdConsent\n" +
				"9001,501,5/8/2024 11:00:00 AM,Complete,Jane,Doe,jane.od@example.com,(503) 555-0123,97201,$150.00,Yes\n" +
				"9002,502,06/08/24 10:30,Complete,John,Roe,john.od@example.com,503.555.0145 x12,97201,$80.00,Yes\n" +
				"9003,503,5/9/2024 2:15:00 PM,Broken,Ann,Poe,ann.od@example.com,(503) 555-0199,97201,$0.00,Yes\n",
			canaries: []string{"jane.od@example.com", "(503) 555-0123", "Doe"}},
		{dir: "13-us-dates-without-order", config: strings.Replace(plainConfig, "timezone: Asia/Taipei\nregion: TW", "timezone: America/New_York\nregion: US", 1),
			export:   plainHeader + "D1,5/8/2024 11:00:00 AM,completed,order@example.com,(503) 555-0123,yes\n",
			canaries: []string{"order@example.com", "555-0123"}},
		{dir: "14-roc-dates", config: strings.Replace(plainConfig, "input:\n", "input:\n  calendar: roc\n", 1),
			export: plainHeader + "R1,113/05/02 09:30,completed,,0912-345-621,yes\nR2,113.05.02 10:30,completed,,0912-345-622,yes\n" +
				"R3,1130502,completed,,0912-345-623,yes\nR4,民國113年5月2日 下午2點,completed,,0912-345-624,yes\n" +
				"R5,113-11-21,completed,,0912-345-625,yes\nR6,990502,completed,,0912-345-626,yes\nR7,1130502143000,completed,,0912-345-627,yes\n" +
				"R8,113/02/30,completed,,0912-345-628,yes\n",
			canaries: []string{"0912-345-621"}},
		{dir: "15-chinese-dates", config: strings.Replace(plainConfig, "input:\n", "input:\n  default_year: 2024\n", 1),
			export: plainHeader + "H1,2024年5月2日,completed,,0912-345-629,yes\nH2,2024.05.02,completed,,0912-345-630,yes\n" +
				"H3,5月27日,completed,,0912-345-631,yes\n",
			canaries: []string{"0912-345-629"}},
		{dir: "15-date-without-year", config: plainConfig,
			export:   plainHeader + "H1,5月27日,completed,,0912-345-631,yes\n",
			canaries: []string{"0912-345-631"}},
		{dir: "16-am-pm-markers", config: plainConfig,
			export: plainHeader + "M1,2024-05-02 上午 09:30,completed,,0912-345-632,yes\nM2,2024-05-02 下午8:00,completed,,0912-345-633,yes\n" +
				"M3,2024年5月2日 下午 07:15,completed,,0912-345-634,yes\nM4,2024-05-02 13点30分,completed,,0912-345-635,yes\n" +
				"M5,2024-05-02 9点,completed,,0912-345-636,yes\nM6,2024/05/02 上午 09:30:00,completed,,0912-345-637,yes\n" +
				"M7,2024-05-02 中午12:30,completed,,0912-345-638,yes\nM8,2024-05-02 晚上 7:05,completed,,0912-345-639,yes\n",
			canaries: []string{"0912-345-632"}},
		{dir: "17-full-width", config: plainConfig,
			export: plainHeader + "W1,２０２４－０５－０２ ０９：３０,completed,ＪＡＮＥ．ＷＩＤＥ＠ＥＸＡＭＰＬＥ．ＣＯＭ,０９１２－３４５－６４０,ｙｅｓ\n" +
				"W2,2024-05-02 10:30,completed,jane.wide@example.com,0912-345-640,yes\n",
			canaries: []string{"ＪＡＮＥ．ＷＩＤＥ", "jane.wide@example.com", "０９１２－３４５－６４０"}},
		{dir: "18-tw-phones", config: plainConfig,
			export: plainHeader + "F1,2024-05-02 09:30,completed,,0912-345-641,yes\nF2,2024-05-02 09:30,completed,,+886 912 345 642,yes\n" +
				"F3,2024-05-02 09:30,completed,,886912345643,yes\nF4,2024-05-02 09:30,completed,,(02)2345-6744 #12,yes\n" +
				"F5,2024-05-02 09:30,completed,,07-345-6745,yes\nF6,2024-05-02 09:30,completed,,0912-345-646 / (02)2345-6746分機3,yes\n",
			canaries: []string{"0912-345-641", "2345-6744"}},
		{dir: "19-cn-mobiles-cn-clinic", enc: gbk, twin: true, config: "input:\n  preset: cn-clinic\n" + base,
			export: "预约编号,客户编号,预约日期,预约时间,状态,手机号,邮箱,金额,广告授权,授权时间\n" +
				"N1,K1,2024年5月18日,下午6:00,已完成,13912345647,,\"￥1,880.00\",同意,2024-05-01\n" +
				"N2,K2,2024年5月18日,上午9点,已到诊,139 1234 5648,,1880,同意,2024-05-01\n" +
				"N3,K3,2024年5月19日,13点30分,到店,+86 139-1234-5649,cn.three@example.com,1880,同意,2024-05-01\n" +
				"N4,K4,2024年5月19日,14点,已完成,8613912345650,,1880,同意-仅短信,2024-05-01\n" +
				"N5,K5,2024年5月19日,15点,爽约,13912345651,,1880,同意,2024-05-01\n",
			canaries: []string{"13912345647", "139 1234 5648", "cn.three@example.com", "K1"}},
		{dir: "20-us-phones", config: strings.Replace(plainConfig, "timezone: Asia/Taipei\nregion: TW", "timezone: America/Los_Angeles\nregion: US", 1),
			export: plainHeader + "U1,2024-05-02 09:30,completed,,(503) 555-0152,yes\nU2,2024-05-02 09:30,completed,,503.555.0153 x12,yes\n" +
				"U3,2024-05-02 09:30,completed,,425-555-0154 (mom's cell),yes\n",
			canaries: []string{"555-0152", "mom's cell"}},
		{dir: "21-email-junk", config: plainConfig,
			export: plainHeader + "J1,2024-05-02 09:30,completed,  Jane.Junk@Example.Com ,,yes\nJ2,2024-05-02 09:30,completed,none,0912-345-655,yes\n" +
				"J3,2024-05-02 09:30,completed,N/A,0912-345-656,yes\nJ4,2024-05-02 09:30,completed,無,0912-345-657,yes\n" +
				"J5,2024-05-02 09:30,completed,无,0912-345-658,yes\nJ6,2024-05-02 09:30,completed,a.junk@example.com; b.junk@example.org,,yes\n" +
				"J7,2024-05-02 09:30,completed,-,,yes\n",
			canaries: []string{"Jane.Junk@Example.Com", "a.junk@example.com"}},
		{dir: "22-names", config: `timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    first_name: first
    last_name: last
    phone: phone
    consent: consent
consent:
  granted: ["yes"]
destinations:
  meta: {enabled: true, identifiers: [phone, first_name, last_name]}
`,
			export: "id,at,first,last,phone,consent\nN1,2024-05-02 09:30,阿依古丽·买买提,,0912-345-659,yes\nN2,2024-05-02 09:30,子涵,欧阳,0912-345-660,yes\n" +
				"N3,2024-05-02 09:30,Seán,O'Donnell,0912-345-661,yes\nN4,2024-05-02 09:30,Maria,Vasquez-Lee,0912-345-662,yes\n",
			canaries: []string{"买买提", "O'Donnell", "Vasquez-Lee"}},
		{dir: "23-money", config: strings.Replace(strings.Replace(plainConfig, "    consent: consent\n", "    consent: consent\n    value: fee\n", 1),
			"  statuses: [completed]\n", "  statuses: [completed]\n  value: actual\n  currency: TWD\n", 1),
			export: "id,at,status,email,phone,consent,fee\n" +
				"V1,2024-05-02 09:30,completed,,0912-345-663,yes,\"NT$1,500\"\nV2,2024-05-02 09:30,completed,,0912-345-664,yes,\"$8,000\"\n" +
				"V3,2024-05-02 09:30,completed,,0912-345-665,yes,健保\nV4,2024-05-02 09:30,completed,,0912-345-666,yes,12800元\n" +
				"V5,2024-05-02 09:30,completed,,0912-345-667,yes,\"5,985.00\"\n",
			canaries: []string{"0912-345-663"}},
		{dir: "24-enum-modes", config: "timezone: America/New_York\ninput:\n  preset: open-dental\nconsent:\n  granted: [\"Yes\", \"1\", \"true\"]\n" + base,
			export: "AptNum,PatNum,AptDateTime,AptStatus,FName,LName,Email,WirelessPhone,Zip,ProcFee,AdConsent\n" +
				"9101,601,2024-05-08 11:00:00,2,Ann,Lee,raw.one@example.com,(503) 555-0168,97201,150,1\n" +
				"9102,602,2024-05-08 11:30:00,Complete,Bo,Lee,raw.two@example.com,(503) 555-0169,97201,150,Unknown\n" +
				"9103,603,2024-05-08 12:00:00,2,Cy,Lee,raw.three@example.com,(503) 555-0170,97201,150,0\n" +
				"9104,604,2024-05-08 12:30:00,5,Di,Lee,raw.four@example.com,(503) 555-0171,97201,150,\"true\"\n" +
				"9105,605,2024-05-08 13:00:00,Complete,Ed,Lee,raw.five@example.com,(503) 555-0172,97201,150,false\n",
			canaries: []string{"raw.one@example.com", "(503) 555-0168"}},
		{dir: "25-time-zones-dst", config: strings.Replace(plainConfig, "timezone: Asia/Taipei\nregion: TW", "timezone: America/New_York\nregion: US", 1),
			export: plainHeader + "Z1,2024-07-01 10:00,completed,,(212) 555-0173,yes\nZ2,2024-12-02 10:00,completed,,(212) 555-0174,yes\n" +
				"Z3,2024-03-10 02:30,completed,,(212) 555-0175,yes\nZ4,2024-11-03 01:30,completed,,(212) 555-0176,yes\n" +
				"Z5,2024-07-01T10:00:00+08:00,completed,,(212) 555-0177,yes\n",
			canaries: []string{"555-0173"}},
		{dir: "26-duplicates-and-repeat-visits", config: plainConfig,
			export: plainHeader + "D1,2024-05-02 09:30,completed,dup@example.com,0912-345-678,yes\nD1,113/05/02 09:30,completed,dup@example.com,0912345678,yes\n" +
				"D2,2024-06-02 09:30,completed,dup@example.com,0912-345-678,yes\nD3,2024-06-09 09:30,completed,dup@example.com,0912-345-678,no\n",
			canaries: []string{"dup@example.com", "0912-345-678"}},
		{dir: "26-patient-revoked-on-a-later-row",
			config: strings.Replace(plainConfig, "    consent: consent\n", "    consent: consent\n    patient_key: chart\n", 1),
			export: "id,chart,at,status,email,phone,consent\n" +
				"P1,CH-1,2024-05-02 09:30,completed,,0912-345-680,yes\n" +
				"P2,CH-2,2024-05-03 09:30,completed,,0912-345-681,yes\n" +
				"P3,CH-1,2024-06-02 09:30,completed,,0912-345-680,已撤回\n",
			canaries: []string{"CH-1", "0912-345-680"}},
		{dir: "27-missing-column", config: plainConfig,
			export:   "id,at,status,email,mobile,consent\nX1,2024-05-02 09:30,completed,missing@example.com,0912-345-679,yes\n",
			canaries: []string{"missing@example.com"}},
		{dir: "27-header-not-found", config: plainConfig,
			export:   "編號,時間,狀態\nX1,2024-05-02 09:30,completed\n",
			canaries: []string{"X1"}},
		// 20 visits of 18-digit ids 40000004123000NNNN, as a spreadsheet
		// holding them as numbers writes them back: 15 significant digits
		// (Microsoft KB 269370), all one id. It sent 1 of 20 with exit 0.
		{dir: "28-excel-15-digits", config: plainConfig, export: fifteenDigits(),
			canaries: []string{"400000041230000000", "0912-345-700"}},
	}
	for _, tr := range traps {
		dir := filepath.Join("testdata", "traps", tr.dir)
		must(os.MkdirAll(dir, 0o755))
		must(os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(tr.config), 0o644))
		data := []byte(tr.export)
		if tr.enc != nil {
			var err error
			data, err = tr.enc.NewEncoder().Bytes(data)
			must(err)
		}
		must(os.WriteFile(filepath.Join(dir, "export.csv"), data, 0o644))
		if tr.twin {
			must(os.WriteFile(filepath.Join(dir, "export.utf8.csv"), []byte(tr.export), 0o644))
		}
		must(os.WriteFile(filepath.Join(dir, "canaries.txt"), []byte(strings.Join(tr.canaries, "\n")+"\n"), 0o644))
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
