package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"lede"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Frontier is the bbolt-backed queue of URLs to fetch plus the set of URLs already queued in
// the current crawl. It survives kill -9: items popped but never marked Done are handed out
// again after a restart.
//
// Layout: the frontier bucket maps an 8-byte sequence number to the item (FIFO order); the
// frontier_set bucket maps every URL queued since the last Reset to its sequence number. A
// URL stays in the set after Done, so it is not queued twice in one crawl.
//
// Leases are held in memory only: within one process Pop never hands out the same item
// twice, and a new process (a resumed crawl) starts with no leases, so every item not Done
// is handed out again. Pop costs O(items returned) however many items are leased: it keeps a
// scan cursor past the items it has leased and hands out released items from a short list,
// so it never reads a leased item.
type Frontier struct {
	db *DB

	mu       sync.Mutex
	leased   map[string]uint64 // URLs popped and not yet Done in this process → their sequence
	released []uint64          // sequences given back by Release, ascending: Pop hands them out first
	cursor   uint64            // items before this sequence are leased, released or done; none after it is
	reads    int               // queue entries Pop has read, for tests: leased ones must not be read
}

// Frontier returns the persistent crawl frontier kept in this store. Every call returns the
// same Frontier, so leases are shared by all users of the DB.
func (db *DB) Frontier() *Frontier {
	db.frontierOnce.Do(func() { db.frontier = &Frontier{db: db, leased: map[string]uint64{}} })
	return db.frontier
}

// Push queues items whose URL was not queued before in this crawl; it returns how many were new.
// URLs are taken as given: the caller normalises them.
func (f *Frontier) Push(ctx context.Context, items ...lede.QueueItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	bufs := make([][]byte, len(items))
	for i, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return 0, fmt.Errorf("encode queue item %s: %w", it.URL, err)
		}
		bufs[i] = b
	}
	added := 0
	err := f.db.batch(ctx, func(tx *bolt.Tx) error {
		added = 0
		queue, set := tx.Bucket(bucketQueue), tx.Bucket(bucketQueued)
		for i, it := range items {
			if it.URL == "" || set.Get([]byte(it.URL)) != nil {
				continue
			}
			seq, err := queue.NextSequence()
			if err != nil {
				return err
			}
			if err := queue.Put(u64(seq), bufs[i]); err != nil {
				return err
			}
			if err := set.Put([]byte(it.URL), u64(seq)); err != nil {
				return err
			}
			added++
		}
		return addCount(tx, countQueue, int64(added))
	})
	if err != nil {
		return 0, fmt.Errorf("frontier push: %w", err)
	}
	return added, nil
}

// Pop leases up to max queued items that are not already leased by this process: first the
// items given back by Release, oldest first, then the following items in FIFO order.
// It returns an empty slice when every queued item is leased or the queue is empty.
func (f *Frontier) Pop(ctx context.Context, max int) ([]lede.QueueItem, error) {
	if max <= 0 {
		return nil, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []lede.QueueItem
	var seqs []uint64
	released, cursor, reads := f.released, f.cursor, 0
	err := f.db.view(ctx, func(tx *bolt.Tx) error {
		queue := tx.Bucket(bucketQueue)
		take := func(seq uint64, v []byte) error {
			reads++
			var it lede.QueueItem
			if err := json.Unmarshal(v, &it); err != nil {
				return &badValue{fmt.Sprintf("queue item %d", seq), err}
			}
			out = append(out, it)
			seqs = append(seqs, seq)
			return nil
		}
		for len(released) > 0 && len(out) < max {
			seq := released[0]
			released = released[1:]
			if v := queue.Get(u64(seq)); v != nil { // nil: Done since it was released
				if err := take(seq, v); err != nil {
					return err
				}
			}
		}
		c := queue.Cursor()
		for k, v := c.Seek(u64(cursor)); k != nil && len(out) < max; k, v = c.Next() {
			seq := binary.BigEndian.Uint64(k)
			if err := take(seq, v); err != nil {
				return err
			}
			cursor = seq + 1
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("frontier pop: %w", err)
	}
	for i, it := range out {
		f.leased[it.URL] = seqs[i]
	}
	f.released, f.cursor = released, cursor
	f.reads += reads
	return out, nil
}

// Done removes url from the queue and releases its lease; it stays in the queued-set until
// Reset. Done on a URL that is not queued is a no-op.
func (f *Frontier) Done(ctx context.Context, url string) error {
	err := f.db.batch(ctx, func(tx *bolt.Tx) error {
		seq := tx.Bucket(bucketQueued).Get([]byte(url))
		queue := tx.Bucket(bucketQueue)
		if seq == nil || queue.Get(seq) == nil {
			return nil
		}
		if err := addCount(tx, countQueue, -1); err != nil {
			return err
		}
		return queue.Delete(seq)
	})
	if err != nil {
		return fmt.Errorf("frontier done %s: %w", url, err)
	}
	f.mu.Lock()
	delete(f.leased, url)
	f.mu.Unlock()
	return nil
}

// Release gives back the lease on url without removing it, so that Pop hands it out again
// before newer items (for example after a fetch was cancelled by shutdown). Release of a URL
// this process has not leased is a no-op.
func (f *Frontier) Release(url string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seq, ok := f.leased[url]
	if !ok {
		return
	}
	delete(f.leased, url)
	i, _ := slices.BinarySearch(f.released, seq)
	f.released = slices.Insert(f.released, i, seq)
}

// Len is the number of items still queued (leased or not).
func (f *Frontier) Len(ctx context.Context) (int, error) {
	n := 0
	err := f.db.view(ctx, func(tx *bolt.Tx) error {
		n = getCount(tx, countQueue)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("frontier length: %w", err)
	}
	return n, nil
}

// Seen reports whether url was queued in the current crawl (pending or done).
func (f *Frontier) Seen(ctx context.Context, url string) (bool, error) {
	seen := false
	err := f.db.view(ctx, func(tx *bolt.Tx) error {
		seen = tx.Bucket(bucketQueued).Get([]byte(url)) != nil
		return nil
	})
	return seen, err
}

// Reset empties the queue and the queued-set, ending the current crawl.
func (f *Frontier) Reset(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.db.batch(ctx, func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketQueue, bucketQueued} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketCounts).Delete(countQueue)
	})
	if err != nil {
		return fmt.Errorf("frontier reset: %w", err)
	}
	f.leased, f.released, f.cursor = map[string]uint64{}, nil, 0
	return nil
}
