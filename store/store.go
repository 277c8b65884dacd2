package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the bucket layout this package writes. A file whose meta
// bucket records a higher version was written by a newer lede and is refused.
const SchemaVersion = 1

var (
	// ErrLocked means another process holds the file. The error returned by Open wraps it
	// with the file name: "<path> is locked by another lede process".
	ErrLocked = errors.New("locked by another lede process")
	// ErrNotFound means there is no such article or record.
	ErrNotFound = errors.New("not found")
	// ErrMissing means the file does not exist and MustExist (or ReadOnly) was given.
	ErrMissing = errors.New("store file does not exist")
	// ErrNotStore means the file exists but is not a lede store: not a bbolt file, a corrupt
	// one, or a bbolt file written by another program. Such a file is never modified.
	ErrNotStore = errors.New("not a lede store")
	// ErrNewerSchema means the file was written by a newer version of lede.
	ErrNewerSchema = errors.New("written by a newer lede")
)

// missingError is ErrMissing naming the file: "<path> does not exist".
type missingError struct{ path string }

func (e *missingError) Error() string { return e.path + " does not exist" }
func (e *missingError) Unwrap() error { return ErrMissing }

// Bucket names. Every bucket lives at the top level of the file; see doc.go for the layout.
var (
	bucketMeta         = []byte("meta")
	bucketArticles     = []byte("articles")     // id → articleRecord (JSON)
	bucketRaw          = []byte("raw")          // id → gzip(original page bytes)
	bucketByURL        = []byte("idx_url")      // normalised URL (canonical, fetched, alias) → id
	bucketByHash       = []byte("idx_hash")     // content hash → id
	bucketByTime       = []byte("idx_time")     // timeKey(published, else first-seen) + id → nil
	bucketBySeen       = []byte("idx_seen")     // timeKey(first-seen) + id → nil
	bucketBySite       = []byte("idx_site")     // site + 0x00 + timeKey(published/first-seen) + id → nil
	bucketBySimHash    = []byte("idx_simhash")  // band byte + 16-bit band value + id → SimHash
	bucketCounts       = []byte("counts")       // "site\x00<site>" / "lang\x00<lang>" → article count; "n\x00raw" etc. → totals
	bucketFetch        = []byte("fetch")        // URL → FetchRecord (JSON)
	bucketQueue        = []byte("frontier")     // seq → QueueItem (JSON)
	bucketQueued       = []byte("frontier_set") // URL → seq, every URL queued in the current crawl
	bucketChrome       = []byte("chrome")       // host → sub-bucket of fingerprint counts
	allBuckets         = [][]byte{bucketMeta, bucketArticles, bucketRaw, bucketByURL, bucketByHash, bucketByTime, bucketBySeen, bucketBySite, bucketBySimHash, bucketCounts, bucketFetch, bucketQueue, bucketQueued, bucketChrome}
	metaSchemaKey      = []byte("schema")
	metaCreatedKey     = []byte("created")
	defaultLockTimeout = 2 * time.Second
)

// DB is an open lede store: one bbolt file holding articles, their indexes, the raw pages,
// the crawl state (frontier and fetch records) and the learned page chrome of each host.
//
// A DB is safe for concurrent use. Writes from concurrent goroutines are committed together
// (bbolt's Batch): many articles per transaction, each commit synced to disk.
type DB struct {
	bolt *bolt.DB
	path string

	frontierOnce sync.Once
	frontier     *Frontier

	chromeCap int
	writers   atomic.Int64 // writes in flight, to skip the batch delay for a lone writer
	writes    atomic.Int64 // articles written in transactions, to release mapped pages every few
	committed atomic.Int64 // articles committed, likewise
}

// Option configures Open.
type Option func(*options)

type options struct {
	timeout    time.Duration
	readOnly   bool
	mustExist  bool
	batchDelay time.Duration
	batchSize  int
	chromeCap  int
}

// WithTimeout bounds the wait for the file lock (default 2s). A zero or negative duration
// keeps the default: lede never waits forever.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// ReadOnly opens the file for reading only. It implies MustExist: a missing file is ErrMissing.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// MustExist makes Open fail with ErrMissing instead of creating the file.
func MustExist() Option { return func(o *options) { o.mustExist = true } }

// WithBatch tunes write batching: concurrent writes wait at most delay for company and a
// transaction holds at most size writes. Defaults are bbolt's (10ms, 1000).
func WithBatch(delay time.Duration, size int) Option {
	return func(o *options) { o.batchDelay, o.batchSize = delay, size }
}

// WithChromeCap bounds how many block fingerprints are kept per host for learned chrome
// (default 2048); when a host exceeds it, its rarest fingerprints are evicted.
func WithChromeCap(n int) Option { return func(o *options) { o.chromeCap = n } }

