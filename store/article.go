package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"lede"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// PutResult says what PutArticle did.
type PutResult int

const (
	Inserted      PutResult = iota // a new article
	Updated                        // same canonical URL, text changed: replaced
	Duplicate                      // same content hash or canonical URL and text: nothing new
	NearDuplicate                  // SimHash near an existing article: URL kept as an alias
)

// String returns the result's name in lower case ("inserted", "near-duplicate", ...).
func (r PutResult) String() string {
	switch r {
	case Inserted:
		return "inserted"
	case Updated:
		return "updated"
	case Duplicate:
		return "duplicate"
	case NearDuplicate:
		return "near-duplicate"
	}
	return fmt.Sprintf("PutResult(%d)", int(r))
}

// maxAliases bounds the alias list kept in one article record; further aliases are still
// indexed (Get and HasArticle find them) but not listed.
const maxAliases = 64

// record is an article as stored in the articles bucket: JSON, field by field the layout
// schema version 1 declared (the store's own, apart from the export form of lede.Article),
// plus the SimHash.
type record struct {
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
	HTML         string    `json:"html,omitempty"`
	FirstSeen    time.Time `json:"first_seen"`
	Aliases      []string  `json:"aliases,omitempty"`
	SimHash      uint64    `json:"simhash"`
}

// article returns the record as an article.
func (r *record) article() *lede.Article {
	return &lede.Article{
		ID: r.ID, URL: r.URL, CanonicalURL: r.CanonicalURL, Site: r.Site, SiteName: r.SiteName,
		Title: r.Title, Byline: r.Byline, Published: r.Published, Modified: r.Modified, Lang: r.Lang,
		Description: r.Description, Image: r.Image, Text: r.Text, WordCount: r.WordCount,
		FetchedAt: r.FetchedAt, ContentHash: r.ContentHash, HTML: r.HTML, FirstSeen: r.FirstSeen,
		Aliases: slices.Clone(r.Aliases),
	}
}

// sortTime is the time an article is ordered and filtered by: published, else first seen.
func (r *record) sortTime() time.Time {
	if !r.Published.IsZero() {
		return r.Published
	}
	return r.FirstSeen
}

// incoming is everything PutArticle computes before its transaction, so that the batch
// function (which bbolt may run twice) only reads it.
type incoming struct {
	rec       record
	canonKey  string // normalised canonical URL (else fetched URL)
	urlKey    string // normalised fetched URL
	words     []string
	rawGzip   []byte
	recJSON   []byte   // rec encoded, for a plain insert
	aliasURLs []string // URLs as given, to list as aliases when this turns out a duplicate
}

