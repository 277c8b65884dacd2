package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the bucket layout this package writes. A file whose meta
// bucket records a higher version was written by a newer lede and is refused; one of a lower
// version is upgraded once, when it is first opened for writing (see migrate.go).
const SchemaVersion = 2

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
	bucketArticles     = []byte("articles")      // id → articleRecord (JSON)
	bucketRaw          = []byte("raw")           // id → gzip(original page bytes)
	bucketByURL        = []byte("idx_url")       // normalised URL (canonical, fetched, alias) → id
	bucketByHash       = []byte("idx_hash")      // content hash → id
	bucketByTime       = []byte("idx_time")      // timeKey(published, else first-seen) + id → nil
	bucketBySeen       = []byte("idx_seen")      // timeKey(first-seen) + id → nil
	bucketBySite       = []byte("idx_site")      // site + 0x00 + timeKey(published/first-seen) + id → nil
	bucketBySimHash    = []byte("idx_simhash")   // band byte + 16-bit band value + id → SimHash
	bucketCounts       = []byte("counts")        // "site\x00<site>" / "lang\x00<lang>" → article count; "n\x00raw" etc. → totals
	bucketFetch        = []byte("fetch")         // URL → FetchRecord (JSON)
	bucketQueue        = []byte("frontier")      // seq → QueueItem (JSON)
	bucketQueued       = []byte("frontier_set")  // URL → seq, every URL queued in the current crawl
	bucketChrome       = []byte("chrome")        // host → sub-bucket of fingerprint counts
	bucketTemplates    = []byte("url_templates") // host → sub-bucket of URL template → article and front counts
	bucketHubPages     = []byte("hub_pages")     // site → sub-bucket of URL → time + gzip(raw page) of doubtful fronts
	bucketRuns         = []byte("runs")          // timeKey(start) + sequence → a crawl run's summary (JSON)
	allBuckets         = [][]byte{bucketMeta, bucketArticles, bucketRaw, bucketByURL, bucketByHash, bucketByTime, bucketBySeen, bucketBySite, bucketBySimHash, bucketCounts, bucketFetch, bucketQueue, bucketQueued, bucketChrome, bucketTemplates, bucketHubPages, bucketRuns}
	metaSchemaKey      = []byte("schema")
	metaCreatedKey     = []byte("created")
	metaHubsCountedKey = []byte("hubs-counted")
	defaultLockTimeout = 2 * time.Second
)

// DB is an open lede store: one bbolt file holding articles, their indexes, the raw pages,
// the crawl state (frontier and fetch records) and the learned page chrome of each host.
//
// A DB is safe for concurrent use. Writes from concurrent goroutines are committed together
// (batch): many articles per transaction, each commit synced to disk.
type DB struct {
	bolt     *bolt.DB
	path     string
	readOnly bool
	damaged  atomic.Pointer[CorruptError] // set once damage is found: every later call fails with it

	batchMu    sync.Mutex
	pending    *writeBatch // the batch that writes join, until it is full or starts
	batchDelay time.Duration
	batchSize  int

	frontierOnce sync.Once
	frontier     *Frontier

	chromeCap int
	writers   atomic.Int64 // writes in flight, to skip the batch delay for a lone writer
	// residentAfterRelease is the process's file-backed resident memory after the last
	// release of the mapped pages, in bytes (see releaseDue).
	residentAfterRelease atomic.Int64
}

// Option configures Open.
type Option func(*options)

