package extract

import (
	"strings"
	"testing"
	"time"
)

// TestFindDate reads the date lines of news pages in the major languages: the day, the time
// of day and the zone when the line gives them.
func TestFindDate(t *testing.T) {
	cases := []struct{ lang, in, want string }{
		// English: month first in the US, day first elsewhere; times with am/pm and zones.
		{"en", "Nov 18, 2019 at 9:24 pm ET • 2 min read", "2019-11-18T21:24:00-05:00"},
		{"en-US", "Updated 11/20/2019 10:43 AM", "2019-11-20T10:43:00Z"},
		{"en-GB", "Published: 6 March 2024, 08:15 GMT", "2024-03-06T08:15:00Z"},
		{"en-GB", "20/11/2019", "2019-11-20T00:00:00Z"},
		{"en-GB", "05/11/2019", "2019-11-05T00:00:00Z"},
		{"en-US", "05/11/2019", "2019-05-11T00:00:00Z"},
		{"en", "Monday 18th November 2019", "2019-11-18T00:00:00Z"},
		{"en", "Sept. 3, 2018, 12:00 p.m.", "2018-09-03T12:00:00Z"},
		{"en", "2019-11-18T09:24:00+01:00", "2019-11-18T09:24:00+01:00"},
		// German.
		{"de", "18. November 2019, 09:24 Uhr", "2019-11-18T09:24:00Z"},
		{"de", "Veröffentlicht am 03.02.2020 um 14:05", "2020-02-03T14:05:00Z"},
		{"de", "Stand: 1. März 2021", "2021-03-01T00:00:00Z"},
		{"de-AT", "12. Jänner 2020", "2020-01-12T00:00:00Z"},
		// Spanish, Portuguese, Italian, French.
		{"es", "18 de noviembre de 2019 a las 10:30", "2019-11-18T10:30:00Z"},
		{"es", "Publicado el lunes, 2 de septiembre del 2019", "2019-09-02T00:00:00Z"},
		{"pt-BR", "27 de setembro de 2018 às 14h30", "2018-09-27T14:30:00Z"},
		{"it", "18 novembre 2019 ore 9.24", "2019-11-18T09:24:00Z"},
		{"fr", "Publié le 1er décembre 2019 à 10h43", "2019-12-01T10:43:00Z"},
		{"fr", "Mis à jour le 20 fevrier 2020", "2020-02-20T00:00:00Z"},
		// Russian (genitive month), Turkish, Polish, Dutch, Indonesian.
		{"ru", "18 ноября 2019 г., 09:24", "2019-11-18T09:24:00Z"},
		{"tr", "18 Kasım 2019 Pazartesi", "2019-11-18T00:00:00Z"},
		{"pl", "3 października 2019", "2019-10-03T00:00:00Z"},
		{"nl", "18 maart 2020", "2020-03-18T00:00:00Z"},
		{"id", "Senin, 30 Maret 2015 | 10:15 WIB", "2015-03-30T10:15:00+07:00"},
		// Chinese, Japanese, Korean.
		{"zh", "2023年11月17日 10:02 来源：新华网", "2023-11-17T10:02:00Z"},
		{"ja", "2018年6月18日 5:30", "2018-06-18T05:30:00Z"},
		{"ko", "2019년 8월 20일 14:30", "2019-08-20T14:30:00Z"},
		{"zh", "发布时间：2023-11-17 09:31:05", "2023-11-17T09:31:05Z"},
		// Arabic: Egyptian and Levantine month names, Arabic-Indic digits, م / ص.
		{"ar", "آخر تحديث: الثلاثاء 15 أيلول/سبتمبر 2015 - 18:30", "2015-09-15T18:30:00Z"},
		{"ar", "الأربعاء، ١٦ سبتمبر ٢٠١٥", "2015-09-16T00:00:00Z"},
		{"ar", "نشر في 3 كانون الثاني 2016", "2016-01-03T00:00:00Z"},
		{"ar", "السبت ٢٠ نوفمبر ٢٠٢١ - ٠٧:٤٥ م", "2021-11-20T19:45:00Z"},
		{"ar", "٢٠٢١/١١/٢٠", "2021-11-20T00:00:00Z"},
		{"fa", "۱۸ نوامبر ۲۰۱۹", "2019-11-18T00:00:00Z"},
		// Persian: the Solar Hijri calendar, converted.
		{"fa", "۲۹ بهمن ۱۳۹۸ - ۰۶:۵۵", "2020-02-18T06:55:00Z"},
		{"fa", "تاریخ انتشار: ۲۱ ارديبهشت ۱۳۹۹ - ۱۸:۵۹", "2020-05-10T18:59:00Z"},
		{"fa", "۱۳۹۹/۰۲/۲۱", "2020-05-10T00:00:00Z"},
		{"fa", "2 تير 1399", "2020-06-22T00:00:00Z"},
		{"fa", "۱ فروردین ۱۴۰۳", "2024-03-20T00:00:00Z"},
	}
	for _, c := range cases {
		got, ok := findDate(c.in, c.lang)
		if !ok {
			t.Errorf("findDate(%q, %s): no date, want %s", c.in, c.lang, c.want)
			continue
		}
		if s := got.Format(time.RFC3339); s != c.want {
			t.Errorf("findDate(%q, %s) = %s, want %s", c.in, c.lang, s, c.want)
		}
	}
}

