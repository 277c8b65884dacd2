package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"lede"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Filter selects articles for export and queries. Zero fields match everything.
//
// Dates compare with the article's published time, or its first-seen time when the page gave
// no date. Since is inclusive and Until exclusive: Since 2024-05-01, Until 2024-05-02 is
// the whole of the first of May (UTC).
type Filter struct {
	Site     string // host without "www."; "www." and case in the filter are ignored
	Lang     string // BCP 47 prefix match: "ar" matches "ar-EG"
	Since    time.Time
	Until    time.Time
	MinWords int
}

// match reports whether rec passes the filter's non-index conditions.
func (f *Filter) match(rec *record) bool {
	if f.Lang != "" {
		want, have := strings.ToLower(f.Lang), strings.ToLower(rec.Lang)
		if have != want && !strings.HasPrefix(have, want+"-") {
			return false
		}
	}
	if f.MinWords > 0 && rec.WordCount < f.MinWords {
		return false
	}
	return true
}

// pageSize is how many articles Articles reads per read transaction. Reading in pages keeps
// memory constant and read transactions short, so writers are never held back for long.
const pageSize = 64

// Articles calls fn for each article matching f, in published (else first-seen) order,
// streaming in constant memory. Near-duplicates appear once (they are stored once). fn runs
// outside any transaction and may take its time; an error from fn stops the walk and is
// returned as is. Articles stored while the walk runs may or may not be seen.
func (db *DB) Articles(ctx context.Context, f Filter, fn func(*lede.Article) error) error {
	return db.records(ctx, f, func(rec *record) error { return fn(rec.article()) })
}

// records is Articles, handing out the stored records.
func (db *DB) records(ctx context.Context, f Filter, fn func(*record) error) error {
	bucket, prefix := bucketByTime, []byte(nil)
	if f.Site != "" {
		bucket, prefix = bucketBySite, append([]byte(lede.NormalizeHost(f.Site)), 0)
	}
	start := concat(prefix, timeKey(f.Since))
	if f.Since.IsZero() {
		start = prefix
	}
	var end []byte // exclusive upper bound on keys
	if !f.Until.IsZero() {
		end = concat(prefix, timeKey(f.Until))
	}

	after := []byte(nil) // last key handed out; the next page starts after it
	for {
		var page []*record
		err := db.view(ctx, func(tx *bolt.Tx) error {
			c := tx.Bucket(bucket).Cursor()
			var k []byte
			if after == nil {
				k, _ = c.Seek(start)
			} else if k, _ = c.Seek(after); bytes.Equal(k, after) {
				k, _ = c.Next()
			}
			for scanned := 0; k != nil && len(page) < pageSize && scanned < 16*pageSize; k, _ = c.Next() {
				scanned++
				if !bytes.HasPrefix(k, prefix) || (end != nil && bytes.Compare(k, end) >= 0) {
					after = nil
					return nil
				}
				after = append(after[:0], k...)
				rec, err := loadRecord(tx, timeIndexID(k, prefix))
				if errors.Is(err, ErrNotFound) { // as stats --check finds it (checkValues)
					return &badValue{indexEntry(bucket, prefix)(k), errNotStored}
				}
				if err != nil {
					return err
				}
				if f.match(rec) {
					page = append(page, rec)
				}
			}
			if k == nil {
				after = nil
			}
			// Give back the mapped pages this page of articles touched (and the kernel's
			// fault-around mapped beside them), so the resident set stays flat.
			releaseMapped(db.bolt, tx)
			return nil
		})
		if err != nil {
			return fmt.Errorf("read articles: %w", err)
		}
		for _, rec := range page {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if after == nil {
			return nil
		}
	}
}
