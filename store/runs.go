package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxRuns is how many crawl runs the runs bucket keeps; older ones are dropped as new ones
// come (a run every 15 minutes: ten days).
const maxRuns = 1000

// Run is the record of one crawl run: when it started and its summary line (the crawler's
// JSON, kept as written: the store does not interpret it).
type Run struct {
	Started time.Time       `json:"started"`
	Summary json.RawMessage `json:"summary"`
}

// PutRun records a crawl run that started at started and ended with summary (a JSON
// object). The last 1,000 runs are kept.
func (db *DB) PutRun(ctx context.Context, started time.Time, summary []byte) error {
	if !json.Valid(summary) {
		return fmt.Errorf("record crawl run: summary is not JSON")
	}
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketRuns)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		// The key orders by start time; the sequence keeps two runs of the same second apart.
		if err := b.Put(concat(timeKey(started), u64(seq)), summary); err != nil {
			return err
		}
		// Drop the oldest runs past maxRuns (a walk of a thousand small keys).
		n := 0
		c := b.Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			if n++; n > maxRuns {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record crawl run in %s: %w", db.path, err)
	}
	return nil
}

// Runs returns the last n crawl runs recorded by PutRun, newest first.
func (db *DB) Runs(ctx context.Context, n int) ([]Run, error) {
	var runs []Run
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRuns)
		if b == nil {
			return nil // a store no crawl has run on since runs were recorded
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(runs) < n; k, v = c.Prev() {
			runs = append(runs, Run{Started: keyTime(k[:8]), Summary: append(json.RawMessage(nil), v...)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawl runs in %s: %w", db.path, err)
	}
	return runs, nil
}
