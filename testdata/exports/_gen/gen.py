# Writes testdata/exports/<layout>/{export.csv,expected.yaml} from the layout
# definitions below. Rows are made up; which rows are visits with consent is
# decided here, before hashgate reads anything.
import os, sys, yaml, hashlib, datetime

OUT = sys.argv[1]
N = 14
K = ["V","V","N","V","C","V","S","V","V","N","V","C","V","V"]   # status kind per row
P = ["G","G","D","G","S","G","G","D","G","G","R","G","D","G"]   # consent kind per row
USED = sum(1 for i in range(N) if K[i] == "V" and P[i] == "G")

EN_F = ["Ava","Liam","Mia","Noah","Emma","Oliver","Sofia","Lucas","Chloe","Ethan","Grace","Mason","Ruby","Leo"]
EN_L = ["Walker","Hughes","Price","Bennett","Foster","Hayes","Reed","Morgan","Perry","Brooks","Ward","Cole","Grant","Shaw"]
TW_N = ["王小明","陳美玲","林志豪","張雅婷","李建宏","黃淑芬","吳家豪","劉怡君","蔡宗翰","楊佩珊","許志偉","鄭雅文","謝承恩","洪詩涵"]
CN_N = ["赵磊","钱芳","孙伟","李娜","周杰","吴敏","郑浩","王静","冯涛","陈晨","褚亮","卫红","蒋博","沈悦"]

def h(s, n):
    return hashlib.sha256(s.encode()).hexdigest()[:n]

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
def token(seed, n):
    d = hashlib.sha256(seed.encode()).digest() + hashlib.sha256((seed+"2").encode()).digest()
    return "".join(B64[b % 64] for b in d[:n])

def cell(kind, i, L, arg):
    day = 2 + i
    hh = 9 + i % 8
    mm = [0, 15, 30, 45][i % 4]
    k, v = K[i], P[i]
    if kind == "order":
        return (arg or "%d") % (41230 + i * 7)
    if kind == "pkey":
        return (arg or "%d") % (700 + i)
    if kind == "dt":
        return {
            "iso": f"2026-11-{day:02d} {hh:02d}:{mm:02d}:00",
            "isoT": f"2026-11-{day:02d}T{hh:02d}:{mm:02d}:00",
            "isoZ": f"2026-11-{day:02d}T{hh-8 if hh>=8 else hh:02d}:{mm:02d}:00Z",
            "iso+08": f"2026-11-{day:02d} {hh:02d}:{mm:02d}:00+08:00",
            "mdy_ampm": f"11/{day}/2026 {hh if hh<=12 else hh-12}:{mm:02d} {'AM' if hh<12 else 'PM'}",
            "roc13": f"11511{day:02d}{hh:02d}{mm:02d}00",
            "cjk": f"2026年11月{day}日 {hh:02d}:{mm:02d}",
            "slash": f"2026/11/{day:02d} {hh:02d}:{mm:02d}",
            "isoms+00": f"2026-11-{day:02d}T{hh:02d}:{mm:02d}:00.000+00:00",
            "iso_ampm": f"2026-11-{day:02d} {hh if hh<=12 else hh-12:02d}:{mm:02d} {'am' if hh<12 else 'pm'}",
        }[arg]
    if kind == "stamp":
        # A time filled only in the rows of the given status kinds (a
        # cancelled_at, a finish time): (kinds, minutes after the
        # appointment, strftime layout).
        kinds, after, layout_ = arg
        if k not in kinds:
            return ""
        t = (datetime.datetime(2026, 11, day, hh, mm) + datetime.timedelta(minutes=after)).strftime(layout_)
        return t.lower() if "%p" in layout_ else t
    if kind == "flag":
        # (kinds, value in those rows, value in the others)
        kinds, yes, no = arg
        return yes if k in kinds else no
    if kind == "seq":
        return str(i + 1)
    if kind == "date":
        return {
            "iso": f"2026-11-{day:02d}", "slash": f"2026/11/{day:02d}", "mdy": f"11/{day:02d}/2026",
            "dmy": f"{day:02d}/11/2026", "roc": f"115/11/{day:02d}", "noyear": f"11月{day}日",
        }[arg]
    if kind == "time":
        h12 = hh if hh <= 12 else hh - 12
        return {
            "hm": f"{hh:02d}:{mm:02d}", "ampm": f"{h12}:{mm:02d} {'AM' if hh<12 else 'PM'}",
            "cjk": f"{'上午' if hh<12 else '下午'} {h12:02d}:{mm:02d}",
        }[arg]
    if kind == "status":
        words = L["status_words"]
        if k == "V":
            vs = words["V"]
            return vs[i % len(vs)]
        return words.get(k, words["N"])
    if kind == "consent":
        words = L["consent_words"]
        if v == "G":
            gs = words["G"]
            return gs[i % len(gs)]
        return words.get(v, words["D"])
    if kind == "email":
        if arg == "sparse" and i % 5 == 4:
            return ""
        return f"canary.{(EN_F[i]).lower()}{i}@example.com"
    if kind == "phone":
        return {
            "us": f"(312) 555-01{i:02d}", "us_plain": f"312555{1000+i}", "au": f"0412 345 {600+i}",
            "tw": f"0912-345-{100+i}", "tw_plain": f"09123451{i:02d}", "cn": f"138{10020030+i}",
            "cn86": (f"86 138{10020030+i}" if i % 2 == 0 else f"+86 138{10020030+i}"),
            "cn_masked": f"138****{1000+i}",
            "uk": f"07700 900{100+i:03d}", "us_intl": f"+1 312-555-01{i:02d}",
        }[arg]
    if kind == "landline":
        return {"tw": f"02-2700-{1200+i}", "cn": f"010-6552{1000+i}", "us": f"(312) 555-02{i:02d}"}[arg]
    if kind == "fname":
        return EN_F[i]
    if kind == "lname":
        return EN_L[i]
    if kind == "name":
        return {"en": f"{EN_F[i]} {EN_L[i]}", "tw": TW_N[i], "cn": CN_N[i]}[arg]
    if kind == "zip":
        return {"us": f"606{10+i}", "tw": ["106", "110", "220", "300"][i % 4], "au": f"20{10+i}",
                "uk": ["SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE"][i % 4]}[arg]
    if kind == "gclid":
        return "" if i % 3 == 2 else "Cj0KCQiA" + token(L["name"] + str(i), 40)
    if kind == "fbclid":
        return "" if i % 3 != 2 else "IwAR" + token(L["name"] + "fb" + str(i), 48)
    if kind == "value":
        return {"usd": f"{120 + 5*i}.00", "twd": f"NT${1500 + 100*i:,}", "cny": f"{800 + 50*i}", "aud": f"{95 + i}.00"}[arg]
    if kind == "currency":
        return arg
    if kind == "source":
        return arg[i % len(arg)]
    if kind == "const":
        return arg
    if kind == "cycle":
        return arg[i % len(arg)]
    if kind == "note":
        return f"CANARY {arg} {EN_L[i]} {i}"
    if kind == "treat":
        return f"{arg[i % len(arg)]} CANARY{i}"
    if kind == "dob":
        return {"mdy": f"{1 + i % 12}/{3 + i}/19{60+i}", "roc": f"0{60+i}/0{1 + i % 9}/1{i%9}", "iso": f"19{60+i}-0{1+i%9}-1{i%9}"}[arg]
    if kind == "natid":
        return f"A1{23450000+i}"
    if kind == "bool":
        return arg(i)
    if kind == "empty":
        return ""
    raise KeyError(kind)