// PutArticle stores a, deduplicating by canonical URL, content hash and SimHash. Its URL and
// canonical URL are kept in canonical form (lede.URLKey: tracking parameters, fragments and
// default ports removed). Concurrent
// calls are committed together (bbolt Batch): many articles per transaction, bounded latency.
// It sets a.ID, a.ContentHash and a.FirstSeen (and a.Site and a.WordCount when empty).
//
// raw, when not nil, is the original page; it is kept gzip-compressed (see Raw) so that
// stored articles can be cleaned again later. A Duplicate or NearDuplicate keeps the raw
// page of the article already stored.
func (db *DB) PutArticle(ctx context.Context, a *lede.Article, raw []byte) (PutResult, error) {
	in, err := prepare(a, raw)
	if err != nil {
		return 0, err
	}
	var res PutResult
	var stored record
	err = db.batch(ctx, func(tx *bolt.Tx) error {
		var err error
		res, stored, err = putTx(tx, in)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store article %s: %w", a.URL, err)
	}
	a.ID, a.ContentHash, a.FirstSeen = stored.ID, in.rec.ContentHash, stored.FirstSeen
	a.Site, a.WordCount = in.rec.Site, in.rec.WordCount
	return res, nil
}

// prepare validates a and computes its keys, hashes and compressed raw page.
func prepare(a *lede.Article, raw []byte) (*incoming, error) {
	if a == nil {
		return nil, errors.New("store article: nil article")
	}
	if strings.TrimSpace(a.URL) == "" && strings.TrimSpace(a.CanonicalURL) == "" {
		return nil, errors.New("store article: no URL")
	}
	var err error
	words := lede.Words(a.Text)
	if len(words) == 0 {
		return nil, fmt.Errorf("store article %s: no text", a.URL)
	}
	now := time.Now().UTC()
	rec := record{
		URL: lede.URLKey(a.URL), CanonicalURL: lede.URLKey(a.CanonicalURL), Site: lede.NormalizeHost(a.Site), SiteName: a.SiteName,
		Title: a.Title, Byline: a.Byline, Published: a.Published.UTC(), Modified: a.Modified.UTC(),
		Lang: a.Lang, Description: a.Description, Image: a.Image, Text: a.Text,
		WordCount: a.WordCount, FetchedAt: a.FetchedAt.UTC(), ContentHash: contentHash(words),
		HTML: a.HTML, FirstSeen: a.FirstSeen.UTC(), SimHash: simHash(words),
	}
	if rec.URL == "" {
		rec.URL = rec.CanonicalURL
	}
	if a.FetchedAt.IsZero() {
		rec.FetchedAt = now
	}
	if a.FirstSeen.IsZero() {
		rec.FirstSeen = now
	}
	if rec.WordCount == 0 {
		rec.WordCount = lede.WordCount(a.Text)
	}
	in := &incoming{rec: rec, urlKey: lede.URLKey(rec.URL), words: words}
	in.canonKey = in.urlKey
	if rec.CanonicalURL != "" {
		in.canonKey = lede.URLKey(rec.CanonicalURL)
	}
	if in.rec.Site == "" {
		in.rec.Site = lede.SiteOf(in.canonKey)
	}
	in.rec.ID = articleID(in.canonKey)
	in.aliasURLs = []string{rec.URL}
	if rec.CanonicalURL != "" && rec.CanonicalURL != rec.URL {
		in.aliasURLs = append(in.aliasURLs, rec.CanonicalURL)
	}
	if raw != nil {
		if in.rawGzip, err = gzipBytes(raw); err != nil {
			return nil, fmt.Errorf("compress raw page of %s: %w", a.URL, err)
		}
	}
	if in.recJSON, err = json.Marshal(&in.rec); err != nil {
		return nil, fmt.Errorf("encode article %s: %w", a.URL, err)
	}
	return in, nil
}

// putTx is PutArticle's transaction. It only reads in and returns what it did.
func putTx(tx *bolt.Tx, in *incoming) (PutResult, record, error) {
	byURL := tx.Bucket(bucketByURL)

	// Same canonical or fetched URL: a re-fetch of a stored article.
	for _, key := range []string{in.canonKey, in.urlKey} {
		id := byURL.Get([]byte(key))
		if id == nil {
			continue
		}
		old, err := loadRecord(tx, string(id))
		if err != nil {
			return 0, record{}, err
		}
		if old.ContentHash == in.rec.ContentHash {
			err := addAliases(tx, old, in)
			return Duplicate, *old, err
		}
		if old.ownURL(key) { // the article itself changed: replace it
			rec := in.rec
			rec.ID, rec.FirstSeen, rec.Aliases = old.ID, old.FirstSeen, old.Aliases
			if err := unindex(tx, old); err != nil {
				return 0, record{}, err
			}
			if err := index(tx, &rec, in); err != nil {
				return 0, record{}, err
			}
			return Updated, rec, addAliases(tx, &rec, in)
		}
		// key is an alias, and that copy of the article differs a little (another layout
		// again): the stored article stays. A copy that differs a lot is handled below.
		if isNear(old, in, nil) {
			return NearDuplicate, *old, nil
		}
		break
	}

	// Same normalised text under another URL: an exact duplicate.
	if id := tx.Bucket(bucketByHash).Get([]byte(in.rec.ContentHash)); id != nil {
		old, err := loadRecord(tx, string(id))
		if err != nil {
			return 0, record{}, err
		}
		return Duplicate, *old, addAliases(tx, old, in)
	}

	// Nearly the same text: another layout or charset of a stored article.
	if len(in.words) >= minNearWords {
		old, err := findNear(tx, in)
		if err != nil {
			return 0, record{}, err
		}
		if old != nil {
			return NearDuplicate, *old, addAliases(tx, old, in)
		}
	}

	rec := in.rec
	if tx.Bucket(bucketArticles).Get([]byte(rec.ID)) != nil {
		return 0, record{}, fmt.Errorf("article id %s already used by another URL", rec.ID)
	}
	if err := index(tx, &rec, in); err != nil {
		return 0, record{}, err
	}
	return Inserted, rec, nil
}

// findNear returns a stored article near the incoming one (see isNear), or nil. The band
// index yields the candidates whose SimHash agrees with the incoming one on a whole band.
func findNear(tx *bolt.Tx, in *incoming) (*record, error) {
	s := in.rec.SimHash
	c := tx.Bucket(bucketBySimHash).Cursor()
	mine := map[uint64]struct{}(nil)
	tried := map[string]bool{}
	for _, prefix := range simBandKeys(s) {
		for k, v := c.Seek(prefix[:]); k != nil && bytes.HasPrefix(k, prefix[:]); k, v = c.Next() {
			id := string(k[len(prefix):])
			if len(v) != 8 || hamming(s, binary.BigEndian.Uint64(v)) > nearDistance || tried[id] {
				continue
			}
			tried[id] = true
			cand, err := loadRecord(tx, id)
			if err != nil {
				return nil, err
			}
			if mine == nil {
				mine = shingles(in.words)
			}
			if isNear(cand, in, mine) {
				return cand, nil
			}
		}
	}
	return nil, nil
}

// isNear reports whether the incoming text is a near-duplicate of rec: long enough, and
// their three-word shingle sets overlap by at least nearJaccard. mine, when not nil, is the
// incoming text's shingle set. (The SimHash only finds candidates; this decides.)
func isNear(rec *record, in *incoming, mine map[uint64]struct{}) bool {
	return nearWords(in.words, mine, rec.Text)
}

// nearWords reports whether a text of words (mine: its shingle set, when not nil) is a near
// copy of text: long enough, and their three-word shingle sets overlap by at least
// nearJaccard.
func nearWords(words []string, mine map[uint64]struct{}, text string) bool {
	if len(words) < minNearWords {
		return false
	}
	if mine == nil {
		mine = shingles(words)
	}
	return jaccard(mine, shingles(lede.Words(text))) >= nearJaccard
}

// index writes rec and every index entry pointing at it, plus the raw page when given.
func index(tx *bolt.Tx, rec *record, in *incoming) error {
	id := []byte(rec.ID)
	buf := in.recJSON
	if rec.ID != in.rec.ID || !rec.FirstSeen.Equal(in.rec.FirstSeen) || len(rec.Aliases) > 0 {
		var err error
		if buf, err = json.Marshal(rec); err != nil {
			return fmt.Errorf("encode article %s: %w", rec.ID, err)
		}
	}
	if err := tx.Bucket(bucketArticles).Put(id, buf); err != nil {
		return err
	}
	if in.rawGzip != nil {
		raw := tx.Bucket(bucketRaw)
		if raw.Get(id) == nil {
			if err := addCount(tx, countRaw, 1); err != nil {
				return err
			}
		}
		if err := raw.Put(id, in.rawGzip); err != nil {
			return err
		}
	}
	byURL := tx.Bucket(bucketByURL)
	for _, key := range []string{in.canonKey, in.urlKey} {
		if err := byURL.Put([]byte(key), id); err != nil {
			return err
		}
	}
	if h := tx.Bucket(bucketByHash); h.Get([]byte(rec.ContentHash)) == nil {
		if err := h.Put([]byte(rec.ContentHash), id); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketByTime).Put(concat(timeKey(rec.sortTime()), id), nil); err != nil {
		return err
	}
	if err := tx.Bucket(bucketBySeen).Put(concat(timeKey(rec.FirstSeen), id), nil); err != nil {
		return err
	}
	if err := tx.Bucket(bucketBySite).Put(siteKey(rec.Site, rec.sortTime(), rec.ID), nil); err != nil {
		return err
	}
	if len(in.words) >= minNearWords {
		sims := tx.Bucket(bucketBySimHash)
		for _, prefix := range simBandKeys(rec.SimHash) {
			if err := sims.Put(concat(prefix[:], id), u64(rec.SimHash)); err != nil {
				return err
			}
		}
	}
	if err := addCount(tx, countKey("site", rec.Site), 1); err != nil {
		return err
	}
	return addCount(tx, countKey("lang", strings.ToLower(rec.Lang)), 1)
}

// unindex removes the index entries of old that depend on its content (hash, time, site,
// SimHash, counts) before it is replaced. URL entries stay: they still lead to the article.
func unindex(tx *bolt.Tx, old *record) error {
	id := []byte(old.ID)
	if h := tx.Bucket(bucketByHash); bytes.Equal(h.Get([]byte(old.ContentHash)), id) {
		if err := h.Delete([]byte(old.ContentHash)); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketByTime).Delete(concat(timeKey(old.sortTime()), id)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketBySeen).Delete(concat(timeKey(old.FirstSeen), id)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketBySite).Delete(siteKey(old.Site, old.sortTime(), old.ID)); err != nil {
		return err
	}
	sims := tx.Bucket(bucketBySimHash)
	for _, prefix := range simBandKeys(old.SimHash) {
		if err := sims.Delete(concat(prefix[:], id)); err != nil {
			return err
		}
	}
	if err := addCount(tx, countKey("site", old.Site), -1); err != nil {
		return err
	}
	return addCount(tx, countKey("lang", strings.ToLower(old.Lang)), -1)
}

// addAliases points the incoming article's URLs at rec and lists them as its aliases.
func addAliases(tx *bolt.Tx, rec *record, in *incoming) error {
	byURL := tx.Bucket(bucketByURL)
	id := []byte(rec.ID)
	for _, key := range []string{in.canonKey, in.urlKey} {
		if byURL.Get([]byte(key)) == nil {
			if err := byURL.Put([]byte(key), id); err != nil {
				return err
			}
		}
	}
	changed := false
	for _, u := range in.aliasURLs {
		if !rec.hasURL(u) && len(rec.Aliases) < maxAliases {
			rec.Aliases = append(rec.Aliases, u)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	buf, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode article %s: %w", rec.ID, err)
	}
	return tx.Bucket(bucketArticles).Put(id, buf)
}

// ownURL reports whether the normalised URL key is rec's own URL or canonical URL (not an alias).
func (r *record) ownURL(key string) bool {
	return key == lede.URLKey(r.URL) || (r.CanonicalURL != "" && key == lede.URLKey(r.CanonicalURL))
}

// hasURL reports whether u already names rec (its URL, canonical URL or an alias).
func (r *record) hasURL(u string) bool {
	n := lede.URLKey(u)
	if r.ownURL(n) {
		return true
	}
	for _, a := range r.Aliases {
		if lede.URLKey(a) == n {
			return true
		}
	}
	return false
}

// loadRecord reads the article stored under id.
func loadRecord(tx *bolt.Tx, id string) (*record, error) {
	v := tx.Bucket(bucketArticles).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("article %s: %w", id, ErrNotFound)
	}
	var rec record
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, &badValue{"article " + id, err}
	}
	return &rec, nil
}

