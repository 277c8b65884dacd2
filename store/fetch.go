package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	Kind         string    `json:"kind"` // "article", "hub", "skipped", "error"
	Reason       string    `json:"reason,omitempty"`
	ArticleID    string    `json:"article_id,omitempty"`
}

// GetFetch returns the fetch record of url; ok is false when there is none.
// Records are keyed by the URL exactly as given to PutFetch.
func (db *DB) GetFetch(ctx context.Context, url string) (rec FetchRecord, ok bool, err error) {
	err = db.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketFetch).Get([]byte(url))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &rec)
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
		if b.Get([]byte(rec.URL)) == nil {
			if err := addCount(tx, countFetch, 1); err != nil {
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

// FetchCount returns how many URLs have a fetch record.
func (db *DB) FetchCount(ctx context.Context) (int, error) {
	n := 0
	err := db.view(ctx, func(tx *bolt.Tx) error {
		n = getCount(tx, countFetch)
		return nil
	})
	return n, err
}
