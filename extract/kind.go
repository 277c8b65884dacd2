package extract

import (
	"cmp"
	"fmt"
	"lede"
	"math"
	"slices"
	"strings"
)

// Article or front: the decision a crawl makes for every page it fetches, whether to keep it.
//
// Each signal adds evidence: a score, positive for an article and negative for a front (home
// page, section, topic, tag or author page, listing), and a few words saying why. The page is
// an article when the scores add up to more than zero. The scale is that of log-odds: ±1 is a
// hint, ±2 a clear sign, ±3 or more near-proof. Signals this package reads (Document.Verdict):
//
//   - prose: the extracted body's own prose, in weighted characters (textWeight: Han, Kana,
//     Hangul and Thai count three), teasers and captions not counted: +1 at 300 (about 50
//     words), +1.2 for each doubling, between -2 and +3.5; -3 when nothing was extracted.
//   - teasers: the body holds teaser cards (kind_body.go: headlines linking elsewhere, each
//     with a sentence or two in a card of its own, found before chrome stripping removes the
//     headlines; or paragraphs cut short with an ellipsis): -0.6 per headline, at most -5,
//     weighed by the teasers' share of the body's text. Cards are not own prose.
//   - post-list: the body comes from a list of posts found on the raw page, before
//     readability drops their headers (kind_posts.go: two or more sibling <article>, hentry
//     or post containers, each headed by a link to its own page): an archive's excerpts or
//     a blog's whole posts. Their text is not own prose; -1 - 0.5 per post, at most -4,
//     weighed by the posts' share of the body's text.
//   - body-links: most of the extracted body is link text: -0.75 or -1.5.
//   - repeated-body: the body's container (tag and class) repeats with prose elsewhere in the
//     page: one post of a blog's home page (-2).
//   - article-links: the page links to many article-shaped pages of its site with headline-
//     long anchors outside its chrome (menus, header, footer, asides, related, most-read and
//     ticker boxes; kind_links.go): -0.15 each, at most -3, less the more own prose it has.
//   - child-links: three or more of those article links lead below the page's own path
//     (/shows/x → /shows/x/2024-05-10/slug): the page is their parent, a section or a show
//     (-1.5, -2 from six).
//   - self-in-nav: the page's own URL is in its menu under a short name its title carries, as
//     a section's is (-1.5).
//   - metadata: og:type=article, a JSON-LD article type (two at most: more is a listing's
//     markup), itemprop=articleBody (+1 each, +2 at most; some publishers declare
//     og:type=article on every page, so it cannot decide alone); listing-type: a JSON-LD
//     listing type such as CollectionPage (-2), or more than two JSON-LD articles (-1); date:
//     a published date (+0.5; not a <time> of a listed post); article-elements: four or more <article> elements outside the
//     chrome (-1, -1.5 from eight).
//   - url: the URL's form (urlshape.go): a date and a slug, a long slug or a numeric ID for an
//     article; the site's or a language edition's root, a tag/topic/category/author path, a
//     page number, a date archive or plain words for a front.
//
// A crawl adds what only it knows (package crawler, Verdict.With): the URL was listed in a
// news sitemap, a feed or a sitemap, or is linked from the menu of most of the host's pages;
// its URL template holds mostly articles, or mostly fronts, among the host's pages decided so
// far.
//
// Two checks come before the score. A soft 404, a page answering 200 that says it does not
// exist (its title, headline or og:title says so in one of many languages, or is "404", and
// it has little prose), is KindNotFound. A video, gallery, podcast or recipe page (og:type,
// JSON-LD type, a URL segment, or a body that is a picture's caption) without a real body of
// prose (RealProse: 350 weighted characters, about 60 words, in two paragraphs) is KindMedia, and the reason
// says which; one that lists such pages (teasers, a listing type) is a front.

// Signal names a kind of evidence.
type Signal string

// Signals. The first group is read from the page (Document.Verdict); the second is known to
// a crawl only (package crawler adds it with Verdict.With).
const (
	SignalProse        Signal = "prose"
	SignalTeasers      Signal = "teasers"
	SignalBodyLinks    Signal = "body-links"
	SignalRepeatedBody Signal = "repeated-body"
	SignalPostList     Signal = "post-list"
	SignalArticleLinks Signal = "article-links"
	SignalMetadata     Signal = "metadata"
	SignalListingType  Signal = "listing-type"
	SignalDate         Signal = "date"
	SignalArticleTags  Signal = "article-elements"
	SignalSelfInNav    Signal = "self-in-nav"
	SignalChildLinks   Signal = "child-links"
	SignalURL          Signal = "url"

	SignalSitemap    Signal = "sitemap"    // listed in a sitemap (news sitemaps count more)
	SignalFeed       Signal = "feed"       // an item of the site's feed
	SignalNavigation Signal = "navigation" // linked from the navigation of most of the host's pages
	SignalTemplate   Signal = "template"   // the host's pages of the same URL template
)

// MediaType says which kind of media page a page is.
type MediaType string

// Media types.
const (
	MediaVideo   MediaType = "video"
	MediaGallery MediaType = "gallery"
	MediaPodcast MediaType = "podcast"
	MediaRecipe  MediaType = "recipe"
)

