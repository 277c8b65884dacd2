package lede

import "time"

// Kind is what a URL is. A queue item is a page, a sitemap or a feed; once fetched, its
// fetch record says what came of it: a page is an article, a front (hub), a media page or a
// dead link (these four are also the extractor's verdict on a page), or it was skipped or
// failed. The values are the strings kept in the store and shown by lede.
type Kind string

// Kinds of queue items.
const (
	KindPage    Kind = "page"    // an HTML page: an article, a front, ...
	KindSitemap Kind = "sitemap" // a sitemap or sitemap index (also the record of one)
	KindFeed    Kind = "feed"    // an RSS, Atom or JSON feed (also the record of one)
)

// Kinds of fetched pages: the extractor's verdict, and the fetch record of a page.
const (
	KindArticle  Kind = "article"   // a body of its own prose: stored
	KindHub      Kind = "hub"       // a front, section, topic, tag or author page, a listing: followed, not stored
	KindMedia    Kind = "media"     // a video, gallery, podcast or recipe page without a body of prose: not stored
	KindNotFound Kind = "not-found" // a dead link: a 404 or 410 answer, or a soft 404 (a 200 page that says it does not exist)
)

// Kinds of fetch records beside a page's kind, a sitemap's and a feed's.
const (
	KindSkipped Kind = "skipped" // not stored: robots.txt, not HTML, too large, no article, an HTTP status
	KindError   Kind = "error"   // failed after retries
)

// Via says which listing found a page.
type Via string

// Listings.
const (
	ViaLink        Via = ""             // a link, or a start page
	ViaSitemap     Via = "sitemap"      // a sitemap
	ViaNewsSitemap Via = "news-sitemap" // a Google News sitemap entry
	ViaFeed        Via = "feed"         // an RSS, Atom or JSON feed item
)

// QueueItem is one URL waiting in the crawl frontier.
type QueueItem struct {
	URL   string `json:"url"`
	Depth int    `json:"depth"` // links away from a start page, feed or sitemap
	Kind  Kind   `json:"kind"`  // KindPage, KindSitemap or KindFeed
	// Via says which listing found a page; Listed is the date the listing gave it (zero when
	// none).
	Via    Via       `json:"via,omitempty"`
	Listed time.Time `json:"listed,omitzero"`
}

// FetchRecord is the crawl state of one URL: what its last fetch gave.
type FetchRecord struct {
	URL          string    `json:"url"`
	Status       int       `json:"status"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"` // of the article stored from it
	LastFetch    time.Time `json:"last_fetch"`
	Kind         Kind      `json:"kind"`
	Reason       string    `json:"reason,omitempty"` // why it is what Kind says, or why it was skipped or failed
	ArticleID    string    `json:"article_id,omitempty"`

	// Depth is how many links away from a start page, feed or sitemap the URL was found.
	Depth int `json:"depth,omitempty"`
	// Recheck is, for a hub or a feed, how long after LastFetch the crawler asks for it again
	// (0: on every run); the crawler adapts it to how often the page brings new links.
	Recheck time.Duration `json:"recheck,omitempty"`
	// Via is how the crawl found the page when a sitemap or a feed listed it.
	Via Via `json:"via,omitempty"`
	// Feeds are, for a hub, the feeds it advertises (<link rel=alternate>): the crawler asks
	// for them when the hub answers 304 Not Modified, as it would when it reads the hub.
	Feeds []string `json:"feeds,omitempty"`
}

// TemplateCount is how many pages of one URL template (see extract.URLTemplate) were judged
// articles and fronts: a host's learned templates.
type TemplateCount struct {
	Articles, Hubs int
}
