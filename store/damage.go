package store

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrCorrupt means the file is a bbolt file (a lede store, or meant to be one) whose pages
// are damaged: cut short, or with bytes changed. Errors wrapping it are *CorruptError and
// name the file. A damaged file is never written to.
var ErrCorrupt = errors.New("store file is damaged")

// CorruptError reports a damaged store file: what is wrong and where.
type CorruptError struct {
	Path    string // the store file
	Problem string // what was found, e.g. "the file has 20000 bytes but its pages reach 131072 (cut short?)"
}

func (e *CorruptError) Error() string { return e.Path + " is damaged: " + e.Problem }
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// Reading and writing a damaged file.
//
// bbolt trusts the file it maps: a page cut off by a truncation or a flipped byte in a page
// header makes it panic with an assertion, or fault on memory past the end of the file,
// which would kill the process. Open checks what it cheaply can (meta pages, the file's size
// against the pages they claim, the freelist); the rest is caught at the API boundary: every
// transaction runs with panic-on-fault set on its goroutine and a recover that turns the
// panic into a *CorruptError. The first such error marks the DB damaged: every later call
// returns it, so no write reaches a file known to be damaged.

// badValue reports a stored value lede cannot decode (what names it: "article 9f2c…",
// "fetch record of https://…"). lede encoded every value it stored, so one it cannot read
// back had bytes changed in the file, where bbolt keeps no checksum of values: guarded
// turns it into the DB's damage report, as it does a damaged page.
type badValue struct {
	what string
	err  error
}

func (e *badValue) Error() string { return e.what + " cannot be decoded: " + e.err.Error() }
func (e *badValue) Unwrap() error { return e.err }

// markDamaged records that the file is damaged (the first report wins) and returns the
// report every later call gets.
func (db *DB) markDamaged(problem string) *CorruptError {
	ce := &CorruptError{Path: db.path, Problem: problem}
	if db.damaged.CompareAndSwap(nil, ce) {
		return ce
	}
	return db.damaged.Load()
}

// usable returns why the DB must not be used now: a cancelled ctx, or damage found earlier.
func (db *DB) usable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ce := db.damaged.Load(); ce != nil {
		return ce
	}
	return nil
}

// view runs fn in a read transaction after checking ctx and the DB's health.
func (db *DB) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	return db.guarded(ctx, "reading it", func() error {
		return db.bolt.View(func(tx *bolt.Tx) error {
			err := fn(tx)
			db.releaseIfDue(tx)
			return err
		})
	})
}

// update runs fn in a write transaction of its own, committed (and synced) when fn returns
// nil. A panic while fn runs or while the transaction commits rolls it back: bbolt writes
// the pages and then the meta page only at the end of a commit.
func (db *DB) update(ctx context.Context, fn func(*bolt.Tx) error) error {
	err := db.guarded(ctx, "writing it", func() error { return db.bolt.Update(fn) })
	if db.releaseDue() {
		// Give back what the transaction read and what its commit touched (it rewrites
		// every changed page).
		_ = db.bolt.View(func(tx *bolt.Tx) error { db.release(tx); return nil })
	}
	return err
}

// releaseDue reports whether the mapped pages should be released now: the process's
// file-backed resident memory has grown by mappedBudget since the last release. Only one of
// the transactions that find it so at the same moment is told yes.
func (db *DB) releaseDue() bool {
	now := fileResident()
	if now < 0 {
		return false
	}
	last := db.residentAfterRelease.Load()
	return now-last >= mappedBudget && db.residentAfterRelease.CompareAndSwap(last, now)
}

// release gives back the mapped pages (inside transaction tx) and notes the resident size
// left, from which the next release is counted.
func (db *DB) release(tx *bolt.Tx) {
	releaseMapped(db.bolt, tx)
	if r := fileResident(); r >= 0 {
		db.residentAfterRelease.Store(r)
	}
}

// releaseIfDue releases the mapped pages inside tx when releaseDue says so.
func (db *DB) releaseIfDue(tx *bolt.Tx) {
	if db.releaseDue() {
		db.release(tx)
	}
}

// guarded runs a transaction after checking ctx and the DB's health, with panic-on-fault
// set on this goroutine, and turns a panic out of bbolt (or out of our decoding of what it
// returned), or a value that cannot be decoded (badValue), into the DB's damage report.
// bbolt's View and Update roll the transaction back as the panic or the error leaves them.
func (db *DB) guarded(ctx context.Context, doing string, tx func() error) (err error) {
	if err := db.usable(ctx); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = db.markDamaged(fmt.Sprintf("%s failed: %v", doing, r))
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	err = tx()
	var bad *badValue
	if errors.As(err, &bad) {
		return db.markDamaged(bad.Error())
	}
	return err
}

// batch runs fn in a shared write transaction after checking ctx. fn may run more than
// once, so it must only touch the transaction and reset any result it reports.
//
// A lone writer (no other write in flight) commits at once instead of waiting for company
// that will not come; concurrent writers share transactions, at most WithBatch's size,
// started at most its delay after the first joined. This is bbolt's DB.Batch, except that
// the shared transaction commits through update, so a damaged page fails the writes
// instead of killing the process from bbolt's timer goroutine.
func (db *DB) batch(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := db.usable(ctx); err != nil {
		return err
	}
	n := db.writers.Add(1)
	defer db.writers.Add(-1)
	if n == 1 {
		return db.update(ctx, fn)
	}
	errc := make(chan error, 1)
	db.batchMu.Lock()
	b := db.pending
	if b == nil || len(b.calls) >= db.batchSize {
		b = &writeBatch{}
		b.timer = time.AfterFunc(db.batchDelay, func() { db.runBatch(b) })
		db.pending = b
	}
	b.calls = append(b.calls, batchCall{fn: fn, errc: errc})
	if len(b.calls) >= db.batchSize {
		go db.runBatch(b)
	}
	db.batchMu.Unlock()

	err := <-errc
	if errors.Is(err, errTrySolo) {
		err = db.update(ctx, fn)
	}
	return err
}

// errTrySolo tells a batched write that its function failed and must run again on its own,
// so that its error is its own and the other writes of the batch still commit.
var errTrySolo = errors.New("batched write failed: run it alone")

// writeBatch is a set of writes to commit in one transaction.
type writeBatch struct {
	timer *time.Timer
	start sync.Once
	calls []batchCall
}

type batchCall struct {
	fn   func(*bolt.Tx) error
	errc chan<- error
}

// runBatch commits b's writes together. A write whose function fails is taken out and told
// to run alone; the others are tried again without it.
func (db *DB) runBatch(b *writeBatch) {
	b.start.Do(func() {
		db.batchMu.Lock()
		b.timer.Stop()
		if db.pending == b {
			db.pending = nil
		}
		db.batchMu.Unlock()

		calls := b.calls
		for len(calls) > 0 {
			failed := -1
			err := db.update(context.Background(), func(tx *bolt.Tx) error {
				for i, c := range calls {
					if err := c.fn(tx); err != nil {
						failed = i
						return err
					}
					db.releaseIfDue(tx) // the writer cannot remap before this transaction commits
				}
				return nil
			})
			if failed >= 0 && !errors.Is(err, ErrCorrupt) {
				calls[failed].errc <- errTrySolo
				calls = append(calls[:failed], calls[failed+1:]...)
				continue
			}
			for _, c := range calls {
				c.errc <- err
			}
			return
		}
	})
}
