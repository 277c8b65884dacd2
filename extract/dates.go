package extract

// Reading dates: machine values (JSON-LD, meta tags, <time datetime>) and the date lines
// people read ("18. November 2019, 09:24 Uhr", "November 18, 2019 at 9:24 pm ET",
// "الثلاثاء ١٥ أيلول/سبتمبر ٢٠١٥ - ١٨:٣٠", "2019年11月18日"), in the major languages, with
// Latin, Arabic-Indic, Persian and full-width digits. Only whole calendar days count: a month
// and a year alone, a relative date ("2 hours ago") or a bare year are not a date.

import (
	"lede"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Dates outside [minYear, now + 2 days] are not publication dates (a copyright notice, a
// typo, an event announced for next year).
const minYear = 1990

// plausibleDate reports whether t can be a page's publication or modification date.
func plausibleDate(t time.Time) bool {
	return !t.IsZero() && t.Year() >= minYear && !t.After(time.Now().AddDate(0, 0, 2))
}

// machineLayouts are the layouts of dates written for machines, tried before reading the
// value as text.
var machineLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	time.RFC1123Z, time.RFC1123, time.RFC850, time.RFC822Z, time.RFC822, time.ANSIC,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "20060102",
	"2006/01/02 15:04:05", "2006/01/02", "20060102T150405Z0700", "20060102T150405",
}

// parseDate reads a date value from metadata (JSON-LD, a meta tag, a datetime attribute) or
// a short date text; zero when it holds no whole day.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return time.Time{}
	}
	for _, layout := range machineLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	if t := epochDate(s); !t.IsZero() {
		return t
	}
	t, _ := findDate(s, "")
	return t
}

// epochDate reads a Unix time in seconds or milliseconds, as some JSON-LD gives it.
func epochDate(s string) time.Time {
	if (len(s) != 10 && len(s) != 13) || !isNumber(s) {
		return time.Time{}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}
	}
	if len(s) == 13 {
		n /= 1000
	}
	t := time.Unix(n, 0).UTC()
	if !plausibleDate(t) {
		return time.Time{}
	}
	return t
}

// dateToken is one token of a date text.
type dateToken struct {
	kind byte   // 'n' number, 'w' word, 's' separator
	text string // a word lower-cased with Arabic letter variants folded; a separator's rune
	num  int    // a number's value
	len  int    // a number's digits
}

// digitValue returns the value of a decimal digit in Latin, Arabic-Indic, Persian or
// full-width form, or -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '٠' && r <= '٩':
		return int(r - '٠')
	case r >= '۰' && r <= '۹':
		return int(r - '۰')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

// cjkDateMark reports the characters that mark year, month and day in Chinese, Japanese and
// Korean dates; each is a word of its own.
func cjkDateMark(r rune) bool {
	switch r {
	case '年', '月', '日', '년', '월', '일':
		return true
	}
	return false
}

// tokenizeDate splits a text into numbers, words and separators (spaces dropped). It stops
// after max tokens.
func tokenizeDate(s string, max int) []dateToken {
	var toks []dateToken
	var word strings.Builder
	num, numLen := 0, 0
	prevLower := false
	flush := func() {
		if numLen > 0 {
			toks = append(toks, dateToken{kind: 'n', num: num, len: numLen})
			num, numLen = 0, 0
		}
		if word.Len() > 0 {
			toks = append(toks, dateToken{kind: 'w', text: word.String()})
			word.Reset()
		}
	}
	for _, r := range s {
		if len(toks) >= max {
			break
		}
		if v := digitValue(r); v >= 0 {
			if word.Len() > 0 {
				flush()
			}
			if numLen < 9 {
				num = num*10 + v
			}
			numLen++
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r) || r == 'ـ' || r == '\u200f' || r == '\u200e' || r == '\u00ad':
			continue
		case cjkDateMark(r):
			flush()
			toks = append(toks, dateToken{kind: 'w', text: string(r)})
		case unicode.IsLetter(r):
			if numLen > 0 || (prevLower && unicode.IsUpper(r)) {
				flush() // "GarzaNovember 2": a name glued to the month
			}
			if f := lede.FoldRune(r); f >= 0 { // tatweel and other ignored runes go
				word.WriteRune(f)
			}
			prevLower = unicode.IsLower(r)
			continue
		case unicode.IsSpace(r):
			flush()
		default:
			flush()
			toks = append(toks, dateToken{kind: 's', text: string(r)})
		}
		prevLower = false
	}
	flush()
	return toks
}

