package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"lede"
	"time"

	bolt "go.etcd.io/bbolt"
)

// GetFetch returns the fetch record of url; ok is false when there is none.
// Records are keyed by the URL exactly as given to PutFetch.
func (db *DB) GetFetch(ctx context.Context, url string) (rec lede.FetchRecord, ok bool, err error) {
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
		return lede.FetchRecord{}, false, fmt.Errorf("fetch record of %s: %w", url, err)
	}
	return rec, ok, nil
}

// PutFetch records the outcome of fetching one URL, replacing its previous record. Concurrent
// calls are committed together, like PutArticle.
func (db *DB) PutFetch(ctx context.Context, rec lede.FetchRecord) error {
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
		if wasHub, isHub := old != nil && recordKind(old) == lede.KindHub, rec.Kind == lede.KindHub; wasHub != isHub {
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
func (db *DB) FetchRecords(ctx context.Context, prefix string, fn func(lede.FetchRecord) error) error {
	const page = 512
	pre := []byte(prefix)
	after := []byte(prefix)
	first := true
	for {
		var recs []lede.FetchRecord
		err := db.view(ctx, func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketFetch).Cursor()
			k, v := c.Seek(after)
			if !first && k != nil && bytes.Equal(k, after) {
				k, v = c.Next() // after is the last key of the previous page
			}
			for ; k != nil && bytes.HasPrefix(k, pre) && len(recs) < page; k, v = c.Next() {
				var rec lede.FetchRecord
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
func recordKind(v []byte) lede.Kind {
	var r struct {
		Kind lede.Kind `json:"kind"`
	}
	if json.Unmarshal(v, &r) != nil {
		return ""
	}
	return r.Kind
}

// hubCountKey is the counter of fronts of the site of url.
func hubCountKey(url string) []byte { return countKey("hub", lede.SiteOf(url)) }

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
		if recordKind(v) == lede.KindHub {
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
