package crawler

import (
	"fmt"
	"lede"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
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
	if rec := fetchRecord(t, db, base+"/rss.xml"); rec.Kind != lede.KindFeed {
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
	if rec := fetchRecord(t, db, s.URL+"/sitemap.xml"); rec.Kind != lede.KindSitemap {
		t.Errorf("long sitemap recorded %q %q", rec.Kind, rec.Reason)
	}
}

// changingSite is a news site that changes between cron runs: its front answers 304 to a
// conditional request, while a section, the feed and the sitemap gain articles.
type changingSite struct {
	*testSite
	mu       sync.Mutex
	section  []string // article paths linked from /world/
	feed     []feedItem
	sitemap  []sitemapItem
	articles map[string]string // path → title, served as articles
}

type feedItem struct {
	path string
	date time.Time
}

type sitemapItem struct {
	path, lastmod string
}

func newChangingSite(t *testing.T) *changingSite {
	c := &changingSite{testSite: newTestSite(t), articles: map[string]string{}}
	base := c.URL
	c.page("/robots.txt", "text/plain", "User-agent: *\nSitemap: "+base+"/sitemap.xml\n")
	c.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			if r.Header.Get("If-None-Match") == `"front-v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"front-v1"`)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(hubHTML("Front", "/world/", "/news/front.html")))
		case "/world/":
			c.mu.Lock()
			body := hubHTML("World", c.section...)
			c.mu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		case "/rss.xml":
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`)
			c.mu.Lock()
			for _, it := range c.feed {
				fmt.Fprintf(&b, `<item><link>%s%s</link><pubDate>%s</pubDate></item>`, base, it.path, it.date.UTC().Format(time.RFC1123Z))
			}
			c.mu.Unlock()
			b.WriteString(`</channel></rss>`)
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(b.String()))
		case "/sitemap.xml":
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			c.mu.Lock()
			for _, it := range c.sitemap {
				fmt.Fprintf(&b, `<url><loc>%s%s</loc><lastmod>%s</lastmod></url>`, base, it.path, it.lastmod)
			}
			c.mu.Unlock()
			b.WriteString(`</urlset>`)
			w.Header().Set("Content-Type", "application/xml")
			w.Write([]byte(b.String()))
		default:
			c.mu.Lock()
			title, ok := c.articles[r.URL.Path]
			c.mu.Unlock()
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(articleHTML(title, "en", 5)))
		}
	})
	c.articles["/news/front.html"] = "A story on the front"
	return c
}

// add publishes an article (title → path) and runs change to list it somewhere.
func (c *changingSite) add(path, title string, change func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.articles[path] = title
	change()
}

// TestRerunFindsEveryNewArticle: a re-run finds an article listed only in the sitemap with a
// date-only lastmod of today, one only in the feed dated an hour ago (both before the
// previous run), and one linked only from a section while the front answers 304; and
// --refresh-after reaches an article linked only from that section.
func TestRerunFindsEveryNewArticle(t *testing.T) {
	c := newChangingSite(t)
	now := time.Now()
	c.add("/news/world-1.html", "The first world story", func() { c.section = append(c.section, "/news/world-1.html") })
	c.add("/news/feed-1.html", "The first feed story", func() { c.feed = append(c.feed, feedItem{"/news/feed-1.html", now.Add(-3 * time.Hour)}) })
	c.add("/news/map-1.html", "The first sitemap story", func() {
		c.sitemap = append(c.sitemap, sitemapItem{"/news/map-1.html", now.AddDate(0, 0, -1).UTC().Format("2006-01-02")})
	})
	db := openStore(t)
	first := crawl(t, db, []string{c.URL + "/"})
	if first.New != 4 {
		t.Fatalf("first run stored %d articles, want 4: %v", first.New, keys(storedArticles(t, db)))
	}

	c.add("/news/world-2.html", "The second world story", func() { c.section = append(c.section, "/news/world-2.html") })
	c.add("/news/feed-2.html", "The second feed story", func() { c.feed = append(c.feed, feedItem{"/news/feed-2.html", now.Add(-time.Hour)}) })
	c.add("/news/map-2.html", "The second sitemap story", func() {
		c.sitemap = append(c.sitemap, sitemapItem{"/news/map-2.html", now.UTC().Format("2006-01-02")}) // midnight UTC: before the first run
	})
	second := crawl(t, db, []string{c.URL + "/"})
	got := storedArticles(t, db)
	for _, p := range []string{"/news/world-2.html", "/news/feed-2.html", "/news/map-2.html"} {
		if got[c.URL+p] == nil {
			t.Errorf("the re-run missed %s", p)
		}
	}
	if second.New != 3 || second.NotModified != 1 {
		t.Errorf("second run %+v, want 3 new articles and the front's 304", second.Counts)
	}
	for _, p := range []string{"/news/front.html", "/news/world-1.html", "/news/feed-1.html", "/news/map-1.html"} {
		if n := c.count(p); n != 1 {
			t.Errorf("stored article %s fetched %d times over two runs, want 1", p, n)
		}
	}

	// An article linked only from the section changes: --refresh-after fetches it again.
	c.add("/news/world-1.html", "The first world story, updated", func() {})
	third := crawl(t, db, []string{c.URL + "/"}, WithRefreshAfter(time.Nanosecond))
	if n := c.count("/news/world-1.html"); n != 2 || third.Updated == 0 {
		t.Errorf("--refresh-after: world-1 fetched %d times, summary %+v; want it fetched again and updated", n, third.Counts)
	}
	if a := storedArticles(t, db)[c.URL+"/news/world-1.html"]; a == nil || a.Title != "The first world story, updated" {
		t.Errorf("world-1 after --refresh-after: not stored with its new title")
	}
}

// TestSectionRecheckAdapts: a section that brings nothing new is asked for less and less
// often (its interval kept in its fetch record), and again as soon as it is due.
func TestSectionRecheckAdapts(t *testing.T) {
	c := newChangingSite(t)
	c.add("/news/world-1.html", "The first world story", func() { c.section = append(c.section, "/news/world-1.html") })
	db := openStore(t)
	world := c.URL + "/world/"
	crawl(t, db, []string{c.URL + "/"}) // finds the section: it brought new links
	if rec := fetchRecord(t, db, world); rec.Kind != lede.KindHub || rec.Recheck != 0 || rec.Depth != 1 {
		t.Fatalf("section after its first fetch: %+v, want a hub at depth 1 checked on every run", rec)
	}
	crawl(t, db, []string{c.URL + "/"}) // asked again: nothing new
	if rec := fetchRecord(t, db, world); rec.Recheck != recheckFirst {
		t.Fatalf("section that brought nothing new: recheck %v, want %v", rec.Recheck, recheckFirst)
	}
	crawl(t, db, []string{c.URL + "/"}) // not due yet
	if n := c.count("/world/"); n != 2 {
		t.Errorf("section fetched %d times over three runs, want 2 (not due on the third)", n)
	}
	rec := fetchRecord(t, db, world)
	rec.LastFetch = rec.LastFetch.Add(-recheckFirst) // a quarter of an hour later
	if err := db.PutFetch(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
	crawl(t, db, []string{c.URL + "/"})
	if n := c.count("/world/"); n != 3 {
		t.Errorf("section fetched %d times, want it asked again once due", n)
	}
	if rec := fetchRecord(t, db, world); rec.Recheck != 2*recheckFirst {
		t.Errorf("recheck after a second fetch with nothing new: %v, want %v", rec.Recheck, 2*recheckFirst)
	}
}

// TestRerunAsksForTheFeedsOfAFrontAnswering304: the feed a front advertises is polled on
// every run, even when the front answers 304 and the feed's own recheck interval is not up
// (its items were all fetched through the front before it, so it "brought nothing new"):
// an article listed only in that feed is found by the next run, not a day later.
func TestRerunAsksForTheFeedsOfAFrontAnswering304(t *testing.T) {
	c := newChangingSite(t)
	now := time.Now()
	c.add("/news/front.html", "A story on the front", func() {
		c.feed = append(c.feed, feedItem{"/news/front.html", now.Add(-2 * time.Hour)})
	})
	db := openStore(t)
	crawl(t, db, []string{c.URL + "/"})
	// The feed brought nothing new on its first fetch (a front story, fetched before it), and
	// the empty section neither: both are left to their schedule, a quarter of an hour.
	feed := fetchRecord(t, db, c.URL+"/rss.xml")
	feed.Recheck, feed.LastFetch = recheckFirst, time.Now()
	if err := db.PutFetch(t.Context(), feed); err != nil {
		t.Fatal(err)
	}
	if rec := fetchRecord(t, db, c.URL+"/world/"); rec.Recheck != recheckFirst {
		t.Fatalf("empty section: recheck %v, want %v", rec.Recheck, recheckFirst)
	}

	c.add("/news/feed-2.html", "A story only in the feed", func() {
		c.feed = append(c.feed, feedItem{"/news/feed-2.html", now.Add(-time.Hour)})
	})
	second := crawl(t, db, []string{c.URL + "/"})
	if second.NotModified == 0 {
		t.Fatalf("second run %+v: want the front's 304", second.Counts)
	}
	if storedArticles(t, db)[c.URL+"/news/feed-2.html"] == nil {
		t.Errorf("the re-run missed the article listed only in the front's feed (feed fetched %d times)", c.count("/rss.xml"))
	}
}
