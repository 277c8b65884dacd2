package crawler

import (
	"bytes"
	"context"
	"fmt"
	"lede"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kindFixture reads a page of testdata/kind.
func kindFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "kind", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// teaserFront is a section front declaring og:type=article whose n teasers are headlines
// linking to stories, each with a paragraph of about 200 characters, all in one flat list
// (the paragraphs are siblings, as an article's are).
func teaserFront(title string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s | Test News</title>`+
		`<meta property="og:type" content="article"></head><body><nav><a href="/">Home</a> <a href="/business/">Business</a></nav>`+
		`<main><h1>%s</h1><div class="stories">`, title, title)
	for i := range n {
		headline := fmt.Sprintf("Story number %d about the markets and the companies that move them", i)
		teaser := prose(headline, "en", 1)[0]
		if len(teaser) > 200 {
			teaser = teaser[:strings.LastIndexByte(teaser[:200], ' ')] + "."
		}
		fmt.Fprintf(&b, `<h2><a href="/business/2026/03/%02d/story-number-%d-about-the-markets">%s</a></h2><p>%s</p>`, i%28+1, i, headline, teaser)
	}
	b.WriteString(`</div></main></body></html>`)
	return b.String()
}

// TestCrawlKeepsBriefsAndSkipsTeaserFronts crawls a 60-word brief in a heavy layout (menus,
// a ticker, a most-read list, an inline "read also" box, share bars, a newsletter prompt)
// and two fronts whose teasers are paragraphs of about 200 characters: the brief is stored,
// the fronts are followed, not stored.
func TestCrawlKeepsBriefsAndSkipsTeaserFronts(t *testing.T) {
	s := newTestSite(t)
	brief := "/news/2024/03/05/council-approves-new-river-crossing-budget"
	s.html("/", hubHTML("Front page", brief, "/business/", "/topics/economy"))
	s.html(brief, kindFixture(t, "brief-heavy-chrome.html"))
	s.html("/business/", teaserFront("Business", 12))
	s.html("/topics/economy", kindFixture(t, "front-long-teasers.html"))

	db := openStore(t)
	sum := crawl(t, db, []string{s.URL + "/"}, WithMaxDepth(1))

	got := storedArticles(t, db)
	a := got[s.URL+brief]
	if a == nil {
		t.Fatalf("the brief was not stored (%+v); stored: %v", fetchRecord(t, db, s.URL+brief), keys(got))
	}
	if !strings.Contains(a.Text, "footbridge across the river") || strings.Contains(a.Text, "Most read") || strings.Contains(a.Text, "Storm closes") {
		t.Errorf("brief text %q", a.Text)
	}
	for _, p := range []string{"/business/", "/topics/economy"} {
		if rec := fetchRecord(t, db, s.URL+p); rec.Kind != lede.KindHub || !strings.Contains(rec.Reason, "teasers") {
			t.Errorf("%s recorded as %s (%s), want a front of teasers", p, rec.Kind, rec.Reason)
		}
	}
	if len(got) != 1 || sum.New != 1 || sum.Hubs != 3 {
		t.Errorf("stored %v, summary %+v; want the brief alone, 3 fronts", keys(got), sum.Counts)
	}
	if st, err := db.Stats(context.Background()); err != nil || st.HubsBySite["127.0.0.1"] != 3 {
		t.Errorf("Stats.HubsBySite = %v (%v), want 3 fronts for 127.0.0.1", st.HubsBySite, err)
	}
}

// TestDeadLinksNotFetchedAgain: a cron re-run fetches no URL that answered 404 or 410, or
// was a soft 404, on the previous run, until the wait is over or a sitemap lists it anew.
func TestDeadLinksNotFetchedAgain(t *testing.T) {
	s := newTestSite(t)
	listed := time.Time{} // the date the sitemap gives /gone; zero: not listed
	s.mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		if !listed.IsZero() {
			fmt.Fprintf(w, `<url><loc>%s/gone</loc><lastmod>%s</lastmod></url>`, s.URL, listed.UTC().Format(time.RFC3339))
		}
		fmt.Fprint(w, `</urlset>`)
	})
	s.html("/", hubHTML("Front page", "/news/kept.html", "/gone", "/removed", "/missing.html"))
	s.html("/news/kept.html", articleHTML("Kept story", "en", 5))
	s.mux.HandleFunc("/removed", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	s.html("/missing.html", kindFixture(t, "soft-404.html"))
	dead := []string{"/gone", "/removed", "/missing.html"}

	db := openStore(t)
	crawl(t, db, []string{s.URL + "/"})
	for _, p := range dead {
		if n := s.count(p); n != 1 {
			t.Fatalf("first run fetched %s %d times, want 1", p, n)
		}
		if rec := fetchRecord(t, db, s.URL+p); rec.Kind != lede.KindNotFound {
			t.Errorf("%s recorded as %s (%s), want %s", p, rec.Kind, rec.Reason, lede.KindNotFound)
		}
	}

	sum := crawl(t, db, []string{s.URL + "/"}) // the cron re-run
	for _, p := range dead {
		if n := s.count(p); n != 1 {
			t.Errorf("the re-run fetched %s again (%d fetches in all)", p, n)
		}
	}
	if s.count("/") != 2 || sum.DeadLinks != len(dead) {
		t.Errorf("re-run: front fetched %d times, summary %+v", s.count("/"), sum.Counts)
	}

	listed = time.Now().Add(time.Hour) // the sitemap lists /gone with a newer date: it may be back
	crawl(t, db, []string{s.URL + "/"})
	if n := s.count("/gone"); n != 2 {
		t.Errorf("/gone listed anew by the sitemap: fetched %d times in all, want 2", n)
	}
	if n := s.count("/removed"); n != 1 {
		t.Errorf("/removed fetched %d times in all, want 1", n)
	}

	crawl(t, db, []string{s.URL + "/"}, WithRetryDeadAfter(0)) // no wait: every run tries again
	if n := s.count("/removed"); n != 2 {
		t.Errorf("with WithRetryDeadAfter(0) /removed was fetched %d times in all, want 2", n)
	}
}

// shortItem is a 20-word item without metadata: too little alone to be called an article.
func shortItem(title string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + title + `</title></head><body>` +
		`<h1>` + title + `</h1><p>` + strings.Join(strings.Fields(prose(title, "en", 1)[0])[:20], " ") + `.</p></body></html>`
}

// TestListingsDecideCloseCalls: a short item a news sitemap or a feed lists is an article;
// the same page only linked is a front. A front a feed lists stays a front, and the crawl
// warns about it.
func TestListingsDecideCloseCalls(t *testing.T) {
	s := newTestSite(t)
	base := s.URL
	s.page("/robots.txt", "text/plain", "Sitemap: "+base+"/news-sitemap.xml\n")
	s.page("/news-sitemap.xml", "application/xml", `<?xml version="1.0"?>`+
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`+
		`<url><loc>`+base+`/flash</loc><news:news><news:publication_date>2026-03-04T10:00:00Z</news:publication_date></news:news></url></urlset>`)
	s.page("/feed.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`+
		`<item><title>F</title><link>`+base+`/update</link></item>`+
		`<item><title>M</title><link>`+base+`/business/</link></item></channel></rss>`)
	s.html("/", strings.Replace(hubHTML("Front page", "/flash", "/update", "/other", "/business/"),
		"</head>", `<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>`, 1))
	s.html("/flash", shortItem("Flash one"))
	s.html("/update", shortItem("Update two"))
	s.html("/other", shortItem("Other three"))
	s.html("/business/", teaserFront("Business", 12))

	var logs bytes.Buffer
	db := openStore(t)
	crawl(t, db, []string{base + "/"}, WithParallelism(1), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))

	for p, via := range map[string]lede.Via{"/flash": lede.ViaNewsSitemap, "/update": lede.ViaFeed} {
		rec := fetchRecord(t, db, base+p)
		if rec.Kind != lede.KindArticle || lede.Via(rec.Via) != via {
			t.Errorf("%s recorded as %s via %q (%s), want an article via %s", p, rec.Kind, rec.Via, rec.Reason, via)
		}
	}
	if rec := fetchRecord(t, db, base+"/other"); rec.Kind != lede.KindHub {
		t.Errorf("/other, only linked, recorded as %s (%s), want a front", rec.Kind, rec.Reason)
	}
	if rec := fetchRecord(t, db, base+"/business/"); rec.Kind != lede.KindHub || !strings.Contains(rec.Reason, "feed") {
		t.Errorf("/business/ recorded as %s (%s), want a front despite the feed", rec.Kind, rec.Reason)
	}
	if !strings.Contains(logs.String(), "pages judged fronts") || !strings.Contains(logs.String(), "example="+base+"/business/") {
		t.Errorf("no warning about a listed page judged a front; log:\n%s", logs.String())
	}
}

