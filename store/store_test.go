package store

import (
	"context"
	"errors"
	"fmt"
	"lede"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openTemp opens a fresh store in a test directory and closes it when the test ends.
func openTemp(t testing.TB, opts ...Option) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lede.db")
	db, err := Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestOpenMissingDoesNotCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	for _, opt := range []Option{MustExist(), ReadOnly()} {
		_, err := Open(path, opt)
		if !errors.Is(err, ErrMissing) {
			t.Fatalf("Open missing: err = %v, want ErrMissing", err)
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name %s", err, path)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("Open created %s", path)
		}
	}
}

func TestOpenForeignFileIsNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.db")
	content := []byte(strings.Repeat("not a database\n", 400))
	if err := os.WriteFile(text, content, 0o644); err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.db")
	if err := os.WriteFile(short, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{text, short} {
		_, err := Open(p)
		if !errors.Is(err, ErrNotStore) {
			t.Fatalf("Open(%s): err = %v, want ErrNotStore", p, err)
		}
	}
	if got, _ := os.ReadFile(text); string(got) != string(content) {
		t.Fatal("foreign file was modified")
	}

	// A bbolt file of another program: buckets, no meta.
	other := filepath.Join(dir, "other.db")
	b, err := bolt.Open(other, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("users")); return err })
	b.Close()
	if _, err := Open(other); !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), "meta") {
		t.Fatalf("Open(foreign bbolt): err = %v, want ErrNotStore naming the meta bucket", err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	db, path := openTemp(t)
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaSchemaKey, []byte("99")) })
	db.Close()
	_, err := Open(path)
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "99") {
		t.Fatalf("err = %v, want ErrNewerSchema naming version 99", err)
	}
}

func TestLockedInProcess(t *testing.T) {
	_, path := openTemp(t)
	_, err := Open(path, WithTimeout(100*time.Millisecond))
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	if want := path + " is locked by another lede process"; err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
}

func TestFetchRecords(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	if _, ok, err := db.GetFetch(ctx, "https://a.test/x"); ok || err != nil {
		t.Fatalf("GetFetch on empty store: ok=%v err=%v", ok, err)
	}
	rec := lede.FetchRecord{URL: "https://a.test/x", Status: 200, ETag: `"v1"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT",
		Kind: "hub", LastFetch: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Feeds: []string{"https://a.test/rss"}}
	if err := db.PutFetch(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, ok, err := db.GetFetch(ctx, rec.URL)
	if err != nil || !ok || !reflect.DeepEqual(got, rec) {
		t.Fatalf("GetFetch = %+v, %v, %v; want %+v", got, ok, err, rec)
	}
	rec.Status = 304
	db.PutFetch(ctx, rec)
	db.PutFetch(ctx, lede.FetchRecord{URL: "https://a.test/y", Kind: "article"})
	if n, _ := db.FetchCount(ctx); n != 2 {
		t.Fatalf("FetchCount = %d, want 2", n)
	}
	if got, _, _ := db.GetFetch(ctx, rec.URL); got.Status != 304 {
		t.Fatalf("second PutFetch did not replace the record: %+v", got)
	}
}

// TestFetchRecordsByPrefix: the records under a URL prefix come back in URL order, all of
// them across the walk's read pages, and none from outside the prefix.
func TestFetchRecordsByPrefix(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	const n = 1200 // more than two read pages
	var wg sync.WaitGroup
	for w := range 50 { // concurrent writers share batched transactions: a quick fill
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 50 {
				for _, host := range []string{"https://a.test/", "https://a.test.other/", "https://b.test/"} {
					rec := lede.FetchRecord{URL: fmt.Sprintf("%s%05d", host, i), Kind: "hub", Depth: 2, Recheck: time.Hour}
					if err := db.PutFetch(ctx, rec); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	var got []lede.FetchRecord
	if err := db.FetchRecords(ctx, "https://a.test/", func(r lede.FetchRecord) error {
		got = append(got, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("FetchRecords gave %d records, want %d", len(got), n)
	}
	for i, r := range got {
		if want := fmt.Sprintf("https://a.test/%05d", i); r.URL != want || r.Depth != 2 || r.Recheck != time.Hour {
			t.Fatalf("record %d is %+v, want %s with its depth and recheck", i, r, want)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := db.FetchRecords(ctx, "https://b.test/", func(lede.FetchRecord) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("FetchRecords after fn failed: %v after %d calls, want fn's error after 1", err, calls)
	}
}

func TestFrontier(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	f := db.Frontier()
	n, err := f.Push(ctx, lede.QueueItem{URL: "u1"}, lede.QueueItem{URL: "u2", Kind: "feed"}, lede.QueueItem{URL: "u1"}, lede.QueueItem{URL: "u3"})
	if err != nil || n != 3 {
		t.Fatalf("Push = %d, %v; want 3 new", n, err)
	}
	got, _ := f.Pop(ctx, 2)
	if len(got) != 2 || got[0].URL != "u1" || got[1].URL != "u2" || got[1].Kind != "feed" {
		t.Fatalf("Pop(2) = %+v, want u1, u2 in order", got)
	}
	got, _ = f.Pop(ctx, 5)
	if len(got) != 1 || got[0].URL != "u3" {
		t.Fatalf("second Pop = %+v, want only u3 (u1, u2 leased)", got)
	}
	f.Release("u2") // a cancelled fetch: u2 is handed out again, before newer items
	if n, _ := f.Push(ctx, lede.QueueItem{URL: "u4"}); n != 1 {
		t.Fatal("Push u4 failed")
	}
	got, _ = f.Pop(ctx, 5)
	if len(got) != 2 || got[0].URL != "u2" || got[1].URL != "u4" {
		t.Fatalf("Pop after Release = %+v, want u2, u4", got)
	}
	if got, _ = f.Pop(ctx, 5); len(got) != 0 {
		t.Fatalf("Pop with everything leased = %+v, want none", got)
	}
	f.Done(ctx, "u4")
	if err := f.Done(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.Push(ctx, lede.QueueItem{URL: "u1"}); n != 0 {
		t.Fatalf("re-Push of a done URL added %d, want 0 until Reset", n)
	}
	if l, _ := f.Len(ctx); l != 2 {
		t.Fatalf("Len = %d, want 2", l)
	}

	// A restart: leases are gone, everything not Done is handed out again.
	db.Close()
	db2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	got, _ = db2.Frontier().Pop(ctx, 10)
	if len(got) != 2 || got[0].URL != "u2" || got[1].URL != "u3" {
		t.Fatalf("Pop after restart = %+v, want u2, u3", got)
	}
	if err := db2.Frontier().Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if l, _ := db2.Frontier().Len(ctx); l != 0 {
		t.Fatalf("Len after Reset = %d", l)
	}
	if n, _ := db2.Frontier().Push(ctx, lede.QueueItem{URL: "u1"}); n != 1 {
		t.Fatalf("Push after Reset added %d, want 1", n)
	}
}

func TestOpenCorruptFileIsReported(t *testing.T) {
	db, path := openTemp(t)
	db.Close()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := os.Getpagesize()
	for _, meta := range []int{0, pageSize} { // both meta pages: damage the txid, keep the magic
		for i := meta + 16 + 48; i < meta+16+56; i++ {
			content[i] ^= 0xff
		}
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, WithTimeout(200*time.Millisecond))
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open(corrupt) err = %v, want ErrCorrupt naming the file", err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(content) {
		t.Fatal("Open modified the corrupt file")
	}
}
