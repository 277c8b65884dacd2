package store

// CONTRACT STUBS: the store helper replaces these bodies with the bbolt implementation.
// Signatures are shared with the crawler and cmd packages: change them only in agreement.

import (
	"context"
	"errors"
	"time"
)

// Article is one stored article: extract's fields plus what the store adds.
type Article struct {
	ID           string    `json:"id"`
	URL          string    `json:"url"`
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Site         string    `json:"site,omitempty"`
	SiteName     string    `json:"site_name,omitempty"`
	Title        string    `json:"title"`
	Byline       string    `json:"byline,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	Lang         string    `json:"lang,omitempty"`
	Description  string    `json:"description,omitempty"`
	Image        string    `json:"image,omitempty"`
	Text         string    `json:"text"`
	WordCount    int       `json:"word_count"`
	FetchedAt    time.Time `json:"fetched_at"`
	ContentHash  string    `json:"content_hash"`
	HTML         string    `json:"-"` // cleaned article HTML (for markdown export)
	FirstSeen    time.Time `json:"-"`
	Aliases      []string  `json:"-"` // other URLs of the same (near-)duplicate article
}

// PutResult says what PutArticle did.
type PutResult int

const (
	Inserted      PutResult = iota // a new article
	Updated                        // same canonical URL, text changed: replaced
	Duplicate                      // same content hash or canonical URL and text: nothing new
	NearDuplicate                  // SimHash near an existing article: URL kept as an alias
)

// Filter selects articles for export and queries. Zero fields match everything.
type Filter struct {
	Site     string
	Lang     string // BCP 47 prefix match: "ar" matches "ar-EG"
	Since    time.Time
	Until    time.Time
	MinWords int
}

// FetchRecord is the crawl state of one URL.
type FetchRecord struct {
	URL          string    `json:"url"`
	Status       int       `json:"status"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"`
	LastFetch    time.Time `json:"last_fetch"`
	Kind         string    `json:"kind"` // "article", "hub", "skipped", "error"
	Reason       string    `json:"reason,omitempty"`
	ArticleID    string    `json:"article_id,omitempty"`
}

// QueueItem is one URL waiting in the crawl frontier.
type QueueItem struct {
	URL   string `json:"url"`
	Depth int    `json:"depth"`
	Kind  string `json:"kind"` // "page", "sitemap", "feed"
}

var (
	// ErrLocked: another process holds the file. Its message names the file:
	// "<path> is locked by another lede process".
	ErrLocked = errors.New("locked by another lede process")
	// ErrNotFound: no such article or record.
	ErrNotFound = errors.New("not found")
	// ErrMissing: the file does not exist and MustExist was given.
	ErrMissing = errors.New("store file does not exist")
)

// DB is an open lede store.
type DB struct{}

// Option configures Open.
type Option func(*options)

type options struct {
	timeout   time.Duration
	readOnly  bool
	mustExist bool
}

// WithTimeout bounds the wait for the file lock (default 2s).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// ReadOnly opens the file for reading only.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// MustExist makes Open fail with ErrMissing instead of creating the file.
func MustExist() Option { return func(o *options) { o.mustExist = true } }

var errTODO = errors.New("store: not implemented yet")

// Open opens or creates the store at path.
func Open(path string, opts ...Option) (*DB, error) { return nil, errTODO }

// Close closes the file.
func (db *DB) Close() error { return errTODO }

// PutArticle stores a, deduplicating by canonical URL, content hash and SimHash. Concurrent
// calls are committed together (bbolt Batch): many articles per transaction, bounded latency.
// It sets a.ID, a.ContentHash and a.FirstSeen.
func (db *DB) PutArticle(ctx context.Context, a *Article, raw []byte) (PutResult, error) {
	return 0, errTODO
}

// Get returns the article with this ID, URL, canonical URL or alias.
func (db *DB) Get(ctx context.Context, idOrURL string) (*Article, error) { return nil, errTODO }

// HasArticle reports whether url (or its canonical form/alias) is already stored.
func (db *DB) HasArticle(ctx context.Context, url string) (bool, error) { return false, errTODO }

// Articles calls fn for each article matching f, in published (else first-seen) order,
// streaming in constant memory. Near-duplicates appear once.
func (db *DB) Articles(ctx context.Context, f Filter, fn func(*Article) error) error {
	return errTODO
}

// GetFetch returns the fetch record of url; ok is false when there is none.
func (db *DB) GetFetch(ctx context.Context, url string) (rec FetchRecord, ok bool, err error) {
	return FetchRecord{}, false, errTODO
}

// PutFetch records the outcome of fetching one URL (batched like PutArticle).
func (db *DB) PutFetch(ctx context.Context, rec FetchRecord) error { return errTODO }

// Frontier returns the persistent crawl frontier kept in this store.
func (db *DB) Frontier() *Frontier { return &Frontier{db: db} }

// Frontier is the bbolt-backed queue of URLs to fetch plus the set of URLs already queued in
// the current crawl. It survives kill -9: items popped but never marked Done are handed out
// again after a restart.
type Frontier struct{ db *DB }

// Push queues items whose URL was not queued before in this crawl; it returns how many were new.
func (f *Frontier) Push(ctx context.Context, items ...QueueItem) (int, error) { return 0, errTODO }

// Pop leases up to max queued items (FIFO) that are not already leased by this process.
func (f *Frontier) Pop(ctx context.Context, max int) ([]QueueItem, error) { return nil, errTODO }

// Done removes url from the queue; it stays in the queued-set until Reset.
func (f *Frontier) Done(ctx context.Context, url string) error { return errTODO }

// Len is the number of items still queued (leased or not).
func (f *Frontier) Len(ctx context.Context) (int, error) { return 0, errTODO }

// Reset empties the queue and the queued-set, ending the current crawl.
func (f *Frontier) Reset(ctx context.Context) error { return errTODO }