type options struct {
	timeout      time.Duration
	readOnly     bool
	mustExist    bool
	batchDelay   time.Duration
	batchSize    int
	chromeCap    int
	allowDamaged bool
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

// AllowDamaged opens a damaged file anyway, read-only, so that Check can list what is wrong
// with it (lede stats --check); every other method then fails with the damage Open found.
// A file bbolt cannot open at all (both meta pages damaged) still fails to open.
func AllowDamaged() Option { return func(o *options) { o.allowDamaged = true } }

// WithChromeCap bounds how many block fingerprints are kept per host for learned chrome
// (default 2048); when a host exceeds it, its rarest fingerprints are evicted.
func WithChromeCap(n int) Option { return func(o *options) { o.chromeCap = n } }

// Open opens or creates the store at path.
//
// A file held by another process makes Open fail within the lock timeout with an error that
// wraps ErrLocked and reads "<path> is locked by another lede process". A file that is not a
// lede store is reported (ErrNotStore) and left untouched; a file written by a newer schema
// is refused (ErrNewerSchema). A damaged file (see CorruptError) is refused and left
// untouched, unless AllowDamaged asks to open it for Check.
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
	if o.allowDamaged {
		o.readOnly = true
	}
	// Every wait for the lock shares one deadline, so Open gives up within the timeout.
	deadline := time.Now().Add(o.timeout)

	var damage *CorruptError
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
		if damage, err = inspect(path, deadline); err != nil {
			return nil, err
		}
	}
	if damage != nil && !o.allowDamaged {
		return nil, damage
	}

	b, err := openBolt(path, o.readOnly, deadline)
	if err != nil {
		if damage != nil && errors.Is(err, ErrCorrupt) {
			return nil, damage // what inspect found says more than bbolt's refusal
		}
		return nil, err
	}
	db := &DB{bolt: b, path: path, readOnly: o.readOnly, chromeCap: o.chromeCap,
		batchDelay: b.MaxBatchDelay, batchSize: b.MaxBatchSize} // bbolt's defaults: 10ms, 1000
	if o.batchDelay > 0 {
		db.batchDelay = o.batchDelay
	}
	if o.batchSize > 0 {
		db.batchSize = o.batchSize
	}
	if damage != nil {
		db.damaged.Store(damage) // AllowDamaged: only Check may read it
		return db, nil
	}
	if err := db.checkSchema(o.readOnly); err != nil {
		_ = b.Close()
		return nil, err
	}
	return db, nil
}

// inspect checks the file before bbolt maps it (see inspectFile). What looks damaged is
// looked at again while holding the file's shared lock, since another lede may have been
// writing its meta page: only what is still wrong then is damage.
func inspect(path string, deadline time.Time) (*CorruptError, error) {
	var damage *CorruptError
	if err := inspectFile(path); !errors.As(err, &damage) {
		return nil, err // nil, or not a store at all
	}
	b, err := openBolt(path, true, deadline)
	if errors.Is(err, ErrLocked) {
		return nil, err
	}
	if err != nil {
		return damage, nil // bbolt cannot open it either
	}
	defer b.Close()
	if err := inspectFile(path); !errors.As(err, &damage) {
		return nil, err
	}
	return damage, nil
}