// TestFindDateRejects keeps what is not a whole day out: months and years alone, relative
// dates, other calendars, numbers that only look like dates.
func TestFindDateRejects(t *testing.T) {
	for _, in := range []string{
		"في سبتمبر الماضي", "November 2019", "© 2019 The Daily Courier", "2 hours ago", "vor 3 Stunden",
		"hace 2 días", "15 رمضان 1441", "Version 10.11.4", "Call 555-12-1234", "Score 3-1", "Page 2019",
		"Room 12/13", "ID 2019-11-185", "32 December 2019", "29 February 2019",
	} {
		if got, ok := findDate(in, "en"); ok {
			t.Errorf("findDate(%q) = %s, want no date", in, got)
		}
	}
}

func TestParseDate(t *testing.T) {
	cases := map[string]string{
		"2019-11-18T21:24:00.000Z":        "2019-11-18T21:24:00Z",
		"2019-11-18T21:24:00-0500":        "2019-11-18T21:24:00-05:00",
		"2019-11-18 21:24:00":             "2019-11-18T21:24:00Z",
		"Mon, 18 Nov 2019 21:24:00 -0500": "2019-11-18T21:24:00-05:00",
		"Mon, 18 Nov 2019 21:24:00 GMT":   "2019-11-18T21:24:00Z",
		"1574168580":                      "2019-11-19T13:03:00Z",
		"20191118":                        "2019-11-18T00:00:00Z",
		"November 18, 2019":               "2019-11-18T00:00:00Z",
		"18.11.2019":                      "2019-11-18T00:00:00Z",
		"1344":                            "0001-01-01T00:00:00Z",
	}
	for in, want := range cases {
		if got := parseDate(in).Format(time.RFC3339); got != want {
			t.Errorf("parseDate(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestURLDate(t *testing.T) {
	cases := map[string]string{
		"https://www.cnn.example/2019/11/18/investing/markets/index.html":       "2019-11-18",
		"https://news.example/commentisfree/2019/nov/18/a-city-on-the-brink":    "2019-11-18",
		"https://news.example/fortune/2023-11/17/c_1129981476.htm":              "2023-11-17",
		"https://news.example/2015-03-30-jangan-membenci":                       "2015-03-30",
		"https://news.example/story/20191118/slug.html":                         "2019-11-18",
		"https://news.example/2019/11/":                                         "",
		"https://news.example/articles/11574168580":                             "",
		"https://news.example/view/AEN20190820002300325":                        "",
		"https://news.example/a/2019/11/185-things":                             "",
		"https://news.example/2019/11/18/?from=2001-01-01":                      "2019-11-18",
		"https://news.example/news/2016/05/16/apple-announces-new-macbook.html": "2016-05-16",
	}
	for in, want := range cases {
		got := ""
		if d := urlDate(in); !d.IsZero() {
			got = d.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("urlDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLineDates(t *testing.T) {
	pub, mod := lineDates("Published: 6 March 2024, 08:15 GMT | Updated: 7 March 2024", "en")
	if pub.Format("2006-01-02") != "2024-03-06" || mod.Format("2006-01-02") != "2024-03-07" {
		t.Errorf("lineDates: published %s, modified %s", pub, mod)
	}
	pub, mod = lineDates("Aktualisiert am 18.11.2019", "de")
	if !pub.IsZero() || mod.Format("2006-01-02") != "2019-11-18" {
		t.Errorf("lineDates(update only): published %s, modified %s", pub, mod)
	}
	pub, _ = lineDates("نشر في: الأحد، ٢٠ نوفمبر ٢٠٢٢ - آخر تحديث: الإثنين، ٢١ نوفمبر ٢٠٢٢", "ar")
	if pub.Format("2006-01-02") != "2022-11-20" {
		t.Errorf("lineDates(Arabic): published %s", pub)
	}
}

// datePage is an article page with a masthead, the given head and header, a related box
// and comments that carry their own dates.
func datePage(head, header string) []byte {
	body := strings.Repeat("<p>The council voted on Tuesday night to turn the disused rail yard into a public park, ending a decade of argument over the site and its future.</p>", 6)
	return []byte("<html><head>" + head + `</head><body><header><div class="masthead-date">Friday, 14 June 2024</div><a href="/">Daily Courier</a></header><main><article>` +
		header + body + `</article><aside class="related"><ul><li><a href="/old">An older story</a> <time datetime="2011-05-02">2 May 2011</time></li></ul></aside>` +
		`<section class="comments"><div class="comment"><span class="date">3 March 2023</span> Great news!</div></section></main>` +
		`<footer>© 2024 Daily Courier</footer></body></html>`)
}

// TestArticleDates reads publication and modification days the way a reader sees them.
func TestArticleDates(t *testing.T) {
	cases := []struct{ name, url, head, header, published, modified string }{
		// The same moment, shown in the nearest zone that puts it on the URL's day.
		{"metadata in UTC, the URL's local day",
			"https://courier.example/2023/11/08/park",
			`<meta property="article:published_time" content="2023-11-09T06:35:29+00:00"><title>Park plan approved</title>`,
			`<h1>Park plan approved</h1>`, "2023-11-08T23:35:29-07:00", ""},
		{"the date line under the headline, English",
			"https://courier.example/news/park",
			`<title>Park plan approved</title>`,
			`<h1>Park plan approved</h1><p>By Jane Doe</p><p>Published: 6 March 2024, 08:15 GMT | Updated: 7 March 2024</p>`, "2024-03-06T08:15:00Z", "2024-03-07T00:00:00Z"},
		{"German date line",
			"https://courier.example/news/park",
			`<title>Parkplan beschlossen</title>`,
			`<h1>Parkplan beschlossen</h1><div>Von Hans Müller</div><div>18. November 2019, 09:24 Uhr</div>`, "2019-11-18T09:24:00Z", ""},
		{"Arabic date line, Arabic-Indic digits",
			"https://courier.example/news/park",
			`<title>إقرار خطة الحديقة</title>`,
			`<h1>إقرار خطة الحديقة</h1><div class="date">السبت ٢٠ نوفمبر ٢٠٢١ - ٠٧:٤٥ م</div>`, "2021-11-20T19:45:00Z", ""},
		{"only an update shown",
			"https://courier.example/news/park",
			`<title>Park plan approved</title>`,
			`<h1>Park plan approved</h1><p>Last updated 12 May 2024</p>`, "2024-05-12T00:00:00Z", "2024-05-12T00:00:00Z"},
		{"the shown day wins over a far declared one",
			"https://courier.example/news/park",
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Park plan approved","datePublished":"2023-11-03T10:25:56+00:00"}</script><title>Park plan approved</title>`,
			`<h1>Park plan approved</h1><p>Von Katharina Schmidt · 6. November 2023, 15:25 Uhr</p>`, "2023-11-06T15:25:00Z", ""},
		{"no date: not the masthead's, a teaser's, a comment's or the copyright year",
			"https://courier.example/news/park",
			`<title>Park plan approved</title>`,
			`<h1>Park plan approved</h1>`, "", ""},
		{"a dateline opening the body",
			"https://courier.example/news/park",
			`<title>Park plan approved</title>`,
			`<h1>Park plan approved</h1><p>Feb. 23, 2015 -- The council voted on Tuesday night to turn the disused rail yard into a public park, ending a decade of argument over the site and its future, and the mayor said so.</p>`, "2015-02-23T00:00:00Z", ""},
	}
	format := func(tm time.Time) string {
		if tm.IsZero() {
			return ""
		}
		return tm.Format(time.RFC3339)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Extract(datePage(c.head, c.header), c.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := format(a.Published); got != c.published {
				t.Errorf("published %q, want %q", got, c.published)
			}
			if got := format(a.Modified); got != c.modified {
				t.Errorf("modified %q, want %q", got, c.modified)
			}
		})
	}
}