// Evidence is one signal's contribution to a Verdict.
type Evidence struct {
	Signal Signal  `json:"signal"`
	Score  float64 `json:"score"` // > 0 for an article, < 0 for a front
	Detail string  `json:"detail"`
}

// Verdict is the decision on a page, with the evidence that made it.
type Verdict struct {
	Kind     lede.Kind
	Score    float64    // the sum of the evidence's scores
	Evidence []Evidence // as given; Reason sorts them
	// Media is the page's media type ("" for none); RealProse says whether it has a body
	// of prose of its own, which decides whether a media page is kept.
	Media     MediaType
	RealProse bool
	// NotFound is the soft-404 cue found ("" for none).
	NotFound string
}

// RealProse thresholds: a media page is kept with at least this much prose of its own
// (weighted characters, see prose) in at least two paragraphs. A photo essay's or a video's
// introduction of two short paragraphs is a body; a caption, credits or a one-line
// description (under 150 characters on the labelled media pages) are not.
const realProseChars = 350

// With returns the verdict with more evidence added (a crawl's signals), decided again.
func (v Verdict) With(ev ...Evidence) Verdict {
	v.Evidence = append(slices.Clip(v.Evidence), ev...)
	v.decide()
	return v
}

// Without returns the verdict without the evidence of signal s, decided again.
func (v Verdict) Without(s Signal) Verdict {
	v.Evidence = slices.DeleteFunc(slices.Clone(v.Evidence), func(e Evidence) bool { return e.Signal == s })
	v.decide()
	return v
}

// Has reports the summed score of signal s's evidence, and whether there is any.
func (v Verdict) Has(s Signal) (float64, bool) {
	sum, ok := 0.0, false
	for _, e := range v.Evidence {
		if e.Signal == s {
			sum += e.Score
			ok = true
		}
	}
	return sum, ok
}

// decide sets Score and Kind from the evidence and the two checks.
func (v *Verdict) decide() {
	v.Score = 0
	for _, e := range v.Evidence {
		v.Score += e.Score
	}
	v.Score = math.Round(v.Score*100) / 100
	switch {
	case v.NotFound != "":
		v.Kind = lede.KindNotFound
	case v.Media != "" && !v.RealProse:
		// A media page that is a listing (a video section's teasers) is a front.
		v.Kind = lede.KindMedia
		if t, _ := v.Has(SignalTeasers); t <= -1 {
			v.Kind = lede.KindHub
		} else if l, _ := v.Has(SignalListingType); l < 0 {
			v.Kind = lede.KindHub
		}
	case v.Score <= 0:
		v.Kind = lede.KindHub
	default:
		v.Kind = lede.KindArticle
	}
}

// Reason says in a line why the page is what the verdict says: the check that decided, the
// score and the five strongest pieces of evidence, for example "score +5.2: prose 2310 chars
// in 9 paragraphs (+3.5); url date and slug in the path (+2); teasers 4 headlines linking
// elsewhere, 2 teasers (0 cut short) (-0.3)".
func (v Verdict) Reason() string {
	var b strings.Builder
	switch v.Kind {
	case lede.KindNotFound:
		fmt.Fprintf(&b, "soft 404: %s; ", v.NotFound)
	case lede.KindMedia:
		fmt.Fprintf(&b, "%s page without a body of prose; ", v.Media)
	case lede.KindHub:
		if v.Media != "" {
			fmt.Fprintf(&b, "%s listing; ", v.Media)
		}
	case lede.KindArticle:
		if v.Media != "" {
			fmt.Fprintf(&b, "%s page with a body of prose; ", v.Media)
		}
	}
	fmt.Fprintf(&b, "score %+.1f", v.Score)
	ev := slices.Clone(v.Evidence)
	slices.SortStableFunc(ev, func(a, b Evidence) int { return cmp.Compare(math.Abs(b.Score), math.Abs(a.Score)) })
	for i, e := range ev {
		if i == 5 || math.Abs(e.Score) < 0.05 {
			break
		}
		sep := ": "
		if i > 0 {
			sep = "; "
		}
		fmt.Fprintf(&b, "%s%s %s (%+.3g)", sep, e.Signal, e.Detail, e.Score)
	}
	return b.String()
}

// Kind is Verdict's kind and reason: the page's verdict from what the page itself shows.
func (d *Document) Kind() (lede.Kind, string) {
	v := d.Verdict()
	return v.Kind, v.Reason()
}

