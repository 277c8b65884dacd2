package crawler

import (
	"strings"
	"testing"
)

// TestSitemapLastmodSkipsUnchanged: a child sitemap whose lastmod is older than its last
// fetch is not fetched again, and a feed item dated before the feed's last fetch is not queued.
func TestSitemapLastmodSkipsUnchanged(t *testing.T) {
	s := newTestSite(t)
	base := s.URL
	s.page("/robots.txt", "text/plain", "User-agent: *\nSitemap: "+base+"/sitemap.xml\n")
	s.page("/sitemap.xml", "application/xml", `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
		`<sitemap><loc>`+base+`/sitemap-old.xml</loc><lastmod>2020-01-01</lastmod></sitemap>`+
		`<sitemap><loc>`+base+`/sitemap-new.xml</loc></sitemap></sitemapindex>`)
	s.page("/sitemap-old.xml", "application/xml", `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
		`<url><loc>`+base+`/news/old.html</loc><lastmod>2020-01-01</lastmod></url></urlset>`)
	s.page("/sitemap-new.xml", "application/xml", `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
		`<url><loc>`+base+`/news/new.html</loc></url></urlset>`)
	s.page("/rss.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`+
		`<item><link>`+base+`/news/feed-old.html</link><pubDate>Wed, 01 Jan 2020 10:00:00 GMT</pubDate></item></channel></rss>`)
	s.html("/", hubHTML("Front"))
	s.html("/news/old.html", articleHTML("An old story", "en", 5))
	s.html("/news/new.html", articleHTML("A new story", "en", 5))
	s.html("/news/feed-old.html", articleHTML("An old story from the feed", "en", 5))
	db := openStore(t)
	first := crawl(t, db, []string{s.URL + "/"})
	if first.New != 3 {
		t.Fatalf("first run stored %d articles, want 3", first.New)
	}
	crawl(t, db, []string{s.URL + "/"})
	if n := s.count("/sitemap-old.xml"); n != 1 {
		t.Errorf("unchanged child sitemap fetched %d times over two runs, want 1", n)
	}
	if n := s.count("/sitemap-new.xml"); n != 2 {
		t.Errorf("undated child sitemap fetched %d times over two runs, want 2", n)
	}
	if rec := fetchRecord(t, db, base+"/rss.xml"); rec.Kind != RecordFeed {
		t.Errorf("feed recorded as %q %q", rec.Kind, rec.Reason)
	}
}

// TestAllowDeny: --allow and --deny patterns decide which discovered links are followed.
func TestAllowDeny(t *testing.T) {
	s := newTestSite(t)
	s.html("/", hubHTML("Front", "/news/a.html", "/video/b.html", "/opinion/c.html"))
	s.html("/news/a.html", articleHTML("Alpha story", "en", 5))
	s.html("/video/b.html", articleHTML("Beta story", "en", 5))
	s.html("/opinion/c.html", articleHTML("Gamma story", "en", 5))
	db := openStore(t)
	c := New(db, db.Frontier(), WithDelay(0))
	sum, err := c.Run(t.Context(), Site{Start: []string{s.URL + "/"}, Allow: []string{`/(news|video)/`}, Deny: []string{`/video/`}})
	if err != nil {
		t.Fatal(err)
	}
	got := storedArticles(t, db)
	if len(got) != 1 || got[s.URL+"/news/a.html"] == nil {
		t.Errorf("stored %v, want only /news/a.html", keys(got))
	}
	for _, p := range []string{"/video/b.html", "/opinion/c.html"} {
		if s.count(p) != 0 {
			t.Errorf("%s fetched despite the patterns", p)
		}
	}
	if sum.New != 1 {
		t.Errorf("summary %+v", sum.Counts)
	}
	if !strings.HasPrefix(s.requests()[0], "/robots.txt") {
		t.Errorf("first request %q, want robots.txt", s.requests()[0])
	}
}

// TestLongSitemapReadUpToTheCap: a sitemap longer than the body cap still yields the entries
// before the cap.
func TestLongSitemapReadUpToTheCap(t *testing.T) {
	s := newTestSite(t)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	b.WriteString(`<url><loc>` + s.URL + `/news/first.html</loc></url>`)
	for i := 0; i < 2000; i++ {
		b.WriteString(`<url><loc>` + s.URL + `/elsewhere/` + strings.Repeat("x", 40) + `.html</loc></url>`) // one URL, repeated
	}
	b.WriteString(`</urlset>`)
	s.page("/robots.txt", "text/plain", "User-agent: *\nSitemap: "+s.URL+"/sitemap.xml\n")
	s.page("/sitemap.xml", "application/xml", b.String())
	s.html("/", hubHTML("Front"))
	s.html("/news/first.html", articleHTML("The first story", "en", 5))
	db := openStore(t)
	crawl(t, db, []string{s.URL + "/"}, WithMaxBodySize(50_000), WithMaxDepth(0))
	if got := storedArticles(t, db); got[s.URL+"/news/first.html"] == nil {
		t.Errorf("the article listed before the cap was not stored: %v", keys(got))
	}
	if rec := fetchRecord(t, db, s.URL+"/sitemap.xml"); rec.Kind != RecordSitemap {
		t.Errorf("long sitemap recorded %q %q", rec.Kind, rec.Reason)
	}
}