// Open opens or creates the store at path.
//
// A file held by another process makes Open fail within the lock timeout with an error that
// wraps ErrLocked and reads "<path> is locked by another lede process". A file that is not a
// lede store is reported (ErrNotStore) and left untouched; a file written by a newer schema
// is refused (ErrNewerSchema).
func Open(path string, opts ...Option) (*DB, error) {
	o := options{timeout: defaultLockTimeout, chromeCap: defaultChromeCap}
	for _, opt := range opts {
		opt(&o)
	}
	if o.timeout <= 0 {
		o.timeout = defaultLockTimeout
	}
	if o.chromeCap <= 0 {
		o.chromeCap = defaultChromeCap
	}

	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if o.mustExist || o.readOnly {
			return nil, &missingError{path}
		}
	case err != nil:
		return nil, fmt.Errorf("open store %s: %w", path, err)
	case info.IsDir():
		return nil, fmt.Errorf("%s is a directory: %w", path, ErrNotStore)
	case info.Size() == 0 && o.readOnly:
		return nil, fmt.Errorf("%s is empty: %w", path, ErrNotStore)
	case info.Size() > 0:
		if err := checkMagic(path); err != nil {
			return nil, err
		}
	}

	b, err := bolt.Open(path, 0o644, &bolt.Options{
		Timeout:      o.timeout,
		ReadOnly:     o.readOnly,
		FreelistType: bolt.FreelistMapType,
	})
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, fmt.Errorf("%s is %w", path, ErrLocked)
		case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
		// Anything else is bbolt refusing the file's contents (bad meta, checksum, version).
		return nil, fmt.Errorf("%s is corrupt or not a lede store (%w): %w", path, err, ErrNotStore)
	}
	if o.batchDelay > 0 {
		b.MaxBatchDelay = o.batchDelay
	}
	if o.batchSize > 0 {
		b.MaxBatchSize = o.batchSize
	}
	db := &DB{bolt: b, path: path, chromeCap: o.chromeCap}
	if err := db.checkSchema(o.readOnly); err != nil {
		_ = b.Close()
		return nil, err
	}
	return db, nil
}

// boltMagic is the number bbolt writes at the start of its meta pages (in native byte order).
const boltMagic = 0xED0CDAED

// checkMagic reads the head of an existing file and reports ErrNotStore unless it starts
// with a bbolt meta page. bbolt itself would reject some such files with unclear errors.
func checkMagic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	defer f.Close()
	var head [20]byte // page header (16 bytes), then the meta's magic
	if _, err := io.ReadFull(f, head[:]); err != nil ||
		(binary.LittleEndian.Uint32(head[16:]) != boltMagic && binary.BigEndian.Uint32(head[16:]) != boltMagic) {
		return fmt.Errorf("%s is not a bbolt file: %w", path, ErrNotStore)
	}
	return nil
}

// checkSchema verifies the meta bucket and, for a writable file, creates the buckets of a
// fresh file. A bbolt file with buckets but no meta bucket belongs to another program.
func (db *DB) checkSchema(readOnly bool) error {
	verify := func(tx *bolt.Tx) (fresh bool, err error) {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return false, fmt.Errorf("%s is a bbolt file without lede's meta bucket: %w", db.path, ErrNotStore)
			}
			return true, nil
		}
		v, err := strconv.Atoi(string(meta.Get(metaSchemaKey)))
		if err != nil {
			return false, fmt.Errorf("%s: bad schema version %q: %w", db.path, meta.Get(metaSchemaKey), ErrNotStore)
		}
		if v > SchemaVersion {
			return false, fmt.Errorf("%s: schema version %d, this lede reads up to %d: %w", db.path, v, SchemaVersion, ErrNewerSchema)
		}
		return false, nil
	}
	if readOnly {
		return db.bolt.View(func(tx *bolt.Tx) error {
			fresh, err := verify(tx)
			if err == nil && fresh {
				err = fmt.Errorf("%s has no lede data: %w", db.path, ErrNotStore)
			}
			return err
		})
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		fresh, err := verify(tx)
		if err != nil {
			return err
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		if fresh {
			meta := tx.Bucket(bucketMeta)
			if err := meta.Put(metaSchemaKey, []byte(strconv.Itoa(SchemaVersion))); err != nil {
				return err
			}
			return meta.Put(metaCreatedKey, []byte(time.Now().UTC().Format(time.RFC3339)))
		}
		return nil
	})
}

// Path returns the file name the store was opened from.
func (db *DB) Path() string { return db.path }

// Close closes the file, releasing the lock.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", db.path, err)
	}
	return nil
}

// Check runs bbolt's consistency check over the whole file and returns the first problem.
func (db *DB) Check(ctx context.Context) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			if err != nil {
				return fmt.Errorf("check %s: %w", db.path, err)
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		return nil
	})
}

// batch runs fn in a shared write transaction after checking ctx. fn may run more than
// once, so it must only touch the transaction and reset any result it reports.
//
// A lone writer (no other write in flight) commits at once instead of waiting
// MaxBatchDelay for company that will not come; concurrent writers share transactions.
func (db *DB) batch(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n := db.writers.Add(1)
	defer db.writers.Add(-1)
	if n == 1 {
		return db.bolt.Update(fn)
	}
	return db.bolt.Batch(fn)
}

// releaseEveryWrites is how many articles the writer stores between releases of the mapped
// file pages it has read (see releaseMapped). Each article reads a dozen pages of indexes at
// random, and the kernel maps up to 64 kB around each; releasing every few articles, even in
// the middle of a batch, keeps a long import's resident set flat. A release costs a walk of
// the map's page tables, microseconds.
const releaseEveryWrites = 8

// view runs fn in a read transaction after checking ctx.
func (db *DB) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.View(fn)
}

// u64 encodes n as 8 big-endian bytes, so that byte order is numeric order.
func u64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// timeKey encodes t as 8 bytes ordered like time (seconds, sign bit flipped so that dates
// before 1970 sort first). The zero time sorts before every real date.
func timeKey(t time.Time) []byte {
	if t.IsZero() {
		return u64(0)
	}
	return u64(uint64(t.Unix()) ^ (1 << 63))
}

// keyTime decodes timeKey.
func keyTime(k []byte) time.Time {
	n := binary.BigEndian.Uint64(k)
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(int64(n^(1<<63)), 0).UTC()
}
