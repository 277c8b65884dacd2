package extract

import (
	"bytes"
	"errors"
	"fmt"
	"lede"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

const arabicHeadline = "واشنطن تجدد دعوتها موسكو للتعاون"

func TestCharsetFromMetaOnly(t *testing.T) {
	a, err := Extract(readFixture(t, "ar-legacy-1256"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Title, arabicHeadline) {
		t.Fatalf("windows-1256 page decoded wrongly, title %q", a.Title)
	}
}

// arabicPage builds a small Arabic article; head is inserted into <head>.
func arabicPage(head string) string {
	p := strings.Repeat("<p>جددت الولايات المتحدة دعوتها لروسيا إلى التعاون من أجل محاربة تنظيم الدولة في سورية بدلا من تعزيز وجودها العسكري هناك.</p>\n", 6)
	return "<html><head>" + head + "<title>" + arabicHeadline + "</title></head><body><article><h1>" + arabicHeadline + "</h1>" + p + "</article></body></html>"
}

func encode1256(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1256.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCharsetOrder(t *testing.T) {
	longHead := "<style>" + strings.Repeat("/* padding */\n", 200) + "</style>"
	cases := []struct {
		name        string
		page        []byte
		contentType string
	}{
		{"meta charset", encode1256(t, arabicPage(`<meta charset="windows-1256">`)), ""},
		{"http-equiv", encode1256(t, arabicPage(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">`)), ""},
		{"meta after 1024 bytes", encode1256(t, arabicPage(longHead+`<meta charset="windows-1256">`)), ""},
		{"Content-Type wins over meta", encode1256(t, arabicPage(`<meta charset="utf-8">`)), "text/html; charset=windows-1256"},
		{"BOM wins over meta", append([]byte("\xEF\xBB\xBF"), arabicPage(`<meta charset="windows-1256">`)...), ""},
		{"no declaration, UTF-8", []byte(arabicPage("")), ""},
		{"no declaration, guessed", encode1256(t, arabicPage("")), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Extract(c.page, "https://x.example/a", WithContentType(c.contentType))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != arabicHeadline {
				t.Errorf("title %q, want %q", a.Title, arabicHeadline)
			}
		})
	}
}

func TestNotHTML(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	for name, c := range map[string]struct {
		page []byte
		ct   string
	}{
		"png":        {png, ""},
		"empty":      {nil, ""},
		"plain text": {[]byte("just a line of text, no markup at all\n"), ""},
		"json type":  {[]byte(`{"a": "<p>x</p>"}`), "application/json"},
	} {
		if _, err := Extract(c.page, "https://x.example/", WithContentType(c.ct)); !errors.Is(err, ErrNotHTML) {
			t.Errorf("%s: err = %v, want ErrNotHTML", name, err)
		}
	}
}

func TestNoArticle(t *testing.T) {
	_, err := Extract([]byte("<html><head><title>x</title></head><body><nav><a href='/a'>A</a></nav></body></html>"), "https://x.example/")
	if !errors.Is(err, ErrNoArticle) {
		t.Fatalf("err = %v, want ErrNoArticle", err)
	}
}

func TestLinksFeedsCanonicalSurviveArticle(t *testing.T) {
	d, err := Parse(readFixture(t, "ar-article"), fixtures[0].url)
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(d.Links())
	if !slices.Contains(before, "https://www.alghad-radio.example/a/280991.html") {
		t.Fatalf("aside link missing from %v", before)
	}
	for _, l := range before {
		if strings.Contains(l, "#") || !strings.HasPrefix(l, "http") {
			t.Errorf("link %q should be absolute, without fragment", l)
		}
	}
	a, err := d.Article()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, d.Links()) {
		t.Error("Links changed after Article")
	}
	if got := d.Feeds(); len(got) != 1 || got[0] != "https://www.alghad-radio.example/rss/middle-east.xml" {
		t.Errorf("Feeds = %v", got)
	}
	if got := d.Canonical(); got != "https://www.alghad-radio.example/a/washington-moscow-syria/281015.html" {
		t.Errorf("Canonical = %q", got)
	}
	if got := d.Lang(); got != "ar" {
		t.Errorf("Lang = %q", got)
	}
	if a2, err := d.Article(); err != nil || a2 != a {
		t.Errorf("a second Article call = %p, %v; want the first call's article", a2, err)
	}
}

func TestBaseHref(t *testing.T) {
	d, err := Parse([]byte(`<html><head><base href="https://cdn.example/news/"></head><body><a href="a.html#x">a</a><a href="mailto:x@y">m</a><a href="a.html">again</a></body></html>`), "https://x.example/p")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Links(); !slices.Equal(got, []string{"https://cdn.example/news/a.html"}) {
		t.Errorf("Links = %v", got)
	}
}

func TestKind(t *testing.T) {
	for _, f := range fixtures {
		d, err := Parse(readFixture(t, f.name), f.url)
		if err != nil {
			t.Fatal(err)
		}
		if k, why := d.Kind(); k != lede.KindArticle {
			t.Errorf("%s: Kind = %s (%s), want article", f.name, k, why)
		}
	}
	var hub strings.Builder
	hub.WriteString(`<html><head><meta property="og:type" content="website"><title>World news</title></head><body><h1>World</h1>`)
	for i := range 30 {
		fmt.Fprintf(&hub, `<div class="card"><h3><a href="/news/%d">Headline number %d about the world</a></h3><p>A short teaser line.</p></div>`, i, i)
	}
	hub.WriteString(`</body></html>`)
	d, err := Parse([]byte(hub.String()), "https://x.example/world")
	if err != nil {
		t.Fatal(err)
	}
	if k, why := d.Kind(); k != lede.KindHub {
		t.Errorf("section front: Kind = %s (%s), want hub", k, why)
	}

	// An article with a rail of teaser <article>s is still an article when it says so.
	var art strings.Builder
	art.WriteString(`<html><head><meta property="og:type" content="article"></head><body><article><h1>Headline</h1>`)
	for range 4 {
		art.WriteString(`<p>A paragraph of the story with enough words to count as real prose for a reader today.</p>`)
	}
	art.WriteString(`</article><aside>`)
	for i := range 12 {
		fmt.Fprintf(&art, `<article><a href="/n/%d">Teaser %d</a></article>`, i, i)
	}
	art.WriteString(`</aside></body></html>`)
	// A legacy body written with <br> between its lines, no <p> at all.
	brBody := "<html><body><div>" + strings.Repeat("A line of the story that goes on for a while, as legacy pages wrote it.<br>", 30) + "</div></body></html>"
	for name, page := range map[string]string{"teaser rail": art.String(), "br body": brBody} {
		d, err := Parse([]byte(page), "https://x.example/a")
		if err != nil {
			t.Fatal(err)
		}
		if k, why := d.Kind(); k != lede.KindArticle {
			t.Errorf("%s: Kind = %s (%s), want article", name, k, why)
		}
	}
}

func TestExplainAndDropBlock(t *testing.T) {
	var rules []string
	a, err := Extract(readFixture(t, "ar-legacy"), "", WithExplain(func(rule, text string) { rules = append(rules, rule) }),
		WithDropBlock(func(norm string) bool { return norm == lede.NormalizeText("أزمة اللاجئين") }))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"skip-links", "text-size", "caption", "related"} {
		if !slices.Contains(rules, want) {
			t.Errorf("explain did not report rule %q (got %v)", want, rules)
		}
	}
	// The subheading is one of the article's own paragraphs (same element and container as
	// the others): WithDropBlock is not asked about it (blocks_learn_test.go tests removals).
	if !strings.Contains(a.Text, "\n\nأزمة اللاجئين\n\n") || slices.Contains(rules, RuleLearnedChrome) {
		t.Error("WithDropBlock removed a paragraph of the article's own text")
	}
}

func TestBlockText(t *testing.T) {
	page := `<html><body><article><h1>T</h1><div><p>First para` + strings.Repeat(" with words", 30) + `.</p><p>Soft\u00adhyphen and
	   spaces</p><ul><li>one</li><li>two</li></ul><h2>Sub</h2><p>Line<br>break</p><div>glued</div><div>blocks</div></div></article></body></html>`
	page = strings.ReplaceAll(page, `\u00ad`, "\u00ad")
	d, err := Parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := d.Article()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Softhyphen and spaces", "\n\none\n\ntwo\n\nSub\n\nLine\nbreak\n\nglued\n\nblocks"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, a.Text)
		}
	}
}

func TestLanguageDetection(t *testing.T) {
	cases := map[string]string{
		"جددت الولايات المتحدة دعوتها لروسيا إلى التعاون من أجل محاربة تنظيم الدولة":                            "ar",
		"The council voted on Tuesday to turn the rail yard into a park, and the mayor said it was a gift.":     "en",
		"Le conseil a voté mardi pour transformer la gare de triage en un parc pour les habitants de la ville.": "fr",
		"Городской совет проголосовал во вторник за то, чтобы превратить депо в парк.":                          "ru",
	}
	for text, want := range cases {
		if got := detectLang(text); got != want {
			t.Errorf("detectLang(%.30q) = %q, want %q", text, got, want)
		}
	}
	// A template declaring English on an Arabic page: the script wins.
	a, err := Extract([]byte(strings.Replace(arabicPage(""), "<html>", `<html lang="en">`, 1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Lang != "ar" {
		t.Errorf("lang %q, want ar", a.Lang)
	}
}

func TestTitleSuffix(t *testing.T) {
	cases := []struct{ title, site, host, want string }{
		{"Council approves park plan | The Riverside Ledger", "The Riverside Ledger", "", "Council approves park plan"},
		{"Council approves park plan - Riverside Daily", "", "riversidedaily.example", "Council approves park plan"},
		{"Riverside Daily: Council approves park plan", "Riverside Daily", "", "Riverside Daily: Council approves park plan"},
		{"Ledger | Council approves the new park plan", "Ledger", "", "Council approves the new park plan"},
		{"A - B", "", "", "A - B"},
	}
	for _, c := range cases {
		if got := cleanTitle(c.title, c.site, c.host); got != c.want {
			t.Errorf("cleanTitle(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

// TestDeepUnclosedNestingKeepsTheArticle: more unclosed elements than the parser's 512 open
// ones (a <font> soup after the article) no longer lose the page: the article comes out whole.
func TestDeepUnclosedNestingKeepsTheArticle(t *testing.T) {
	page, err := os.ReadFile(fixtureDir + "/en-font-soup.html")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract(page, "http://riverside-daily.example/story/10.html")
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	for _, want := range []string{"The city council voted 9 to 2 on Tuesday night", "three public meetings in the autumn."} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("article text lost %q: %q", want, a.Text)
		}
	}
	if a.Title != "City council approves plan to turn old rail yard into riverside park" || a.WordCount < 150 {
		t.Errorf("title %q, %d words", a.Title, a.WordCount)
	}
}

// TestFlattenNesting: only tags beyond the depth go, with their end tags; text, scripts and
// void elements stay.
func TestFlattenNesting(t *testing.T) {
	in := "<div><b><i>one<script>var x = '<p>'</script><br>two</i></b></div><p>three</p>"
	out, changed := flattenNesting([]byte(in), 2)
	want := "<div><b>one<script>var x = '<p>'</script><br>two</b></div><p>three</p>"
	if !changed || string(out) != want {
		t.Errorf("flattenNesting = %q, %v; want %q", out, changed, want)
	}
	if out, changed := flattenNesting([]byte(in), 10); changed || string(out) != in {
		t.Errorf("a page within the depth was rewritten: %q", out)
	}
	// Paragraphs below the depth stay (they give the article its blocks), and an unclosed
	// <p> ends where the next one starts, as the parser has it.
	in = "<b><i><p>one<p>two</i></b>"
	if out, _ := flattenNesting([]byte(in), 1); string(out) != "<b><p>one<p>two</b>" {
		t.Errorf("flattenNesting(%q, 1) = %q", in, out)
	}
}

// TestHostileInputs checks that odd and huge pages return (an article or an error) without
// panicking. Time is not asserted here: speed lives in benchmarks.
func TestHostileInputs(t *testing.T) {
	deep := strings.Repeat("<div>", 5000) + "text" + strings.Repeat("</div>", 5000)
	var mb strings.Builder
	mb.WriteString("<html><body><article>")
	for i := range 70000 {
		fmt.Fprintf(&mb, "<p>paragraph %d has a few words of its own</p>", i)
	}
	mb.WriteString("</article></body></html>")
	many := mb.String()
	inputs := map[string]string{
		"deep nesting":     deep,
		"many elements":    many,
		"broken markup":    "<html><p><b><i>unclosed <a href='::'>x<table><td>y</p>",
		"bad json-ld":      `<html><head><script type="application/ld+json">{"@type": [1, {"x": null}], "author": {"name": [3]}}</script></head><body><p>x</p></body></html>`,
		"invalid utf-8":    "<html><body><p>\xff\xfe\xfd broken bytes</p></body></html>",
		"only script":      "<html><script>var a = '<p>no</p>';</script></html>",
		"nul bytes in doc": "<html><body><p>a\x00b</p></body></html>",
	}
	for name, in := range inputs {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic %v", name, r)
				}
			}()
			a, err := Extract([]byte(in), "https://x.example/")
			if err == nil && a.Text == "" {
				t.Errorf("%s: no error but empty text", name)
			}
		}()
	}
	// A page beyond the element cap still gives its paragraphs.
	a, err := Extract([]byte(many), "")
	if err != nil || a.WordCount < 100000 {
		t.Errorf("many elements: err %v, %d words", err, wordCountOf(a))
	}
	// A page above MaxPageBytes is refused, not cut; one of exactly that size is read.
	if _, err := Parse(bytes.Repeat([]byte("<p>x</p>"), MaxPageBytes/8+1), ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("page above MaxPageBytes: %v, want ErrTooLarge", err)
	}
	if _, err := Parse(bytes.Repeat([]byte("<p>x</p>"), MaxPageBytes/8), ""); err != nil {
		t.Errorf("page of MaxPageBytes: %v", err)
	}
}

func wordCountOf(a *lede.Article) int {
	if a == nil {
		return 0
	}
	return a.WordCount
}

func TestSuspectContent(t *testing.T) {
	cases := map[string]string{
		`<div><div class="comment-list"><p>I disagree with this article entirely and here is why.</p><p>Me too, for other reasons.</p></div><p>Short.</p></div>`: " (mostly comments)",
		`<div><figure><img src="a.jpg"><figcaption>The minister arrives at the summit on Monday morning.</figcaption></figure><p>Hi.</p></div>`:                  " (mostly a caption)",
		`<div><ul><li><a href="/a">First story of the day here</a></li><li><a href="/b">Second story of the day here</a></li></ul></div>`:                        " (mostly links)",
		`<div><p>An ordinary article paragraph with <a href="/x">one link</a> inside it, and more words.</p></div>`:                                              "",
	}
	for page, want := range cases {
		n, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		if got := suspectContent(n); got != want {
			t.Errorf("suspectContent(%.40q) = %q, want %q", page, got, want)
		}
	}
}

func TestArabicDates(t *testing.T) {
	cases := map[string]string{
		"آخر تحديث: الثلاثاء 15 أيلول/سبتمبر 2015 - 18:30": "2015-09-15T18:30:00Z",
		"الأربعاء، ١٦ سبتمبر ٢٠١٥":                         "2015-09-16T00:00:00Z",
		"نشر في 3 كانون الثاني 2016":                       "2016-01-03T00:00:00Z",
		"في سبتمبر الماضي":                                 "0001-01-01T00:00:00Z",
	}
	for in, want := range cases {
		if got := parseDate(in).Format(time.RFC3339); got != want {
			t.Errorf("parseDate(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestChromeRules inserts one piece of chrome at a time into an article and checks that it
// goes while every paragraph stays.
func TestChromeRules(t *testing.T) {
	paras := []string{
		"جددت الولايات المتحدة دعوتها لروسيا إلى التعاون من أجل محاربة تنظيم الدولة الإسلامية في سورية بدلا من تعزيز وجودها العسكري هناك.",
		"وقال المتحدث إن الرئيس لم يتحدث إلى نظيره الروسي بشأن هذه المسألة لكنه سيفعل ذلك عندما يقدر أن ذلك سيعزز المصالح المشتركة.",
		"وأكدت موسكو مواصلة دعمها العسكري لدمشق في مواجهة ما تصفه بالإرهاب، ودعت بلدانا أخرى إلى الانضمام إليها في هذا الجهد.",
		"The council will borrow the rest of the money over twenty years, the finance director told reporters after the vote on Tuesday.",
		"المصدر: وكالات",
	}
	chrome := map[string]string{
		"skip heading":         `<h2>روابط إمكانية الوصول</h2>`,
		"skip link":            `<p><a href="#main">Skip to content</a></p>`,
		"size words":           `<div>حجم الخط <a href="#">صغير</a> <a href="#">متوسط</a> <a href="#">كبير</a></div>`,
		"size letters":         `<p><span>XS</span> <span>SM</span> <span>MD</span> <span>LG</span></p>`,
		"share strip":          `<div><a href="https://facebook.com/s">فيسبوك</a> <a href="https://twitter.com/s">تويتر</a> <a href="https://wa.me/x">واتساب</a></div>`,
		"read also":            `<p>اقرأ أيضاً: <a href="/n/9">روسيا ترسل طائرات مقاتلة إلى اللاذقية</a></p>`,
		"related box":          `<div><h3>مواضيع ذات صلة</h3><ul><li><a href="/n/1">خبر أول عن سورية</a></li><li><a href="/n/2">خبر ثان عن روسيا</a></li></ul></div>`,
		"most read":            `<div><h3>الأكثر قراءة</h3><p><a href="/n/3">عنوان خبر آخر من الموقع</a></p></div>`,
		"newsletter":           `<p>اشترك في النشرة البريدية ليصلك أهم الأخبار</p>`,
		"cookie prompt":        `<p>We use cookies to improve your experience on our site.</p>`,
		"tags":                 `<p>الوسوم: <a href="/t/1">سورية</a>، <a href="/t/2">روسيا</a></p>`,
		"archive photo":        `<p>صورة أرشيفية</p>`,
		"advert label":         `<p>إعلان</p>`,
		"dateline":             `<p>نشر في: الثلاثاء 15 أيلول 2015 - 18:30</p>`,
		"english share":        `<p>Share this article: <a href="https://facebook.com/s">Facebook</a> <a href="https://twitter.com/s">Twitter</a> <a href="mailto:x">Email</a></p>`,
		"english see also":     `<p><strong>SEE ALSO:</strong> <a href="/news/x">The budget, explained in five charts</a></p>`,
		"english comments":     `<p>Comments</p>`,
		"english bio":          `<div><h4>About the author</h4><p>Jane Doe covers the city for the paper.</p></div>`,
		"copyright":            `<p>© 2024 The Riverside Ledger. All rights reserved.</p>`,
		"unrendered shortcode": `<p>[button link="https://x.example/y"]Send us your review[/button]</p>`,
		"time element alone":   `<time datetime="2015-09-16T05:30:00Z">336</time>`,
		"time in a paragraph":  `<p><time datetime="2015-09-16">16/09/2015</time> | <time datetime="2015-09-17">1917</time></p>`,
	}
	for name, box := range chrome {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(`<html lang="ar"><head><title>عنوان</title></head><body><article><h1>عنوان</h1>`)
			for i, p := range paras {
				fmt.Fprintf(&b, "<p>%s</p>\n", p)
				if i == 1 {
					b.WriteString(box)
				}
			}
			b.WriteString(`</article></body></html>`)
			a, err := Extract([]byte(b.String()), "https://news.example/a/1")
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Join(paras, "\n\n"); a.Text != want {
				t.Errorf("text differs:\n%s", firstDiff(a.Text, want))
			}
		})
	}
}

func TestSiteNameFromTitle(t *testing.T) {
	body := "<h1>Flood defences to be rebuilt</h1>" + strings.Repeat("<p>Sea walls along a stretch of coast will be rebuilt after winter storms left several sections close to collapse, the council said.</p>", 4)
	cases := []struct{ title, want string }{
		{"Flood defences to be rebuilt - Daily Courier", "Daily Courier"},
		{"Daily Courier | Flood defences to be rebuilt", "Daily Courier"},
		{"Flood defences to be rebuilt", ""},
		{"Flood defences: what happens next - a long explainer of the council plans", ""},
	}
	for _, c := range cases {
		page := "<html><head><title>" + c.title + "</title></head><body><article>" + body + "</article></body></html>"
		a, err := Extract([]byte(page), "https://courier.example/n/1")
		if err != nil {
			t.Fatal(err)
		}
		if a.SiteName != c.want {
			t.Errorf("title %q: site_name %q, want %q", c.title, a.SiteName, c.want)
		}
	}
}

// TestDeepNestingBeforeTheArticleKeepsItsBlocks: when the unclosed soup comes before the
// article (a legacy header), the article sits deeper than the parser allows; flattening the
// soup must keep the article's own blocks, so that its paragraphs stay paragraphs and no two
// of them are glued into one word.
func TestDeepNestingBeforeTheArticleKeepsItsBlocks(t *testing.T) {
	paras := []string{
		"The regional water board approved on Monday a plan to rebuild the old pumping station by the harbour, after two years of public hearings and three revised budgets.",
		"Engineers said the station, built in the nineteen twenties, loses nearly a third of the water it moves, and that the new pumps would cut the district's energy bill by half.",
		"Residents of the lower town, where the pipes burst twice last winter, welcomed the vote but asked the board to publish a timetable for the works before the summer.",
		"The board's chair said the first contracts would be signed in the spring and that the station would keep running while it is rebuilt, one pump at a time.",
	}
	var b strings.Builder
	b.WriteString(`<html><head><title>Water board approves pumping station rebuild</title></head><body><div class="top">`)
	b.WriteString(strings.Repeat(`<font face="Arial" size="2">menu `, 700))
	b.WriteString(`<article><h1>Water board approves pumping station rebuild</h1>`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>")
	}
	b.WriteString(`</article></body></html>`)
	a, err := Extract([]byte(b.String()), "http://harbour-news.example/2024/water-board.html")
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	lines := strings.Split(a.Text, "\n")
	for _, p := range paras {
		if !slices.Contains(lines, p) {
			t.Errorf("paragraph %.40q… is not a block of its own in:\n%s", p, a.Text[max(0, len(a.Text)-800):])
		}
	}
}

// TestRemovedGivesWholeText checks WithRemoved reports the same removals as WithExplain,
// with the whole text where WithExplain shortens it.
func TestRemovedGivesWholeText(t *testing.T) {
	type removal struct{ rule, text string }
	var short, whole []removal
	long := strings.TrimSpace(strings.Repeat("Rail yard sale stalls again as the council and the buyers argue. ", 3))
	page := strings.Replace(string(readFixture(t, "en-article")), "Rail yard sale stalls again", long, 1)
	_, err := Extract([]byte(page), "https://x.example/a",
		WithExplain(func(rule, text string) { short = append(short, removal{rule, text}) }),
		WithRemoved(func(rule, text string) { whole = append(whole, removal{rule, text}) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(short) == 0 || len(short) != len(whole) {
		t.Fatalf("explain reported %d removals, removed %d", len(short), len(whole))
	}
	found := false
	for i := range short {
		if short[i].rule != whole[i].rule || !strings.HasPrefix(whole[i].text, strings.TrimSuffix(short[i].text, "…")) {
			t.Errorf("removal %d: explain %v, removed %v", i, short[i], whole[i])
		}
		if strings.HasPrefix(whole[i].text, long) && strings.HasSuffix(short[i].text, "…") {
			found = true
		}
	}
	if !found {
		t.Errorf("the related box's whole text was not reported: %v", whole)
	}
}
