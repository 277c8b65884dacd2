package extract

import (
	"errors"
	"io/fs"
	"lede"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerdictHardCases decides the pages of testdata/kind, each at a URL that helps and at one
// that says nothing, so that the page itself has to carry the decision.
func TestVerdictHardCases(t *testing.T) {
	for _, c := range []struct {
		file   string
		urls   []string
		kind   lede.Kind
		reason string // a part of the reason
	}{
		{"brief-heavy-chrome.html", []string{"https://news.example/news/2024/03/05/council-approves-new-river-crossing-budget", "https://news.example/a/item.html"}, lede.KindArticle, "prose"},
		{"front-long-teasers.html", []string{"https://news.example/topics/business", "https://news.example/2024/03/05/business-news-of-the-day"}, lede.KindHub, "teasers"},
		{"category-og-article.html", []string{"https://news.example/business/", "https://news.example/2024/03/05/business-news-of-the-day"}, lede.KindHub, "teasers"},
		{"soft-404.html", []string{"https://news.example/news/2024/03/05/a-story-that-was-moved", "https://news.example/a/item.html"}, lede.KindNotFound, "soft 404"},
		{"soft-404-ar.html", []string{"https://news.example/news/2024/03/05/a-story-that-was-moved"}, lede.KindNotFound, "soft 404"},
		{"video-no-prose.html", []string{"https://news.example/news/2024/03/05/waves-crash-over-the-harbour-wall"}, lede.KindMedia, "video page without a body of prose"},
		// WordPress archives: readability drops the posts' headers, the excerpts or whole
		// posts left read as prose; the list of posts is found on the raw page.
		{"wp-archive-excerpts.html", []string{"https://news.example/local-news-from-the-island-this-week/", "https://news.example/a/item.html"}, lede.KindHub, "post-list"},
		{"wp-blog-full-posts.html", []string{"https://news.example/letters-from-the-editor-desk-this-year/", "https://news.example/a/item.html"}, lede.KindHub, "post-list"},
		// A post at a query-ID address is an article, not the site's root.
		{"wp-single-with-post-cards.html", []string{"https://news.example/2023/09/18/ferry-timetable-changes-for-the-autumn-season/", "https://news.example/a/item.html",
			"https://news.example/?p=959", "https://news.example/index.php?option=com_content&view=article&id=42:ferry-timetable&catid=8&Itemid=101"}, lede.KindArticle, "prose"},
		// A show's page: a description and promos of its episodes, which live below its path.
		{"show-page.html", []string{"https://radio.example/programmes/the-harbour-hour", "https://radio.example/programmes/the-harbour-hour/"}, lede.KindHub, "child-links"},
		// A photo essay whose introduction is two short paragraphs (about 50 words).
		{"gallery-short-essay.html", []string{"https://news.example/photos/2024/03/05/the-night-markets-final-season", "https://news.example/a/item.html"}, lede.KindArticle, "gallery page with a body of prose"},
		{"video-with-prose.html", []string{"https://news.example/news/2024/03/05/waves-crash-over-the-harbour-wall"}, lede.KindArticle, "video page with a body of prose"},
	} {
		page, err := os.ReadFile(filepath.Join("..", "testdata", "kind", c.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range c.urls {
			d, err := Parse(page, u)
			if err != nil {
				t.Fatal(err)
			}
			v := d.Verdict()
			if v.Kind != c.kind || !strings.Contains(v.Reason(), c.reason) {
				t.Errorf("%s at %s: %s (%s), want %s with %q in the reason", c.file, u, v.Kind, v.Reason(), c.kind, c.reason)
			}
			if k, why := d.Kind(); k != v.Kind || why != v.Reason() {
				t.Errorf("%s: Kind() = %s (%s), Verdict %s (%s)", c.file, k, why, v.Kind, v.Reason())
			}
		}
	}
}

// TestSoftNotFoundBare404: a title that is "404" alone, or as one part of a title split by
// punctuation, marks a soft 404; a headline ending with a road's number does not.
func TestSoftNotFoundBare404(t *testing.T) {
	page := func(title, h1, body string) string {
		return `<html><head><title>` + title + `</title></head><body><article><h1>` + h1 + `</h1>` + body + `</article></body></html>`
	}
	brief := `<p>All northbound lanes of the highway were closed for three hours on Tuesday morning after a pickup truck rolled over near the Major Mackenzie Drive exit, provincial police said.</p><p>Two people were taken to hospital with injuries that were not life-threatening. The lanes reopened shortly before noon.</p>`
	sorry := `<p>Sorry, nothing here. Try the search or go back to the home page.</p>`
	for _, c := range []struct {
		title, h1, body string
		notFound        bool
	}{
		{"Two injured in rollover on Highway 404 - The Daily Record", "Two injured in rollover on Highway 404", brief, false},
		{"404 traffic: lanes reopen after rollover | The Daily Record", "404 traffic: lanes reopen after rollover", brief, false},
		{"404 | The Daily Record", "Sorry", sorry, true},
		{"The Daily Record", "Oops! 404", sorry, true},
		{"The Daily Record", "404", sorry, true},
	} {
		d, err := Parse([]byte(page(c.title, c.h1, c.body)), "https://news.example/news/2024/05/14/two-injured-in-rollover")
		if err != nil {
			t.Fatal(err)
		}
		if v := d.Verdict(); (v.Kind == lede.KindNotFound) != c.notFound {
			t.Errorf("title %q, headline %q: %s (%s), want soft 404: %v", c.title, c.h1, v.Kind, v.Reason(), c.notFound)
		}
	}
}

// TestVerdictWith: a crawl's evidence is added to the page's and the verdict decided again.
func TestVerdictWith(t *testing.T) {
	page := `<html><head><title>Update</title></head><body><h1>Update</h1><p>The council met on Tuesday and agreed to look again at the plan for the new bridge across the river next month, after residents asked for more time.</p></body></html>`
	d, err := Parse([]byte(page), "https://news.example/update")
	if err != nil {
		t.Fatal(err)
	}
	v := d.Verdict()
	if v.Kind != lede.KindHub {
		t.Fatalf("a 27-word page at a one-word path: %s (%s), want hub", v.Kind, v.Reason())
	}
	w := v.With(Evidence{Signal: SignalFeed, Score: 2, Detail: "an item of the site's feed"})
	if w.Kind != lede.KindArticle || !strings.Contains(w.Reason(), "feed an item of the site's feed (+2)") {
		t.Errorf("with a feed listing: %s (%s), want article", w.Kind, w.Reason())
	}
	if s, ok := w.Has(SignalFeed); !ok || s != 2 {
		t.Errorf("Has(feed) = %v, %v", s, ok)
	}
	if back := w.Without(SignalFeed); back.Kind != v.Kind || back.Score != v.Score {
		t.Errorf("Without(feed) = %s %v, want %s %v", back.Kind, back.Score, v.Kind, v.Score)
	}
}

// TestURLShape reads general URL patterns: articles' dates, slugs and IDs, fronts' roots,
// listings and plain words.
func TestURLShape(t *testing.T) {
	for u, want := range map[string]int{ // the sign of the score
		"https://x.example/2024/03/05/council-approves-budget":                   +1,
		"https://x.example/news/2023-11-17/c_1129981476.htm":                     +1,
		"https://x.example/articles/-/3178894":                                   +1,
		"https://x.example/view/AEN20190820002300325?section=nk":                 +1,
		"https://x.example/world/europe/why-the-old-bridge-had-to-come-down-now": +1,
		"https://x.example/?p=12345":                                             +1,
		"https://x.example/hl?a=20170309-35097838-cnetj-sci":                     +1,
		"https://x.example/":                                                     -1,
		"https://x.example/en/":                                                  -1,
		"https://x.example/pt-br":                                                -1,
		"https://x.example/tag/elections":                                        -1,
		"https://x.example/topics/climate-change-and-the-economy":                -1,
		"https://x.example/etiket/deprem":                                        -1,
		"https://x.example/news/page/2/":                                         -1,
		"https://x.example/news/?page=3":                                         -1,
		"https://x.example/2024/03/":                                             -1,
		"https://x.example/world/":                                               -1,
		"https://x.example/business/markets/index.html":                          -1,
		"https://x.example/?p=959":                                               +1,
		"https://x.example/?p=959/":                                              +1,
		"https://x.example/index.php?id=42":                                      +1,
		"https://x.example/default.aspx?id=7":                                    +1,
		"https://x.example/index.php?option=com_content&view=article&id=42:some-title&catid=8&Itemid=101": +1,
		"https://x.example/index.php?option=com_content&view=category&id=8&Itemid=101":                    -1,
		"https://x.example/category.php?id=4":                                                             -1,
		"https://x.example/?p=2":                                                                          -1,
		"https://x.example/topics/climate/why-the-arctic-warms-faster-than-the-rest":                      +1,
		"https://x.example/category/politics/local/":                                                      -1,
		"https://x.example/category/politics/page/2/":                                                     -1,
		"https://x.example/2024/05/":                                                                      -1,
		"https://x.example/a/item.html":                                                                   0,
		"https://x.example/n/melon-berry.html":                                                            0,
	} {
		got := ShapeOf(u)
		if sign(got.Score) != want {
			t.Errorf("ShapeOf(%s) = %+v, want sign %d", u, got, want)
		}
		if got.Score != 0 && got.Why == "" {
			t.Errorf("ShapeOf(%s) has no reason", u)
		}
	}
}

func sign(f float64) int {
	switch {
	case f > 0:
		return 1
	case f < 0:
		return -1
	}
	return 0
}

func TestURLTemplate(t *testing.T) {
	for u, want := range map[string][2]string{
		"https://x.example/2024/03/05/politics/council-approves-budget/index.html": {"/{yyyy}/{n}/{n}/politics/{slug}/index.html", "/{yyyy}/{n}/{n}/{w}/{slug}/index.html"},
		"https://x.example/news/12345":                                             {"/news/{num}", "/{w}/{num}"},
		"https://x.example/section.asp?sid=1&page=2":                               {"/section.asp?page={n}&sid={n}", "/{w}.asp?page={n}&sid={n}"},
		"https://x.example/tag/elections/":                                         {"/tag/elections/", "/{w}/{w}/"},
		"https://x.example/":                                                       {"/", "/"},
	} {
		spec, gen := URLTemplate(u)
		if spec != want[0] || gen != want[1] {
			t.Errorf("URLTemplate(%s) = %q, %q; want %q, %q", u, spec, gen, want[0], want[1])
		}
	}
}

// TestZyteDevArticlesAreArticles: no page of the article-extraction benchmark's dev set (91
// real articles, ../shared/bench/zyte-dev) is judged anything but an article.
func TestZyteDevArticlesAreArticles(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "bench", "zyte-dev")
	truth, err := readTruth(dir)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is absent: the zyte-dev pages are not on this machine", dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != 91 {
		t.Fatalf("%d pages in %s, want 91", len(truth), dir)
	}
	for id, gt := range truth {
		page := readGz(t, filepath.Join(dir, "html", id+".html.gz"))
		d, err := Parse(page, gt.URL)
		if err != nil {
			t.Errorf("%s: %v", gt.URL, err)
			continue
		}
		if v := d.Verdict(); v.Kind != lede.KindArticle {
			t.Errorf("%s judged %s: %s", gt.URL, v.Kind, v.Reason())
		}
	}
}

// TestPostList: a list of posts found on the raw page takes its posts' text out of the
// page's own prose, and the first post's <time> does not date the page; a single post whose
// body readability extends over cards of other posts stays an article, its own <time>
// dating it; the mark left on the posts' elements does not reach the article's HTML.
func TestPostList(t *testing.T) {
	for _, c := range []struct {
		file  string
		kind  lede.Kind
		dated bool
		msg   string // in the reason
	}{
		{"wp-archive-excerpts.html", lede.KindHub, false, "post-list the body is 6 of a list of 6 posts"},
		{"wp-blog-full-posts.html", lede.KindHub, false, "post-list the body is 2 of a list of 2 posts"},
		{"wp-single-with-post-cards.html", lede.KindArticle, true, "prose 570 chars in 3 paragraphs"},
	} {
		page, err := os.ReadFile(filepath.Join("..", "testdata", "kind", c.file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(page, "https://news.example/a/item.html")
		if err != nil {
			t.Fatal(err)
		}
		v := d.Verdict()
		_, dated := v.Has(SignalDate)
		if v.Kind != c.kind || dated != c.dated || !strings.Contains(v.Reason(), c.msg) {
			t.Errorf("%s: %s, date %v (%s); want %s, date %v, %q in the reason", c.file, v.Kind, dated, v.Reason(), c.kind, c.dated, c.msg)
		}
		if a, err := d.Article(); err == nil && strings.Contains(a.HTML, postAttr) {
			t.Errorf("%s: the article's HTML carries %s", c.file, postAttr)
		}
	}
}
