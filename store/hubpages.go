package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"lede"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Raw pages of doubtful fronts (issue 10). The raw page of an article is kept with it; a page
// judged a front is not stored, but when the decision was close, or the crawl had signs of an
// article (a feed or sitemap listed it, its URL template holds articles), its raw page is kept
// here so that a better rule can decide it again without fetching it (lede reclassify). The
// hub_pages bucket holds one sub-bucket per site: URL → 8 bytes of Unix time (when it was
// kept), then the gzip-compressed page. A site keeps at most maxHubPages pages: when it has
// more, the oldest are dropped.

// maxHubPages is the number of raw front pages kept per site.
const maxHubPages = 256

// PutHubPage keeps the raw page of url, judged a front, replacing an older one.
func (db *DB) PutHubPage(ctx context.Context, url string, page []byte) error {
	site := lede.SiteOf(url)
	if site == "" {
		return fmt.Errorf("raw front page %s: no host", url)
	}
	gz, err := gzipBytes(page)
	if err != nil {
		return fmt.Errorf("raw front page %s: %w", url, err)
	}
	v := append(u64(uint64(time.Now().Unix())), gz...)
	err = db.batch(ctx, func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketHubPages).CreateBucketIfNotExists([]byte(site))
		if err != nil {
			return err
		}
		if err := b.Put([]byte(url), v); err != nil {
			return err
		}
		if n := countKeys(b); n > maxHubPages {
			return evictOldestPages(b, n-maxHubPages*3/4)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("raw front page %s: %w", url, err)
	}
	return nil
}

// HubPage returns the raw page kept for url (ErrNotFound when there is none).
func (db *DB) HubPage(ctx context.Context, url string) ([]byte, error) {
	var gz []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if b := hubPagesOf(tx, url); b != nil {
			if v := b.Get([]byte(url)); len(v) > 8 {
				gz = slices.Clone(v[8:])
				return nil
			}
		}
		return fmt.Errorf("raw front page %s: %w", url, ErrNotFound)
	})
	if err != nil {
		return nil, err
	}
	page, err := gunzipBytes(gz)
	if err != nil {
		return nil, fmt.Errorf("raw front page %s: %w", url, err)
	}
	return page, nil
}

// DeleteHubPage drops the raw page kept for url, if any.
func (db *DB) DeleteHubPage(ctx context.Context, url string) error {
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		if b := hubPagesOf(tx, url); b != nil && b.Get([]byte(url)) != nil {
			return b.Delete([]byte(url))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("raw front page %s: %w", url, err)
	}
	return nil
}

// HubPageURLs returns the URLs of site whose raw front pages are kept, in URL order.
func (db *DB) HubPageURLs(ctx context.Context, site string) ([]string, error) {
	var urls []string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketHubPages)
		if root == nil {
			return nil
		}
		b := root.Bucket([]byte(lede.NormalizeHost(site)))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			urls = append(urls, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("raw front pages of %s: %w", site, err)
	}
	return urls, nil
}

// hubPagesOf is the sub-bucket of url's site, or nil.
func hubPagesOf(tx *bolt.Tx, url string) *bolt.Bucket {
	root := tx.Bucket(bucketHubPages)
	if root == nil {
		return nil
	}
	return root.Bucket([]byte(lede.SiteOf(url)))
}

// evictOldestPages deletes the n pages of b kept longest ago.
func evictOldestPages(b *bolt.Bucket, n int) error {
	_, err := evictLowest(b, n, func(_, v []byte) (uint64, bool) {
		if len(v) < 8 {
			return 0, false
		}
		return binary.BigEndian.Uint64(v[:8]), true
	})
	return err
}