// TestLearnedTemplatesAndReclassify: the article URLs of a host teach their template; a
// close call decided before the template was learned is kept as a front with its raw page,
// and Reclassify stores it once the template says article.
func TestLearnedTemplatesAndReclassify(t *testing.T) {
	s := newTestSite(t)
	base := s.URL
	fruit := []string{"kiwi-pear", "fig-lime", "plum-date", "pear-nut", "lime-kiwi", "date-fig", "nut-plum", "apple-quince"}
	hrefs := []string{"/n/melon-berry.html"} // the close call comes first
	for _, f := range fruit {
		hrefs = append(hrefs, "/n/"+f+".html")
		s.html("/n/"+f+".html", articleHTML("Story "+f, "en", 6))
	}
	s.html("/", hubHTML("Front page", hrefs...))
	s.html("/n/melon-berry.html", shortItem("Melon berry"))

	db := openStore(t)
	ctx := context.Background()
	crawl(t, db, []string{base + "/"}, WithParallelism(1))

	tmpl, err := db.URLTemplates(ctx, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if c := tmpl["/{w}/{w}.html"]; c.Articles < len(fruit) || c.Hubs != 0 {
		t.Errorf("template /{w}/{w}.html learned as %+v, want %d articles; all: %v", c, len(fruit), tmpl)
	}
	close := base + "/n/melon-berry.html"
	if rec := fetchRecord(t, db, close); rec.Kind != lede.KindHub {
		t.Fatalf("%s recorded as %s (%s), want a front before the template is known", close, rec.Kind, rec.Reason)
	}
	if _, err := db.HubPage(ctx, close); err != nil {
		t.Fatalf("raw page of the close call not kept: %v", err)
	}

	var stored []string
	res, err := Reclassify(ctx, db, "127.0.0.1", func(msg string, args ...any) { t.Errorf("warn: %s %v", msg, args) },
		func(u, _ string) { stored = append(stored, u) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Checked != 1 || res.Articles != 1 || len(stored) != 1 || stored[0] != close {
		t.Errorf("Reclassify = %+v, stored %v; want %s stored", res, stored, close)
	}
	if rec := fetchRecord(t, db, close); rec.Kind != lede.KindArticle || !strings.Contains(rec.Reason, "template") {
		t.Errorf("after Reclassify %s is recorded as %s (%s), want an article by its template", close, rec.Kind, rec.Reason)
	}
	if ok, err := db.HasArticle(ctx, close); err != nil || !ok {
		t.Errorf("%s not stored after Reclassify (%v)", close, err)
	}
	if _, err := db.HubPage(ctx, close); err == nil {
		t.Error("the raw front page is still kept once the page is an article")
	}
	if res, err := Reclassify(ctx, db, "127.0.0.1", nil, nil); err != nil || res.Checked != 0 {
		t.Errorf("second Reclassify = %+v, %v; want nothing left to decide", res, err)
	}
}
