package crawler

import (
	"context"
	"errors"
	"lede"
	"lede/store"
	"strings"
	"testing"
)

// TestCrawlDiscovery crawls a site whose articles are reachable only one way each: a gzip
// child of a sitemap index named in robots.txt, an RSS feed announced by <link rel=alternate>,
// a section front, and a link two hops away. Hubs, disallowed and non-HTML pages are not stored.
func TestCrawlDiscovery(t *testing.T) {
	s := newTestSite(t)
	base := s.URL
	s.page("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\nSitemap: "+base+"/sitemap_index.xml\n")
	s.page("/sitemap_index.xml", "application/xml", `<?xml version="1.0" encoding="UTF-8"?>`+
		`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
		`<sitemap><loc>`+base+`/sitemap-news.xml.gz</loc><lastmod>2026-03-04</lastmod></sitemap></sitemapindex>`)
	s.page("/sitemap-news.xml.gz", "application/x-gzip", gz(t, `<?xml version="1.0"?>`+
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`+
		`<url><loc>`+base+`/news/from-sitemap.html</loc><news:news><news:publication_date>2026-03-04T10:00:00Z</news:publication_date></news:news></url>`+
		`</urlset>`))
	s.page("/rss.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`+
		`<item><title>F</title><link>`+base+`/news/from-feed.html</link><pubDate>Wed, 04 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>`)
	s.html("/", hubHTML("Front page", "/world/", "/private/secret.html", "/report", "/news/from-sitemap.html?utm_source=front#top"))
	s.html("/world/", hubHTML("World", "/news/from-section.html"))
	s.html("/news/from-sitemap.html", articleHTML("From the sitemap", "en", 5))
	s.html("/news/from-feed.html", articleHTML("من الخلاصة", "ar", 5))
	s.html("/news/from-section.html", strings.Replace(articleHTML("From the section", "en", 5), "</h1>", `</h1><a href="/news/two-hops.html">more</a>`, 1))
	s.html("/news/two-hops.html", articleHTML("Two hops away", "en", 5))
	s.html("/private/secret.html", articleHTML("Secret", "en", 5))
	s.page("/report", "application/pdf", "%PDF-1.4 not a page")

	db := openStore(t)
	sum := crawl(t, db, []string{base + "/"})

	got := storedArticles(t, db)
	for _, p := range []string{"/news/from-sitemap.html", "/news/from-feed.html", "/news/from-section.html", "/news/two-hops.html"} {
		a := got[base+p]
		if a == nil {
			t.Errorf("%s not stored; stored: %v", p, keys(got))
			continue
		}
		if strings.Contains(a.Text, "Accessibility links") || strings.Contains(a.Text, "XS SM") {
			t.Errorf("%s stored with chrome: %q", p, a.Text)
		}
		if s.count(p) != 1 {
			t.Errorf("%s fetched %d times, want 1", p, s.count(p))
		}
	}
	if len(got) != 4 {
		t.Errorf("stored %d articles, want 4: %v", len(got), keys(got))
	}
	if n := s.count("/private/secret.html"); n != 0 {
		t.Errorf("robots.txt-disallowed page fetched %d times", n)
	}
	if n := s.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
	if rec := fetchRecord(t, db, base+"/world/"); rec.Kind != lede.KindHub {
		t.Errorf("/world/ recorded as %q (%s), want hub", rec.Kind, rec.Reason)
	}
	if rec := fetchRecord(t, db, base+"/report"); rec.Kind != lede.KindSkipped || !strings.Contains(rec.Reason, "not HTML") {
		t.Errorf("/report recorded as %q %q, want skipped as not HTML", rec.Kind, rec.Reason)
	}
	if rec := fetchRecord(t, db, base+"/private/secret.html"); !strings.Contains(rec.Reason, "robots") {
		t.Errorf("/private/secret.html recorded as %q %q, want a robots.txt skip", rec.Kind, rec.Reason)
	}
	if sum.New != 4 || sum.Hubs != 2 || sum.Errors != 0 {
		t.Errorf("summary %+v, want 4 new, 2 hubs, 0 errors", sum.Counts)
	}
	if sum.Stopped != "" || sum.Queued != 0 {
		t.Errorf("crawl ended %q with %d queued, want a finished crawl", sum.Stopped, sum.Queued)
	}
	t.Logf("requests: %v", s.requests())
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// unreadableRecords is a store whose fetch records cannot be read (damage found by the first
// read, say).
type unreadableRecords struct{ *store.DB }

func (unreadableRecords) FetchRecords(context.Context, string, func(lede.FetchRecord) error) error {
	return errors.New("the fetch record of a page cannot be decoded")
}

// TestRunFailingAtStartEndsWithASummary: a run that fails while it queues the known URLs
// due again still returns its summary, stopped as failed, with the error.
func TestRunFailingAtStartEndsWithASummary(t *testing.T) {
	db := openStore(t)
	c := New(unreadableRecords{db}, db.Frontier(), WithDelay(0))
	sum, err := c.Run(context.Background(), Site{Start: []string{"http://127.0.0.1:1/"}})
	if err == nil || !strings.Contains(err.Error(), "cannot be decoded") {
		t.Fatalf("Run: err = %v, want the store's error", err)
	}
	if sum == nil || sum.Stopped != lede.StopFailed {
		t.Fatalf("Run: summary %+v, want one stopped as failed", sum)
	}
}