// lookupID resolves an article ID, URL, canonical URL or alias to an ID ("" when unknown).
func lookupID(tx *bolt.Tx, idOrURL string) string {
	if tx.Bucket(bucketArticles).Get([]byte(idOrURL)) != nil {
		return idOrURL
	}
	if id := tx.Bucket(bucketByURL).Get([]byte(lede.URLKey(idOrURL))); id != nil {
		return string(id)
	}
	return ""
}

// Get returns the article with this ID, URL, canonical URL or alias.
func (db *DB) Get(ctx context.Context, idOrURL string) (*lede.Article, error) {
	var rec *record
	err := db.view(ctx, func(tx *bolt.Tx) error {
		id := lookupID(tx, idOrURL)
		if id == "" {
			return fmt.Errorf("article %s: %w", idOrURL, ErrNotFound)
		}
		var err error
		rec, err = loadRecord(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rec.article(), nil
}

// HasArticle reports whether url (or its canonical form/alias) is already stored.
func (db *DB) HasArticle(ctx context.Context, url string) (bool, error) {
	found := false
	err := db.view(ctx, func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketByURL).Get([]byte(lede.URLKey(url))) != nil
		return nil
	})
	return found, err
}

// Raw returns the original page stored with the article idOrURL names (ErrNotFound when the
// article is unknown or was stored without its page).
func (db *DB) Raw(ctx context.Context, idOrURL string) ([]byte, error) {
	var gz []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		id := lookupID(tx, idOrURL)
		if v := tx.Bucket(bucketRaw).Get([]byte(id)); id != "" && v != nil {
			gz = append([]byte(nil), v...)
			return nil
		}
		return fmt.Errorf("raw page of %s: %w", idOrURL, ErrNotFound)
	})
	if err != nil {
		return nil, err
	}
	page, err := gunzipBytes(gz)
	if err != nil {
		return nil, db.markDamaged((&badValue{"the raw page of " + idOrURL, err}).Error())
	}
	return page, nil
}

