package store

import (
	"bytes"
	"context"
	"fmt"
	"lede"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SeenCursor is a position in first-seen order: the article first seen at Seen (to the
// second, as the store keeps it) with ID. The zero SeenCursor is before every article.
type SeenCursor struct {
	Seen time.Time
	ID   string
}

// CursorOf is the position of a: a walk from it goes on with the article seen after a.
func CursorOf(a *lede.Article) SeenCursor { return SeenCursor{Seen: a.FirstSeen, ID: a.ID} }

// ArticlesSeenAfter calls fn for each article first seen after the position from, in the
// order the store first saw them (ties by ID), like Articles: one short read transaction per
// page of articles, fn outside any transaction, fn's error returned as is. Articles stored
// during the walk are seen (they come last). A reader that keeps up with a growing store
// (lede serve's index) walks from CursorOf the last article it read.
func (db *DB) ArticlesSeenAfter(ctx context.Context, from SeenCursor, fn func(*lede.Article) error) error {
	after := []byte(nil)
	if !from.Seen.IsZero() || from.ID != "" {
		after = concat(timeKey(from.Seen), []byte(from.ID))
	}
	for {
		var page []*record
		err := db.view(ctx, func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketBySeen).Cursor()
			var k []byte
			if after == nil {
				k, _ = c.First()
			} else if k, _ = c.Seek(after); bytes.Equal(k, after) {
				k, _ = c.Next()
			}
			for ; k != nil && len(page) < pageSize; k, _ = c.Next() {
				after = append(after[:0], k...)
				rec, err := loadRecord(tx, string(k[8:]))
				if err != nil {
					return err
				}
				page = append(page, rec)
			}
			releaseMapped(db.bolt, tx)
			return nil
		})
		if err != nil {
			return fmt.Errorf("read articles by first-seen time: %w", err)
		}
		for _, rec := range page {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(rec.article()); err != nil {
				return err
			}
		}
		if len(page) < pageSize {
			return nil
		}
	}
}