KEY = {"order": "order_id", "pkey": "patient_key", "dt": "appointment_at", "date": "appointment_date",
       "time": "appointment_time", "status": "status", "consent": "consent", "email": "email", "phone": "phone",
       "landline": "phone", "fname": "first_name", "lname": "last_name", "zip": "postal_code", "gclid": "gclid",
       "fbclid": "fbclid", "value": "value", "currency": "currency", "source": "source"}
LISTKEYS = {"order_id", "email", "phone"}

TWSRC = ["google", "fb", "line", "朋友介紹", "路過", "google", "fb", "line", "google", "朋友介紹", "路過", "google", "fb", "line"]

LAYOUTS = []
def layout(**kw):
    LAYOUTS.append(kw)

exec(open(os.path.join(os.path.dirname(__file__), "layouts.py"), encoding="utf-8").read())

for L in LAYOUTS:
    d = os.path.join(OUT, L["name"])
    os.makedirs(d, exist_ok=True)
    cols = L["columns"]
    rows = [[c[0] for c in cols]]
    for i in range(N):
        rows.append([cell(c[1], i, L, c[2] if len(c) > 2 else None) for c in cols])
    delim = L.get("delimiter", ",")
    def q(s):
        if any(ch in s for ch in (delim, '"', "\n")):
            return '"' + s.replace('"', '""') + '"'
        return s
    with open(os.path.join(d, "export.csv"), "w", encoding="utf-8", newline="") as f:
        for t in L.get("title", []):
            f.write(t + "\r\n")
        for r in rows:
            f.write(delim.join(q(x) for x in r) + "\r\n")
    m = {}
    for c in cols:
        key = KEY.get(c[1])
        if key is None or (key in ("value", "currency", "source") and not L.get("map_" + key, True)):
            continue
        if key in LISTKEYS:
            m.setdefault(key, []).append(c[0])
        else:
            m[key] = c[0]
    if "order_id" not in m and "patient_key" in m:
        comp = [m["patient_key"]]
        for k in ("appointment_at", "appointment_date", "appointment_time"):
            if k in m:
                comp.append(m[k])
        if len(comp) > 1:
            m["order_id"] = comp
    # A layout without an order id or a patient key and date (a form's
    # answers): config init must ask for one.
    sw = L.get("status_words")
    exp = {
        "system": L["system"],
        "encoding": L.get("encoding", "utf-8"),
        "delimiter": {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[delim],
        "title_lines": len(L.get("title", [])),
        "region": L["region"],
        "timezone": L["timezone"],
        "zone_stated": L.get("zone_stated", False),
        "date_order": L.get("date_order", ""),
        "default_year": 0,
        "columns": m,
        "granted": sorted(set(L["consent_words"]["G"])) if "consent_words" in L else [],
        "statuses": sorted(set(sw["V"])) if sw else [],
        "used": L.get("used", USED if "consent_words" in L else 0),
        "traps": L["traps"],
    }
    with open(os.path.join(d, "expected.yaml"), "w", encoding="utf-8") as f:
        f.write("# Written with the layout, before hashgate read it: what config init must map.\n")
        yaml.safe_dump(exp, f, allow_unicode=True, sort_keys=False, width=200)
print(len(LAYOUTS), "layouts; used per full layout:", USED)