// Verdict decides from the page alone whether it is an article (see the top of kind.go). It
// weighs the extracted body, so it runs Article first when it has not run yet (the tree is
// then mutated: take BlockFingerprints before).
func (d *Document) Verdict() Verdict {
	d.Article() // its error only means no body: prose says so
	v := Verdict{}
	add := func(s Signal, score float64, format string, args ...any) {
		v.Evidence = append(v.Evidence, Evidence{Signal: s, Score: math.Round(score*100) / 100, Detail: fmt.Sprintf(format, args...)})
	}
	b := d.body
	m := &d.meta
	links := d.linkStructure()

	// The body.
	if !b.measured || b.proseChars == 0 && b.blocks == 0 {
		add(SignalProse, -3, "no body text")
	} else {
		s := 1 + 1.2*math.Log2(max(float64(b.proseChars), 1)/300)
		add(SignalProse, min(max(s, -2), 3.5), "%d chars in %d paragraphs", b.proseChars, b.proseParas)
	}
	if b.headlines >= 3 || b.truncated >= 2 {
		// Weighed by the teasers' share of the body's text: an article's list of further
		// reading is small beside its prose.
		share := float64(b.teaserText) / float64(max(b.teaserText+b.proseChars, 1))
		n := float64(max(b.headlines, b.truncated))
		add(SignalTeasers, -min(5, 0.6*n)*share, "%d headlines linking elsewhere, %d teasers (%d cut short)", b.headlines, b.teasers, b.truncated)
	}
	if b.posts > 0 {
		// The body comes from a list of posts, each with a headline linking to its own page
		// (kind_posts.go): an archive's excerpts or a blog's whole posts. Weighed by their
		// share of the body's text, as teasers are.
		share := float64(b.postChars) / float64(max(b.postChars+b.proseChars, 1))
		add(SignalPostList, -min(4, 1+0.5*float64(b.postList))*share, "the body is %d of a list of %d posts, each headed by a link to its own page", b.posts, b.postList)
	}
	if b.repeats >= 2 {
		add(SignalRepeatedBody, -2, "the body's container (%s) repeats with prose %d more times", b.container, b.repeats)
	}
	if b.totalChars >= 100 {
		switch share := float64(b.linkChars) / float64(b.totalChars); {
		case share >= 0.5:
			add(SignalBodyLinks, -1.5, "%.0f%% of the body is links", share*100)
		case share >= 0.35:
			add(SignalBodyLinks, -0.75, "%.0f%% of the body is links", share*100)
		}
	}

	// The page around it.
	if links.articleLinks >= 4 {
		s := min(3, 0.15*float64(links.articleLinks)) / (1 + float64(b.proseChars)/1500)
		add(SignalArticleLinks, -s, "%d article links outside the chrome", links.articleLinks)
	}
	switch n := links.childLinks; {
	case n >= 6:
		add(SignalChildLinks, -2, "%d article links below the page's own path", n)
	case n >= 3:
		add(SignalChildLinks, -1.5, "%d article links below the page's own path", n)
	}
	if links.selfInNav {
		add(SignalSelfInNav, -1.5, "the page is in its own menu")
	}
	metaScore, metaWhy := 0.0, []string{}
	ogType := strings.ToLower(m.get("og:type"))
	if strings.HasPrefix(ogType, "article") {
		metaScore++
		metaWhy = append(metaWhy, "og:type="+ogType)
	}
	if m.ld.Type != "" && m.ldArticles <= 2 {
		metaScore++
		metaWhy = append(metaWhy, "JSON-LD "+m.ld.Type)
	}
	if d.bodyCandidateStrict {
		metaScore++
		metaWhy = append(metaWhy, "itemprop=articleBody")
	}
	if metaScore > 0 {
		add(SignalMetadata, min(metaScore, 2), "%s", strings.Join(metaWhy, ", "))
	}
	if t := d.listingType(); t != "" {
		add(SignalListingType, -2, "JSON-LD %s", t)
	}
	if m.ldArticles > 2 {
		add(SignalListingType, -1, "JSON-LD lists %d articles", m.ldArticles)
	}
	if d.declaresPublished() {
		add(SignalDate, 0.5, "published date in the metadata")
	}
	switch n := d.stats.mainArticles; {
	case n >= 8:
		add(SignalArticleTags, -1.5, "%d <article> elements", n)
	case n >= 4:
		add(SignalArticleTags, -1, "%d <article> elements", n)
	}
	if d.url != nil {
		if s := shapeOf(d.url); s.Score != 0 {
			add(SignalURL, s.Score, "%s", s.Why)
		}
	}

	v.Media = d.mediaType()
	v.RealProse = b.proseChars >= realProseChars && b.proseParas >= 2
	v.NotFound = d.softNotFound()
	v.decide()
	return v
}

// listingType returns the JSON-LD type that declares the page a listing, or "".
func (d *Document) listingType() string {
	for _, t := range d.meta.ldTypes {
		switch strings.ToLower(t) {
		case "collectionpage", "itemlist", "searchresultspage", "profilepage":
			return t
		}
	}
	return ""
}

// declaresPublished reports whether the metadata gives a publication date.
func (d *Document) declaresPublished() bool {
	m := &d.meta
	// A <time> of a list's post dates that post, not the page.
	return m.ld.Published != "" || m.itemprop["datepublished"] != "" || m.timePublished != "" && d.posts.number(m.timePublishedNode) < 0 ||
		m.get("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "dc.date.issued", "parsely-pub-date", "sailthru.date") != ""
}

// pageStats are the counts of the whole page gathered by Parse's single walk.
type pageStats struct {
	articles     int // <article> elements
	mainArticles int // of which outside menus and chrome (see linkRegion)
	h1           int
}
