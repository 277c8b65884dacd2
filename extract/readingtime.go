package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// Reading-time lines: "4 min read", "Updated March 5, 2024 · 4 min read", "Lesezeit: 3 Min.",
// "読了時間：約3分", "مدة القراءة: 3 دقائق". Such a line tells the reader how long the article
// takes; with the date and the byline it often shares, it is page furniture.

// reReadingTime finds a reading time in a normalised line: a number of minutes next to a
// word of reading (either order), a "reading time" label followed by a number, or the
// Japanese, Chinese and Korean forms (which lede.NormalizeText leaves without spaces).
var reReadingTime = regexp.MustCompile(`(?:^| )(?:` +
	// "4 min read", "3 minutes de lecture", "5 dakika okuma", "3 دقائق قراءة"
	`(?:约|約|약|ca )?\p{Nd}+ ?(?:` + minuteWords + `)(?: (?:de|di|of|zum|om te))? (?:` + readWords + `)` +
	// "reading time 4 min", "lesezeit 3 min", "مده القراءه 3 دقائق", "読了時間 約3分"
	`|(?:` + readingTimeLabels + `) (?:(?:約|约|약|ca|approx|about|environ|circa|نحو|حوالي) ?)?\p{Nd}+(?: ?(?:` + minuteWords + `))?` +
	// "この記事は約2分で読めます", "3분 읽기", "阅读约5分钟", "5分钟读完"
	`|(?:この記事は)?約?\p{Nd}+分で読め(?:ます|る)` +
	`|\p{Nd}+ ?분 (?:만에 )?읽기` +
	`|阅读(?:约|大约)?\p{Nd}+分钟|\p{Nd}+分钟(?:阅读|读完)` +
	`)(?: |$)`)

const minuteWords = `min|mins|minute|minutes|minuten|minuto|minutos|minuti|minut|minuty|minutter|minuter|минут|минуты|минута|мин|dakika|dk|dakikalık|menit|phút|دقائق|دقيقه|دقيقتان|دقيقتين|分|分钟|分鐘|분`

const readWords = `read|reading|lesen|lesezeit|lecture|lectura|lettura|leitura|leestijd|lezen|czytania|чтения|чтение|okuma|okumak|قراءه|للقراءه|membaca|baca|đọc|läsning|lesing|läsa`

const readingTimeLabels = `reading time|read time|time to read|estimated reading time|lesezeit|lesedauer|leestijd|temps de lecture|durée de lecture|tiempo de lectura|tiempo estimado de lectura|tempo di lettura|tempo de leitura|czas czytania|время чтения|okuma süresi|مده القراءه|وقت القراءه|زمن القراءه|waktu baca|thời gian đọc|läsetid|lesetid|読了時間|読了目安|阅读时间|阅读时长|閱讀時間|읽는 시간|예상 읽기 시간`

// readingTimeRule names the rule for a line made of a reading time, alone or with the
// page's date and byline around it ("By Jane Doe · Updated 2 hours ago · 3 min read").
func (c *cleaner) readingTimeRule(b *block) string {
	if b.words > 20 || !hasDigits(b.norm) || !mayGiveReadingTime(b.norm) {
		return ""
	}
	loc := reReadingTime.FindStringIndex(b.norm)
	if loc == nil {
		return ""
	}
	rest := strings.TrimSpace(b.norm[:loc[0]] + " " + b.norm[loc[1]:])
	if rest == "" || c.bylineOrDate(rest, b.text) {
		return "reading-time"
	}
	return ""
}

// readingTimeWords are the words one of which every reading time has: a cheap test before
// the regular expression.
var readingTimeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{minuteWords, readWords, readingTimeLabels} {
		for _, phrase := range strings.Split(list, "|") {
			for _, w := range strings.Fields(phrase) {
				m[w] = true
			}
		}
	}
	return m
}()

// mayGiveReadingTime reports whether a normalised line has a word of reading times, or is
// written in a script without spaces (where the expression alone can tell).
func mayGiveReadingTime(norm string) bool {
	for w := range strings.FieldsSeq(norm) {
		if readingTimeWords[w] {
			return true
		}
	}
	return hasCJK(norm)
}

// hasDigits reports whether s holds a decimal digit of any script (2, ٢, ２).
func hasDigits(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' || (r > 127 && unicode.IsDigit(r)) {
			return true
		}
	}
	return false
}

// isCJKDate reports whether a normalised word is a date or a time written the Chinese,
// Japanese or Korean way, such as 2024年3月5日, １０時３０分 or 2024년: digits and the
// characters for year, month, day, hour, minute, second, morning and afternoon.
func isCJKDate(w string) bool {
	digits, marks := 0, 0
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			digits++
		case strings.ContainsRune("年月日時时分秒号號년월일시분초午前後后上下", r):
			marks++
		default:
			return false
		}
	}
	return digits > 0 && marks > 0
}
