package store

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// AddBlockCounts counts several pages of host at once, in one transaction: the page count
// goes up by pages and the count of each fingerprint by its value in counts (the number of
// those pages it was on, at most pages). It is AddPageBlocks for a batch of pages: the
// crawler gathers a few pages of a host before writing their counts.
func (db *DB) AddBlockCounts(ctx context.Context, host string, pages int, counts map[uint64]int) error {
	host = NormalizeSite(host)
	if host == "" {
		return fmt.Errorf("chrome counts: no host")
	}
	if pages <= 0 {
		return nil
	}
	limit := db.chromeCap
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketChrome).CreateBucketIfNotExists([]byte(host))
		if err != nil {
			return err
		}
		if err := b.Put(chromePagesKey, u64(getU64(b.Get(chromePagesKey))+uint64(pages))); err != nil {
			return err
		}
		entries := getU64(b.Get(chromeEntriesKey))
		for fp, n := range counts {
			if n <= 0 {
				continue
			}
			k := u64(fp)
			old := getU64(b.Get(k))
			if old == 0 {
				entries++
			}
			if err := b.Put(k, u64(old+uint64(min(n, pages)))); err != nil {
				return err
			}
		}
		if entries > uint64(limit) {
			evicted, err := evictRarest(b, int(entries)-limit*3/4)
			if err != nil {
				return err
			}
			entries -= uint64(evicted)
		}
		return b.Put(chromeEntriesKey, u64(entries))
	})
	if err != nil {
		return fmt.Errorf("chrome counts of %s: %w", host, err)
	}
	return nil
}
