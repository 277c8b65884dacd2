package crawler

import (
	"testing"
	"time"

	"lede/extract"
)

func TestCanonicalize(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Example.COM:80/a/b.html#comments":                       "http://example.com/a/b.html",
		"https://example.com:443":                                       "https://example.com/",
		"https://example.com:8443/x":                                    "https://example.com:8443/x",
		"https://example.com/a?utm_source=tw&utm_medium=social&id=7":    "https://example.com/a?id=7",
		"https://example.com/a?b=2&a=1&fbclid=XYZ&gclid=1":              "https://example.com/a?a=1&b=2",
		"https://example.com/a?":                                        "https://example.com/a",
		"https://user:pw@example.com/a":                                 "https://example.com/a",
		"https://example.com/search?q=caf%C3%A9+au+lait&page=2&_ga=1.2": "https://example.com/search?page=2&q=caf%C3%A9+au+lait",
		"https://example.com/ar/%D8%B3%D9%88%D8%B1%D9%8A%D8%A9":         "https://example.com/ar/%D8%B3%D9%88%D8%B1%D9%8A%D8%A9",
	} {
		got, err := Canonicalize(in)
		if err != nil || got != want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"mailto:a@example.com", "ftp://example.com/", "/relative", "javascript:void(0)", "http://",
		"http://example.com:99999/", "http://example.com:0/", "https://example.com:65536/a"} {
		if got, err := Canonicalize(bad); err == nil {
			t.Errorf("Canonicalize(%q) = %q, want an error", bad, got)
		}
	}
}

func TestParseFeedFormats(t *testing.T) {
	for name, doc := range map[string]string{
		"atom": `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>` +
			`<entry><title>A</title><link href="https://example.com/a.html"/><updated>2026-03-04T10:00:00Z</updated></entry></feed>`,
		"json": `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://example.com/a.html","date_published":"2026-03-04T10:00:00Z"}]}`,
		"rss": `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><link>https://example.com/a.html</link>` +
			`<pubDate>Wed, 04 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>`,
	} {
		got, err := parseFeed([]byte(doc))
		if err != nil || len(got) != 1 || got[0].Link != "https://example.com/a.html" || got[0].Date.IsZero() {
			t.Errorf("%s feed read as %+v, %v", name, got, err)
		}
	}
}

func TestParseSitemap(t *testing.T) {
	sm, err := parseSitemap([]byte(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
		xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
		<url><loc> https://example.com/a.html </loc><lastmod>2026-03-04</lastmod></url>
		<url><loc>https://example.com/b.html</loc><news:news><news:publication_date>2026-03-05T08:00:00+01:00</news:publication_date></news:news></url>
		</urlset>`))
	if err != nil || sm.Index || len(sm.Items) != 2 {
		t.Fatalf("got %+v, %v", sm, err)
	}
	if sm.Items[0].Loc != "https://example.com/a.html" || sm.Items[0].LastMod.Day() != 4 || sm.Items[1].LastMod.IsZero() {
		t.Errorf("entries %+v", sm.Items)
	}
	if _, err := parseSitemap([]byte("<html><body>not found</body></html>")); err == nil {
		t.Error("an HTML page was read as a sitemap")
	}
}

// TestW3CDateUntil: a date-only lastmod stands for its whole day, in every time zone; a full
// timestamp for itself.
func TestW3CDateUntil(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-04":                "2026-03-05T12:00:00Z",
		"2026-03":                   "2026-04-01T12:00:00Z",
		"2026-03-04T10:00:00":       "2026-03-04T22:00:00Z",
		"2026-03-04T10:00:00+03:00": "2026-03-04T10:00:00+03:00",
		"2026-03-04T10:00Z":         "2026-03-04T10:00:00Z",
	} {
		if _, until := parseW3CDate(in); until.Format(time.RFC3339) != want {
			t.Errorf("parseW3CDate(%q) until %s, want %s", in, until.Format(time.RFC3339), want)
		}
	}
	// Fetched this morning, listed with today's date: it may have changed since.
	morning := time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)
	if _, until := parseW3CDate("2026-03-04"); !changedSince(until, morning) {
		t.Error("a date-only lastmod of today is taken as older than this morning's fetch")
	}
	if _, until := parseW3CDate("2026-03-02"); changedSince(until, morning) {
		t.Error("a date-only lastmod of two days ago is taken as newer than this morning's fetch")
	}
}

func TestToStoreArticleCanonicalURLs(t *testing.T) {
	a := ToStoreArticle(&extract.Article{
		URL:          "https://News.example:443/a/1?share=tw&utm_source=x&id=7#top",
		CanonicalURL: "https://news.example/a/1?id=7&fbclid=abc",
	})
	if want := "https://news.example/a/1?id=7"; a.URL != want || a.CanonicalURL != want {
		t.Errorf("URL %q, canonical %q, want both %q", a.URL, a.CanonicalURL, want)
	}
	if b := ToStoreArticle(&extract.Article{URL: "not a url"}); b.URL != "not a url" {
		t.Errorf("an unparsable URL became %q", b.URL)
	}
}
