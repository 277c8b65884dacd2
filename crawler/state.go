package crawler

import (
	"context"

	"lede/extract"
	"lede/store"
)

// Frontier is the queue of URLs still to fetch plus the set of URLs already queued in the
// current crawl (the visited set). *store.Frontier implements it with bbolt; a crawl spread
// over several machines can implement it with Redis.
type Frontier interface {
	// Push queues the items whose URL was not queued before in this crawl and returns how
	// many were new.
	Push(ctx context.Context, items ...store.QueueItem) (int, error)
	// Pop leases up to max queued items that this process has not leased yet.
	Pop(ctx context.Context, max int) ([]store.QueueItem, error)
	// Done removes a leased URL from the queue; it stays in the queued set until Reset.
	Done(ctx context.Context, url string) error
	// Release gives a lease back without removing the URL, so a later Pop (of this process,
	// for example the next scheduled run) hands it out again.
	Release(url string)
	// Len is the number of items still queued, leased or not.
	Len(ctx context.Context) (int, error)
	// Reset empties the queue and the queued set: the crawl is over.
	Reset(ctx context.Context) error
}

// Store is what the crawler needs from lede's store: articles and per-URL fetch records.
// *store.DB implements it.
type Store interface {
	PutArticle(ctx context.Context, a *store.Article, raw []byte) (store.PutResult, error)
	HasArticle(ctx context.Context, url string) (bool, error)
	GetFetch(ctx context.Context, url string) (rec store.FetchRecord, ok bool, err error)
	PutFetch(ctx context.Context, rec store.FetchRecord) error
	// FetchRecords calls fn with each fetch record whose URL starts with prefix.
	FetchRecords(ctx context.Context, prefix string, fn func(store.FetchRecord) error) error
}

// Kinds of queue items.
const (
	KindPage    = "page"
	KindSitemap = "sitemap"
	KindFeed    = "feed"
)

// Kinds of fetch records, as stored in store.FetchRecord.Kind.
const (
	RecordArticle  = "article"
	RecordHub      = store.KindHub // a front: followed, not stored
	RecordMedia    = "media"       // a video, gallery, podcast or recipe page without a body of prose: not stored
	RecordNotFound = "not-found"   // a dead link: a 404 or 410 answer, or a soft 404; not fetched again for a while
	RecordSitemap  = "sitemap"
	RecordFeed     = "feed"
	RecordSkipped  = "skipped"
	RecordError    = "error"
)

// ToStoreArticle converts an extracted article into the store's article type, its URLs
// canonicalised as the crawler does (tracking parameters, fragments, default ports). The store
// fills in ID, ContentHash and FirstSeen; the caller sets FetchedAt.
func ToStoreArticle(a *extract.Article) *store.Article {
	if a == nil {
		return nil
	}
	return &store.Article{
		URL:          canonicalOrAsIs(a.URL),
		CanonicalURL: canonicalOrAsIs(a.CanonicalURL),
		Site:         a.Site,
		SiteName:     a.SiteName,
		Title:        a.Title,
		Byline:       a.Byline,
		Published:    a.Published,
		Modified:     a.Modified,
		Lang:         a.Lang,
		Description:  a.Description,
		Image:        a.Image,
		Text:         a.Text,
		WordCount:    a.WordCount,
		HTML:         a.HTML,
	}
}

// canonicalOrAsIs is Canonicalize(u), or u itself when it does not parse (or is empty), so
// that an article saved by lede extract gets the same ID as the same article crawled.
func canonicalOrAsIs(u string) string {
	if c, err := Canonicalize(u); err == nil {
		return c
	}
	return u
}

// The store implements every interface.
var (
	_ Frontier        = (*store.Frontier)(nil)
	_ Store           = (*store.DB)(nil)
	_ ChromeStore     = (*store.DB)(nil)
	_ TemplateStore   = (*store.DB)(nil)
	_ HubPageStore    = (*store.DB)(nil)
	_ ReclassifyStore = (*store.DB)(nil)
	_ RecleanStore    = (*store.DB)(nil)
)