// openBolt opens the bbolt file, waiting for its lock until deadline. bbolt reads the meta
// pages and, for writing, the freelist as it opens: a fault or panic there is reported as
// damage, and the file it had opened (and locked) is closed.
func openBolt(path string, readOnly bool, deadline time.Time) (b *bolt.DB, err error) {
	var file *os.File
	defer func() {
		if r := recover(); r != nil {
			if file != nil {
				file.Close()
			}
			b, err = nil, &CorruptError{Path: path, Problem: fmt.Sprintf("opening it failed: %v", r)}
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	b, err = bolt.Open(path, 0o644, &bolt.Options{
		Timeout:      max(time.Until(deadline), time.Millisecond), // 0 would wait forever
		ReadOnly:     readOnly,
		FreelistType: bolt.FreelistMapType,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			file = f
			return f, err
		},
	})
	switch {
	case err == nil:
		return b, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s is %w", path, ErrLocked)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// Anything else is bbolt refusing the file's contents (bad meta, checksum, version).
	return nil, &CorruptError{Path: path, Problem: fmt.Sprintf("bbolt cannot open it: %v", err)}
}

// checkSchema verifies the meta bucket and, for a writable file, creates the buckets of a
// fresh file and upgrades one of an older schema. A bbolt file with buckets but no meta
// bucket belongs to another program.
func (db *DB) checkSchema(readOnly bool) error {
	verify := func(tx *bolt.Tx) (fresh bool, version int, err error) {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return false, 0, fmt.Errorf("%s is a bbolt file without lede's meta bucket: %w", db.path, ErrNotStore)
			}
			return true, SchemaVersion, nil
		}
		v, err := strconv.Atoi(string(meta.Get(metaSchemaKey)))
		if err != nil {
			return false, 0, fmt.Errorf("%s: bad schema version %q: %w", db.path, meta.Get(metaSchemaKey), ErrNotStore)
		}
		if v > SchemaVersion {
			return false, v, fmt.Errorf("%s: schema version %d, this lede reads up to %d: %w", db.path, v, SchemaVersion, ErrNewerSchema)
		}
		return false, v, nil
	}
	ctx := context.Background()
	var fresh, complete bool
	var version int
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		fresh, version, err = verify(tx)
		complete = true
		for _, name := range allBuckets {
			complete = complete && tx.Bucket(name) != nil
		}
		return err
	})
	if errors.Is(err, ErrNotStore) || (err == nil && (fresh || !complete && !readOnly)) {
		// Missing buckets may be damage (a root page that lost its entries, a bucket's name
		// hit) rather than a new file, another program's file or an older store: check
		// every page before saying so, or before adding the buckets. A new file has four.
		if cerr := db.Check(ctx); cerr != nil {
			return cerr
		}
	}
	switch {
	case err != nil:
		return err
	case readOnly && fresh:
		return fmt.Errorf("%s has no lede data: %w", db.path, ErrNotStore)
	case readOnly || complete && version == SchemaVersion:
		return nil // opening a store of this schema never writes to it
	}
	// A new file, one from before a bucket was added, or one of an older schema.
	return db.update(ctx, func(tx *bolt.Tx) error {
		fresh, version, err := verify(tx)
		if err != nil {
			return err
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if fresh {
			if err := meta.Put(metaCreatedKey, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
				return err
			}
		} else if err := migrate(tx, version); err != nil {
			return fmt.Errorf("upgrade %s from schema %d to %d: %w", db.path, version, SchemaVersion, err)
		}
		if err := meta.Put(metaSchemaKey, []byte(strconv.Itoa(SchemaVersion))); err != nil {
			return err
		}
		return countHubs(tx)
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

// Check looks at every page of the file, runs bbolt's consistency check, then decodes every
// stored value (see checkValues). It returns a *CorruptError listing what is wrong (and marks
// the DB damaged), or nil.
//
// The first pass reads the file with plain reads, never through bbolt's memory map, so that
// a damaged file is reported and cannot crash the process; bbolt's check, which runs on a
// goroutine of its own where a fault cannot be caught, only runs on a file that passed it.
// It works on a DB opened with AllowDamaged.
func (db *DB) Check(ctx context.Context) error {
	err := db.exclusive(func() error { return walkFile(ctx, db.path) })
	var ce *CorruptError
	if errors.As(err, &ce) {
		db.markDamaged(ce.Problem)
	}
	if err != nil {
		return err
	}
	if ce := db.damaged.Load(); ce != nil {
		return ce
	}
	err = db.view(ctx, func(tx *bolt.Tx) error {
		var problems []string
		for err := range tx.Check() { // read to the end: the check's goroutine waits on each send
			if err != nil && len(problems) < maxProblemsListed {
				problems = append(problems, err.Error())
			}
		}
		if len(problems) > 0 {
			return db.markDamaged("bbolt's check: " + strings.Join(problems, "; "))
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	return db.checkValues(ctx)
}

// exclusive runs fn while no transaction of this process can commit: the file does not
// change under a walk of its pages. Other processes cannot write while this one holds the
// file (read-only opens share a lock that excludes writers).
func (db *DB) exclusive(fn func() error) error {
	if db.readOnly {
		return fn()
	}
	var err error
	errRollback := errors.New("rollback")
	if uerr := db.bolt.Update(func(*bolt.Tx) error { err = fn(); return errRollback }); uerr != errRollback {
		return uerr
	}
	return err
}

// mappedBudget is how much the process's file-backed resident memory may grow between two
// releases of the store's mapped pages (see releaseMapped). A crawl's and an import's writes
// read index pages at random over a file that grows with the corpus, and the kernel maps up
// to 64 kB around each page read (fault-around), so the resident set grew with the store when
// the pages were released at fixed times (every 50 ms, every 8 writes): a 20,000-article
// crawl peaked 1.15× a 2,000-article one. Releasing on growth instead bounds the store's
// share of the resident set at about this much whatever its size, and a small store, whose
// hot pages stay under the budget, is not made to fault them in again and again. Checked at
// the end of every transaction and after every write of a batch (one read of
// /proc/self/statm, microseconds).
const mappedBudget = 4 << 20

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
