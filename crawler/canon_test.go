package crawler

import (
	"testing"
	"time"
)

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
