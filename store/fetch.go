package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FetchRecord is the crawl state of one URL.
type FetchRecord struct {
	URL          string    `json:"url"`
	Status       int       `json:"status"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"`
	LastFetch    time.Time `json:"last_fetch"`
	Kind         string    `json:"kind"` // "article", "hub", "media", "not-found", "sitemap", "feed", "skipped", "error"
	Reason       string    `json:"reason,omitempty"`
	ArticleID    string    `json:"article_id,omitempty"`

	// Depth is how many links away from a start page, feed or sitemap the URL was found.
	Depth int `json:"depth,omitempty"`
	// Recheck is, for a hub or a feed, how long after LastFetch the crawler asks for it again
	// (0: on every run); the crawler adapts it to how often the page brings new links.
	Recheck time.Duration `json:"recheck,omitempty"`
	// Via is how the crawl found the page when a sitemap or a feed listed it ("sitemap",
	// "news-sitemap", "feed"); "" for a link or a start page.
	Via string `json:"via,omitempty"`
	// Feeds are, for a hub, the feeds it advertises (<link rel=alternate>): the crawler asks
	// for them when the hub answers 304 Not Modified, as it would when it reads the hub.
	Feeds []string `json:"feeds,omitempty"`
}

// KindHub is the fetch-record kind of a front (section, topic, tag page, listing): the store
// counts them per site (Stats.HubsBySite).
const KindHub = "hub"

// GetFetch returns the fetch record of url; ok is false when there is none.
// Records are keyed by the URL exactly as given to PutFetch.
func (db *DB) GetFetch(ctx context.Context, url string) (rec FetchRecord, ok bool, err error) {
	err = db.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketFetch).Get([]byte(url))
		if v == nil {
			return nil
		}
		ok = true
		if err := json.Unmarshal(v, &rec); err != nil {
			return &badValue{"the fetch record of " + url, err}
		}
		return nil
	})
	if err != nil {
		return FetchRecord{}, false, fmt.Errorf("fetch record of %s: %w", url, err)
	}
	return rec, ok, nil
}

// PutFetch records the outcome of fetching one URL, replacing its previous record. Concurrent
// calls are committed together, like PutArticle.
func (db *DB) PutFetch(ctx context.Context, rec FetchRecord) error {
	if rec.URL == "" {
		return errors.New("store fetch record: no URL")
	}
	if rec.LastFetch.IsZero() {
		rec.LastFetch = time.Now().UTC()
	}
	buf, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode fetch record of %s: %w", rec.URL, err)
	}
	err = db.batch(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFetch)
		old := b.Get([]byte(rec.URL))
		if old == nil {
			if err := addCount(tx, countFetch, 1); err != nil {
				return err
			}
		}
		if wasHub, isHub := old != nil && recordKind(old) == KindHub, rec.Kind == KindHub; wasHub != isHub {
			delta := int64(1)
			if wasHub {
				delta = -1
			}
			if err := addCount(tx, hubCountKey(rec.URL), delta); err != nil {
				return err
			}
		}
		return b.Put([]byte(rec.URL), buf)
	})
	if err != nil {
		return fmt.Errorf("store fetch record of %s: %w", rec.URL, err)
	}
	return nil
}

// FetchRecords calls fn with each fetch record whose URL starts with prefix, in URL order,
// and stops at fn's first error, which it returns. It reads the records in short read
// transactions of a few hundred each, so a long walk never holds up writers.
func (db *DB) FetchRecords(ctx context.Context, prefix string, fn func(FetchRecord) error) error {
	const page = 512
	pre := []byte(prefix)
	after := []byte(prefix)
	first := true
	for {
		var recs []FetchRecord
		err := db.view(ctx, func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketFetch).Cursor()
			k, v := c.Seek(after)
			if !first && k != nil && bytes.Equal(k, after) {
				k, v = c.Next() // after is the last key of the previous page
			}
			for ; k != nil && bytes.HasPrefix(k, pre) && len(recs) < page; k, v = c.Next() {
				var rec FetchRecord
				if err := json.Unmarshal(v, &rec); err != nil {
					return &badValue{"the fetch record of " + string(k), err}
				}
				recs = append(recs, rec)
				after = append(after[:0], k...)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("fetch records under %s: %w", prefix, err)
		}
		first = false
		for _, rec := range recs {
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(recs) < page {
			return nil
		}
	}
}

// FetchCount returns how many URLs have a fetch record.
func (db *DB) FetchCount(ctx context.Context) (int, error) {
	n := 0
	err := db.view(ctx, func(tx *bolt.Tx) error {
		n = getCount(tx, countFetch)
		return nil
	})
	return n, err
}

// recordKind reads the kind of an encoded fetch record ("" when it does not decode).
func recordKind(v []byte) string {
	var r struct {
		Kind string `json:"kind"`
	}
	if json.Unmarshal(v, &r) != nil {
		return ""
	}
	return r.Kind
}

// hubCountKey is the counter of fronts of the site of url.
func hubCountKey(url string) []byte { return countKey("hub", NormalizeSite(siteOfURL(url))) }

// siteOfURL is the host name of url ("" when it has none).
func siteOfURL(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// countHubs counts the fronts among the fetch records, per site, into the counts bucket:
// once, when a store written before lede counted them (it lacks their buckets) is first
// opened for writing (meta key "hubs-counted").
func countHubs(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta.Get(metaHubsCountedKey) != nil {
		return nil
	}
	counts := map[string]int64{}
	err := tx.Bucket(bucketFetch).ForEach(func(k, v []byte) error {
		if recordKind(v) == KindHub {
			counts[string(hubCountKey(string(k)))]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, n := range counts {
		if err := addCount(tx, []byte(k), n); err != nil {
			return err
		}
	}
	return meta.Put(metaHubsCountedKey, []byte("1"))
}