// monthNames maps month names and their usual abbreviations, in the major languages, to
// months. Keys are lower-cased, with Arabic letter variants folded; accented names are also
// found without their accents. Hijri and Persian months are left out on purpose: another
// calendar.
var monthNames = func() map[string]time.Month {
	m := map[string]time.Month{}
	add := func(month time.Month, names ...string) {
		for _, n := range names {
			k := foldWord(n)
			m[k] = month
			m[stripAccents(k)] = month
		}
	}
	add(time.January, "january", "jan", "janvier", "janv", "januar", "jänner", "enero", "ene", "janeiro",
		"gennaio", "gen", "januari", "январь", "января", "янв", "січня", "stycznia", "styczeń", "ocak",
		"يناير", "كانون الثاني", "كانون ثاني", "جانفي", "ژانویه")
	add(time.February, "february", "feb", "février", "févr", "fevr", "februar", "febrero", "fevereiro", "fev",
		"febbraio", "februari", "февраль", "февраля", "фев", "февр", "лютого", "lutego", "luty", "şubat",
		"فبراير", "شباط", "فيفري", "فوریه")
	add(time.March, "march", "mar", "mars", "märz", "mär", "maerz", "marzo", "março", "marco", "maart", "mrt",
		"maret", "март", "марта", "березня", "marca", "marzec", "mart",
		"مارس", "آذار", "مارچ")
	add(time.April, "april", "apr", "avril", "avr", "abril", "abr", "aprile", "апрель", "апреля", "апр",
		"квітня", "kwietnia", "kwiecień", "nisan",
		"أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "آوریل")
	add(time.May, "may", "mai", "mayo", "maio", "maggio", "mag", "mei", "май", "мая", "травня", "maja", "maj",
		"mayıs", "مايو", "أيار", "ماي", "ماه مه")
	add(time.June, "june", "jun", "juin", "juni", "junio", "junho", "giugno", "giu", "июнь", "июня", "июн",
		"червня", "czerwca", "czerwiec", "haziran",
		"يونيو", "يونيه", "حزيران", "جوان", "ژوئن")
	add(time.July, "july", "jul", "juillet", "juil", "juli", "julio", "julho", "luglio", "lug", "июль", "июля",
		"июл", "липня", "lipca", "lipiec", "temmuz",
		"يوليو", "يوليه", "تموز", "جويلية", "يوليوز", "ژوئیه")
	add(time.August, "august", "aug", "août", "aout", "agosto", "ago", "augustus", "agustus", "август",
		"августа", "авг", "серпня", "sierpnia", "sierpień", "ağustos", "augusti",
		"أغسطس", "اغسطس", "آب", "أوت", "غشت", "اوت")
	add(time.September, "september", "sep", "sept", "septembre", "septiembre", "setiembre", "setembro", "set",
		"settembre", "sett", "сентябрь", "сентября", "сен", "сент", "вересня", "września", "wrzesień", "eylül",
		"سبتمبر", "أيلول", "شتنبر", "سپتامبر")
	add(time.October, "october", "oct", "octobre", "oktober", "okt", "octubre", "outubro", "out", "ottobre",
		"ott", "октябрь", "октября", "окт", "жовтня", "października", "październik", "ekim",
		"أكتوبر", "اكتوبر", "تشرين الأول", "تشرين أول", "اکتبر")
	add(time.November, "november", "nov", "novembre", "noviembre", "novembro", "ноябрь", "ноября", "ноя", "нояб",
		"листопада", "listopada", "listopad", "kasım",
		"نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "نوامبر")
	add(time.December, "december", "dec", "décembre", "déc", "dezember", "dez", "diciembre", "dic", "dezembro",
		"dicembre", "desember", "декабрь", "декабря", "дек", "грудня", "grudnia", "grudzień", "aralık",
		"ديسمبر", "كانون الأول", "كانون أول", "دجنبر", "دسامبر")
	return m
}()

// persianMonths are the months of the Solar Hijri calendar (Iran, Afghanistan), read
// with a year from 1300 to 1500 and converted to the Gregorian calendar.
var persianMonths = func() map[string]int {
	m := map[string]int{}
	for i, names := range [][]string{{"فروردین"}, {"اردیبهشت"}, {"خرداد"}, {"تیر"}, {"مرداد", "امرداد"},
		{"شهریور"}, {"مهر"}, {"آبان"}, {"آذر"}, {"دی"}, {"بهمن"}, {"اسفند"}} {
		for _, n := range names {
			m[foldWord(n)] = i + 1
		}
	}
	return m
}()

// solarHijri reports whether y is a Solar Hijri year of the news era.
func solarHijri(y int) bool { return y >= 1300 && y <= 1500 }

// fromSolarHijri converts a Solar Hijri date to the Gregorian calendar (the arithmetic
// 33-year cycle, exact for 1300–1500).
func fromSolarHijri(jy, jm, jd int) (int, time.Month, int) {
	jy += 1595
	days := -355668 + 365*jy + jy/33*8 + (jy%33+3)/4 + jd
	if jm < 7 {
		days += (jm - 1) * 31
	} else {
		days += (jm-7)*30 + 186
	}
	gy := 400 * (days / 146097)
	days %= 146097
	if days > 36524 {
		days--
		gy += 100 * (days / 36524)
		days %= 36524
		if days >= 365 {
			days++
		}
	}
	gy += 4 * (days / 1461)
	days %= 1461
	if days > 365 {
		gy += (days - 1) / 365
		days = (days - 1) % 365
	}
	t := time.Date(gy, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	return t.Year(), t.Month(), t.Day()
}

// foldWord lower-cases a word and folds Arabic letter variants, as tokenizeDate does.
func foldWord(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if f := lede.FoldRune(r); f >= 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// stripAccents removes Latin diacritics ("décembre" → "decembre").
func stripAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// monthAt reads a month name at toks[i] (a two-word Arabic name such as "كانون الثاني"
// included) and returns the month and the index after it.
func monthAt(toks []dateToken, i int) (time.Month, int) {
	if i >= len(toks) || toks[i].kind != 'w' {
		return 0, i
	}
	if i+1 < len(toks) && toks[i+1].kind == 'w' {
		if m, ok := monthNames[toks[i].text+" "+toks[i+1].text]; ok {
			return m, i + 2
		}
	}
	m, ok := monthNames[toks[i].text]
	if !ok {
		if m, ok = monthNames[stripAccents(toks[i].text)]; !ok {
			return 0, i
		}
	}
	return m, i + 1
}

// skipMonthAlias skips a second name of the same month after a slash or in brackets
// ("أيلول/سبتمبر", "Jan. (January)").
func skipMonthAlias(toks []dateToken, i int, m time.Month) int {
	j := i
	for j < len(toks) && toks[j].kind == 's' && strings.ContainsAny(toks[j].text, "/(-|") {
		j++
	}
	if j > i {
		if m2, k := monthAt(toks, j); m2 == m {
			for k < len(toks) && toks[k].kind == 's' && toks[k].text == ")" {
				k++
			}
			return k
		}
	}
	return i
}

// fillers may stand between a date's parts: "18. November", "18th of November",
// "18 de noviembre de 2019", "November 18, 2019", "18 ноября 2019 г.".
var dateFillers = map[string]bool{
	"st": true, "nd": true, "rd": true, "th": true, "er": true, "º": true, "ª": true, "e": true,
	"of": true, "de": true, "del": true, "el": true, "le": true, "den": true, "der": true, "di": true,
}

func skipFillers(toks []dateToken, i int, seps string) int {
	for i < len(toks) {
		t := toks[i]
		if (t.kind == 's' && strings.Contains(seps, t.text)) || (t.kind == 'w' && dateFillers[t.text]) {
			i++
			continue
		}
		break
	}
	return i
}

func validDay(y int, m time.Month, d int) bool {
	if y < 1000 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// yearOf reads a four-digit year, or a two-digit one when allowed (19 → 2019, 98 → 1998).
func yearOf(t dateToken, twoDigits bool) int {
	if t.kind != 'n' {
		return 0
	}
	switch {
	case t.len == 4:
		return t.num
	case t.len == 2 && twoDigits:
		if t.num >= 70 {
			return 1900 + t.num
		}
		return 2000 + t.num
	}
	return 0
}

// monthFirst reports whether a page in language lang writes numeric dates month first
// (11/18/2019): American English; the rest of the world writes the day first.
func monthFirst(lang string) bool {
	l := strings.ToLower(lang)
	return l == "en" || l == "en-us" || l == "en-ph" || l == "en-ca" || l == "" || l == "fil"
}

// findDate returns the first whole date (with its time of day and zone when written next
// to it) in text, and whether one was found. lang ("en-US", "de", ...) decides the order
// of an ambiguous numeric date such as 05/11/2019.
func findDate(text, lang string) (time.Time, bool) {
	toks := tokenizeDate(text, 400)
	for i := range toks {
		if t, _, ok := dateAt(toks, i, lang); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// dateAt tries to read a date starting at toks[i]; it returns the index after the date.
func dateAt(toks []dateToken, i int, lang string) (time.Time, int, bool) {
	t := toks[i]
	at := func(k int) dateToken {
		if k < len(toks) {
			return toks[k]
		}
		return dateToken{}
	}
	y, d := 0, 0
	var m time.Month
	end := 0
	switch {
	case t.kind == 'n' && t.len == 4:
		// 2019-11-18, 2019/11/18, 2019.11.18, 2019年11月18日, 2019년 11월 18일.
		s1, mo, s2, da := at(i+1), at(i+2), at(i+3), at(i+4)
		if s1.kind == 's' && strings.Contains("-/.", s1.text) && mo.kind == 'n' && mo.len <= 2 &&
			s2.kind == 's' && s2.text == s1.text && da.kind == 'n' && da.len <= 2 {
			y, m, d, end = t.num, time.Month(mo.num), da.num, i+5
			if solarHijri(y) && mo.num >= 1 && mo.num <= 12 && da.num >= 1 && da.num <= 31 {
				y, m, d = fromSolarHijri(y, mo.num, da.num) // ۱۳۹۹/۰۲/۲۱
			}
		} else if (s1.text == "年" || s1.text == "년") && mo.kind == 'n' && (s2.text == "月" || s2.text == "월") &&
			da.kind == 'n' && (at(i+5).text == "日" || at(i+5).text == "일") {
			y, m, d, end = t.num, time.Month(mo.num), da.num, i+6
		}
	case t.kind == 'n' && t.len <= 2:
		s1, b, s2, c := at(i+1), at(i+2), at(i+3), at(i+4)
		if s1.kind == 's' && strings.Contains("-/.", s1.text) && b.kind == 'n' && b.len <= 2 &&
			s2.kind == 's' && s2.text == s1.text && c.kind == 'n' {
			// 18.11.2019 (always day first), 18/11/2019, 11/18/2019, 18-11-19.
			if yy := yearOf(c, true); yy != 0 && !(c.len == 2 && at(i+5).kind == 's' && strings.Contains(".:/-", at(i+5).text) && at(i+6).kind == 'n' && at(i+6).len <= 2 && at(i+7).kind != 's') {
				first, second := t.num, b.num
				switch {
				case s1.text == "." && !strings.HasPrefix(strings.ToLower(lang), "en"):
					d, m = first, time.Month(second) // 18.11.2019; in English "11.03.17" is American
				case first > 12:
					d, m = first, time.Month(second)
				case second > 12:
					d, m = second, time.Month(first)
				case monthFirst(lang):
					d, m = second, time.Month(first)
				default:
					d, m = first, time.Month(second)
				}
				y, end = yy, i+5
			}
			break
		}
		// 18 November 2019, 18. November 2019, 18 de noviembre de 2019, 15 أيلول/سبتمبر 2015.
		k := skipFillers(toks, i+1, ".")
		if pm, ok := persianMonths[at(k).text]; ok && at(k).kind == 'w' && t.num >= 1 && t.num <= 31 {
			if yy := at(k + 1); yy.kind == 'n' && solarHijri(yy.num) {
				y, m, d = fromSolarHijri(yy.num, pm, t.num) // ۲۹ بهمن ۱۳۹۸
				end = k + 2
			}
			break
		}
		if mon, k2 := monthAt(toks, k); mon != 0 {
			k2 = skipMonthAlias(toks, k2, mon)
			k2 = skipFillers(toks, k2, ".,،")
			if yy := yearOf(at(k2), false); yy != 0 {
				y, m, d, end = yy, mon, t.num, k2+1
			}
		}
	case t.kind == 'w':
		// November 18, 2019; Nov. 18th 2019.
		mon, k := monthAt(toks, i)
		if mon == 0 {
			break
		}
		k = skipMonthAlias(toks, k, mon)
		k = skipFillers(toks, k, ".")
		if day := at(k); day.kind == 'n' && day.len <= 2 {
			k2 := skipFillers(toks, k+1, ".,،")
			if w := at(k2); w.kind == 'w' && weekdayNames[w.text] {
				k2 = skipFillers(toks, k2+1, ".,،") // "Dec 28 Sat 2013"
			}
			if yy := yearOf(at(k2), false); yy != 0 {
				y, m, d, end = yy, mon, day.num, k2+1
			}
		}
	}
	if end == 0 || !validDay(y, m, d) || y < minYear || y > 2100 {
		return time.Time{}, i, false
	}
	hour, minute, sec, loc, end := clockAt(toks, end)
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(y, m, d, hour, minute, sec, 0, loc), end, true
}

// clockWords may stand between a date and its time of day.
var clockWords = map[string]bool{
	"at": true, "um": true, "à": true, "a": true, "las": true, "alle": true, "ore": true, "в": true,
	"الساعة": true, "الساعه": true, "saat": true, "om": true, "kl": true, "klo": true, "às": true, "as": true,
	"t": true, "h": true, "o": true, "lúc": true, "vers": true, "г": true, "р": true, "r": true,
	"года": true, "року": true, "roku": true,
}

// zoneOffsets are time-zone abbreviations news pages print after a time, in minutes east
// of UTC.
var zoneOffsets = map[string]int{
	"gmt": 0, "utc": 0, "z": 0, "wet": 0, "bst": 60, "cet": 60, "mez": 60, "cest": 120, "mesz": 120,
	"eet": 120, "eest": 180, "msk": 180, "ist": 330, "pkt": 300, "wib": 420, "ict": 420, "sgt": 480,
	"hkt": 480, "jst": 540, "kst": 540, "aest": 600, "aedt": 660, "est": -300, "edt": -240, "et": -300,
	"cst": -360, "cdt": -300, "ct": -360, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "pt": -480,
}

// clockAt reads a time of day at toks[i] ("9:24 pm ET", "09.24 Uhr", "18:30 م", "10h43").
// Without a time it returns midnight; without a zone, a nil location.
func clockAt(toks []dateToken, i int) (hour, minute, sec int, loc *time.Location, end int) {
	at := func(k int) dateToken {
		if k < len(toks) {
			return toks[k]
		}
		return dateToken{}
	}
	// Skip separators and the words between the date and the time ("at", "um", "-", "،").
	k := i
	for n := 0; n < 4 && k < len(toks); n++ {
		t := toks[k]
		if (t.kind == 's' && strings.Contains(",.-–—|@،/·•(", t.text)) || (t.kind == 'w' && clockWords[t.text]) {
			k++
			continue
		}
		break
	}
	h, s, mi := at(k), at(k+1), at(k+2)
	if h.kind != 'n' || h.len > 2 || h.num > 23 || mi.kind != 'n' || mi.len != 2 || mi.num > 59 ||
		!(s.kind == 's' && (s.text == ":" || s.text == ".") || s.kind == 'w' && s.text == "h") {
		return 0, 0, 0, nil, i
	}
	hour, minute = h.num, mi.num
	k += 3
	if at(k).kind == 's' && at(k).text == ":" && at(k+1).kind == 'n' && at(k+1).len == 2 && at(k+1).num <= 59 {
		sec = at(k + 1).num
		k += 2
	}
	// am / pm / a.m. / p.m. / Arabic ص (morning) and م (evening).
	switch w := at(k); {
	case w.kind == 'w' && (w.text == "pm" || w.text == "p" || w.text == "م" || w.text == "مساء" || w.text == "مساءا" || w.text == "مساءً"):
		if hour < 12 {
			hour += 12
		}
		k = skipAmPm(toks, k)
	case w.kind == 'w' && (w.text == "am" || w.text == "a" || w.text == "ص" || w.text == "صباحا" || w.text == "صباح"):
		if hour == 12 {
			hour = 0
		}
		k = skipAmPm(toks, k)
	}
	if at(k).kind == 'w' && (at(k).text == "uhr" || at(k).text == "h" || at(k).text == "hrs") {
		k++
	}
	for at(k).kind == 's' && strings.Contains("(", at(k).text) {
		k++
	}
	// A zone: "GMT", "GMT+3", "+03:00", "-0500", "ET".
	z := at(k)
	offset, found := 0, false
	if z.kind == 'w' {
		if o, ok := zoneOffsets[z.text]; ok {
			offset, found = o, true
			k++
		}
	}
	if sign := at(k); sign.kind == 's' && (sign.text == "+" || sign.text == "-" || sign.text == "−") {
		if n := at(k + 1); n.kind == 'n' {
			mins := -1
			switch {
			case n.len == 4:
				mins = n.num/100*60 + n.num%100
			case n.len <= 2 && at(k+2).text == ":" && at(k+3).kind == 'n':
				mins = n.num*60 + at(k+3).num
			case n.len <= 2:
				mins = n.num * 60
			}
			if mins >= 0 && mins <= 14*60 {
				if sign.text != "+" {
					mins = -mins
				}
				offset, found = mins, true
			}
		}
	}
	if found {
		loc = time.FixedZone("", offset*60)
		k++
	}
	return hour, minute, sec, loc, k
}

// skipAmPm steps over "pm", "p.m.", "a. m." and the like.
func skipAmPm(toks []dateToken, k int) int {
	k++
	for k < len(toks) && (toks[k].kind == 's' && toks[k].text == "." || toks[k].kind == 'w' && toks[k].text == "m") {
		k++
	}
	return k
}

// urlDate reads the day of publication from a URL path: /2019/11/18/, /2019-11-18-slug,
// /20191118/, /2019/nov/18/. A year and month alone are not a day.
func urlDate(rawURL string) time.Time {
	p := rawURL
	if i := strings.Index(p, "://"); i >= 0 {
		p = p[i+3:]
		if j := strings.IndexByte(p, '/'); j >= 0 {
			p = p[j:]
		} else {
			return time.Time{}
		}
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	toks := tokenizeDate(p, 200)
	for i := 0; i+4 < len(toks); i++ {
		t := toks[i]
		if t.kind != 'n' || t.len != 4 || (i > 0 && toks[i-1].kind == 'w') {
			continue
		}
		s1, mo, s2, da := toks[i+1], toks[i+2], toks[i+3], toks[i+4]
		if s1.kind != 's' || s2.kind != 's' || !strings.Contains("/-_.", s1.text) || !strings.Contains("/-_.", s2.text) || da.kind != 'n' || da.len > 2 {
			continue
		}
		var m time.Month
		switch {
		case mo.kind == 'n' && mo.len <= 2:
			m = time.Month(mo.num)
		case mo.kind == 'w':
			if mm, k := monthAt(toks, i+2); mm != 0 && k == i+3 {
				m = mm
			}
		}
		// A day followed by more digits ("/2019/11/185") is an ID.
		if i+5 < len(toks) && toks[i+5].kind == 'n' {
			continue
		}
		if d := time.Date(t.num, m, da.num, 0, 0, 0, 0, time.UTC); validDay(t.num, m, da.num) && plausibleDate(d) {
			return d
		}
	}
	// Eight digits alone in a path segment: /20191118/ or /news-20191118.html.
	for i, t := range toks {
		if t.kind != 'n' || t.len != 8 || (i > 0 && toks[i-1].kind == 'n') {
			continue
		}
		y, m, d := t.num/10000, time.Month(t.num/100%100), t.num%100
		if dt := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); validDay(y, m, d) && plausibleDate(dt) {
			return dt
		}
	}
	return time.Time{}
}

// updateWords and publishWords tell, in a date line, which date follows: "Published 6 March
// 2024 | Updated 7 March 2024", "نشر في ... - آخر تحديث ...". They are matched on folded words.
var updateWords, publishWords = wordSet("updated", "update", "modified", "revised", "aktualisiert",
	"aktualisierung", "überarbeitet", "mise à jour",
	"geändert", "stand", "actualizado", "actualización", "atualizado", "màj", "aggiornato",
	"bijgewerkt", "обновлено", "обновлен", "güncelleme", "güncellendi", "diperbarui", "تحديث",
	"التحديث", "محدث", "更新", "수정"),
	wordSet("published", "posted", "publié", "publie", "veröffentlicht", "erschienen", "publicado",
		"pubblicato", "gepubliceerd", "опубликовано", "yayınlanma", "diterbitkan", "نشر", "نشرت",
		"publiziert", "veröffentlichung", "publicación", "publicação", "publication",
		"发布", "發布", "公開", "입력", "created")

func wordSet(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[foldWord(w)] = true
	}
	return m
}

// lineDates reads the dates of a date line: "Published 6 March 2024, 08:15 GMT | Updated
// 7 March 2024" gives a publication and a modification date. A date that follows an update
// word ("Updated", "Aktualisiert", "mis à jour", "تحديث") is the modification date, the
// others the publication date.
func lineDates(text, lang string) (published, modified time.Time) {
	toks := tokenizeDate(text, 400)
	updating := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == 'w' {
			switch {
			case updateWords[t.text] || (t.text == "mis" && i+2 < len(toks) && toks[i+2].text == "jour"):
				updating = true
			case publishWords[t.text]:
				updating = false
			}
			if _, ok := monthNames[t.text]; !ok {
				continue
			}
		}
		d, end, ok := dateAt(toks, i, lang)
		if !ok {
			continue
		}
		if plausibleDate(d) {
			if updating && modified.IsZero() {
				modified = d
			} else if !updating && published.IsZero() {
				published = d
			}
		}
		updating = false
		i = end - 1 // the date's other tokens start no date of their own
	}
	return published, modified
}

// leadDate reads a dateline that opens an article's first paragraph: "Feb. 23, 2015 --
// Life-threatening …", "WASHINGTON, 18 November 2019 (Reuters) —". The date must come
// within the first words and be followed by a dash or a bracket, so that a sentence that
// merely starts with a date ("On 3 November 2019, the council …") is not taken.
func leadDate(text, lang string) time.Time {
	toks := tokenizeDate(text, 24)
	for i := 0; i < len(toks) && i < 6; i++ {
		t, end, ok := dateAt(toks, i, lang)
		if !ok {
			continue
		}
		for k := end; k < len(toks) && k < end+2; k++ {
			if toks[k].kind == 's' && strings.ContainsAny(toks[k].text, "-–—(") {
				if plausibleDate(t) {
					return t
				}
			}
		}
		return time.Time{}
	}
	return time.Time{}
}