// gunzipBytes decompresses a raw page kept by gzipBytes.
func gunzipBytes(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// gzipWriters reuses gzip writers: each holds about a megabyte of compressor state.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// gzipBytes compresses b at gzip's best speed.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// siteKey is the idx_site key: site, a zero byte, the sort time, the id.
func siteKey(site string, t time.Time, id string) []byte {
	return concat([]byte(site), []byte{0}, timeKey(t), []byte(id))
}

// Counters of the counts bucket beside the per-site and per-language ones, so that Stats and
// Frontier.Len cost the same on any store size.
var (
	countRaw   = countKey("n", "raw")   // raw pages kept
	countFetch = countKey("n", "fetch") // fetch records
	countQueue = countKey("n", "queue") // frontier items not Done
)

// countKey is a counts-bucket key such as "site\x00example.com".
func countKey(kind, value string) []byte { return []byte(kind + "\x00" + value) }

// getCount reads the counter at key (zero when absent).
func getCount(tx *bolt.Tx, key []byte) int {
	return int(getU64(tx.Bucket(bucketCounts).Get(key)))
}

// addCount adds delta to the counter at key, deleting it when it reaches zero.
func addCount(tx *bolt.Tx, key []byte, delta int64) error {
	b := tx.Bucket(bucketCounts)
	var n int64
	if v := b.Get(key); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += delta
	if n <= 0 {
		return b.Delete(key)
	}
	return b.Put(key, u64(uint64(n)))
}

// concat joins byte slices into a new slice.
func concat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
