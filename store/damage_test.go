package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"lede"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// damageBase is a real store made once per test binary: articles with raw pages (some
// spanning overflow pages), fetch records, a queue and learned chrome counts, enough for
// every bucket to have branch pages or sub-buckets and the freelist to hold pages.
var damageBase = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "lede-damage-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "base.db")
	db, err := Open(path)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	for i := range 60 {
		a := syntheticArticle(i)
		raw := []byte(a.HTML)
		if i%10 == 0 {
			raw = bytes.Repeat([]byte(fmt.Sprintf("<p>long page %d, paragraph after paragraph</p>\n", i)), 400)
		}
		if _, err := db.PutArticle(ctx, a, raw); err != nil {
			return nil, err
		}
	}
	for i := range 200 {
		rec := lede.FetchRecord{URL: fmt.Sprintf("https://synthetic.example/hub/%d", i), Status: 200, Kind: "hub", ETag: fmt.Sprintf(`"%x"`, i)}
		if err := db.PutFetch(ctx, rec); err != nil {
			return nil, err
		}
	}
	var items []lede.QueueItem
	for i := range 100 {
		items = append(items, lede.QueueItem{URL: fmt.Sprintf("https://synthetic.example/q/%d", i), Kind: "page"})
	}
	if _, err := db.Frontier().Push(ctx, items...); err != nil {
		return nil, err
	}
	if _, err := db.Frontier().Pop(ctx, 30); err != nil {
		return nil, err
	}
	for i := range 30 {
		if err := db.Frontier().Done(ctx, items[i].URL); err != nil {
			return nil, err
		}
	}
	if err := db.AddPageBlocks(ctx, "synthetic.example", []uint64{1, 2, 3, 4, 5}); err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// writeDamaged writes a copy of the base store cut at cut (when 0 < cut < its size) with
// the bytes at each flip's offset xor-ed with its mask, and returns its path and bytes.
func writeDamaged(t testing.TB, cut int, flips map[int]byte) (string, []byte) {
	t.Helper()
	base, err := damageBase()
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Clone(base)
	for off, mask := range flips {
		data[off%len(data)] ^= mask
	}
	if cut > 0 && cut < len(data) {
		data = data[:cut]
	}
	path := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// wantStoreError fails the test unless err is a store error naming path: damage, or (a
// schema value or the meta bucket's name hit) a file that is not a lede store.
func wantStoreError(t testing.TB, doing string, err error, path string) {
	t.Helper()
	var ce *CorruptError
	switch {
	case errors.As(err, &ce) && ce.Path == path && strings.Contains(err.Error(), path):
	case (errors.Is(err, ErrNotStore) || errors.Is(err, ErrNewerSchema)) && strings.Contains(err.Error(), path):
	default:
		t.Fatalf("%s: err = %v, want a CorruptError (or ErrNotStore) naming %s", doing, err, path)
	}
}

func wantUnchanged(t testing.TB, doing, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s wrote to the damaged file", doing)
	}
}

// exerciseDamaged opens a damaged copy the ways lede's commands do and checks that nothing
// panics, every failure is a store error naming the file, and the file is never written
// once damage was found.
func exerciseDamaged(t *testing.T, path string, data []byte) {
	ctx := context.Background()
	opts := WithTimeout(100 * time.Millisecond)

	// Reading (export, stats, show, extract's learned chrome): never writes.
	db, err := Open(path, ReadOnly(), opts)
	damaged := err != nil
	if err != nil {
		wantStoreError(t, "Open read-only", err, path)
	} else {
		if err := db.Check(ctx); err != nil {
			wantStoreError(t, "Check", err, path)
			damaged = true
		} else {
			// A file that passes the check can be read whole without a panic.
			_, _ = db.Stats(ctx)
			_ = db.Articles(ctx, Filter{}, func(*lede.Article) error { return nil })
			_, _, _ = db.GetFetch(ctx, "https://synthetic.example/hub/7")
			_, _ = db.Frontier().Len(ctx)
			_, _, _ = db.ChromeStats(ctx, "synthetic.example")
		}
		db.Close()
	}
	wantUnchanged(t, "reading", path, data)

	// stats --check opens what it can to say what is wrong.
	if db, err := Open(path, AllowDamaged(), opts); err != nil {
		wantStoreError(t, "Open AllowDamaged", err, path)
	} else {
		if err := db.Check(ctx); err != nil {
			wantStoreError(t, "Check AllowDamaged", err, path)
		}
		db.Close()
	}
	wantUnchanged(t, "stats --check", path, data)

	// Writing (crawl, extract --save): a damaged file is refused, or opened without a write.
	// (Open does not read every page: damage deep in a bucket's tree is found by the first
	// transaction that reaches it, see TestDamageFoundWhileWritingStopsEveryWrite.)
	db, err = Open(path, opts)
	if err != nil {
		wantStoreError(t, "Open", err, path)
		wantUnchanged(t, "a refused Open", path, data)
		return
	}
	defer db.Close()
	if damaged {
		wantUnchanged(t, "Open of a damaged file", path, data)
		return
	}
	// A file that passes the check takes writes.
	for i := range 3 {
		if _, err := db.PutArticle(ctx, syntheticArticle(1000+i), nil); err != nil && errors.Is(err, ErrCorrupt) {
			wantStoreError(t, "PutArticle", err, path)
		}
	}
}

// TestEmptiedRootIsNotMadeANewStore: a small store's root page (the list of buckets) with
// its element count zeroed looks like a new, empty bbolt file; opening it must report the
// damage, not write a fresh store over it.
func TestEmptiedRootIsNotMadeANewStore(t *testing.T) {
	db, path := openTemp(t)
	if _, err := db.PutArticle(context.Background(), syntheticArticle(1), nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := parseMeta(data, 0)
	if m1 := parseMeta(data[m.pageSize:], 1); m1.txid > m.txid {
		m = m1
	}
	root := data[int(m.root)*int(m.pageSize):]
	if binary.NativeEndian.Uint16(root[8:]) != flagLeaf {
		t.Fatalf("the root of a one-article store is not a single leaf page")
	}
	binary.NativeEndian.PutUint16(root[10:], 0)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]Option{nil, {ReadOnly()}} {
		db, err := Open(path, opts...)
		if err == nil {
			db.Close()
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open%v: err = %v, want ErrCorrupt", opts, err)
		}
		wantStoreError(t, "Open", err, path)
		wantUnchanged(t, "Open", path, data)
	}
}

// baseLayout returns the page size of the base store and the bytes its pages fill (bbolt
// grows a file ahead of its pages: the bytes after these are not in use yet).
func baseLayout(t testing.TB) (pageSize, used int) {
	base, err := damageBase()
	if err != nil {
		t.Fatal(err)
	}
	m := parseMeta(base, 0)
	if m.err != "" {
		t.Fatalf("base store: meta page 0: %s", m.err)
	}
	return int(m.pageSize), int(m.hwm) * int(m.pageSize)
}

func TestTruncatedStoreIsRefusedUnchanged(t *testing.T) {
	ps, used := baseLayout(t)
	for _, cut := range []int{used - 1, used - ps, used / 2, 2*ps + 100, ps + 10, 100} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			path, data := writeDamaged(t, cut, nil)
			for _, opts := range [][]Option{nil, {ReadOnly()}, {MustExist()}} {
				db, err := Open(path, opts...)
				if err == nil {
					db.Close()
					t.Fatalf("Open%v of a file cut at %d of %d bytes succeeded", opts, cut, used)
				}
				wantStoreError(t, "Open", err, path)
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Open: err = %v, want ErrCorrupt", err)
				}
				if cut >= 2*ps && !strings.Contains(err.Error(), "cut short") {
					t.Errorf("err = %v, want it to say the file is cut short", err)
				}
				wantUnchanged(t, "Open", path, data)
			}
		})
	}
}

// pageOf returns the id of a live page of the base store with the given flags (branch 0x01,
// leaf 0x02, freelist 0x10) other than skip, and the page size. The base store's writes are
// batched as they come, so its layout differs between runs and the file keeps pages of older
// transactions: the freelist is the one the current meta page names, and a branch or leaf
// page is one the freelist does not hold (damage to a free page is no damage).
func pageOf(t *testing.T, flags uint16, skip ...uint64) (uint64, int) {
	base, err := damageBase()
	if err != nil {
		t.Fatal(err)
	}
	m0 := parseMeta(base, 0)
	ps := int(m0.pageSize)
	m1 := parseMeta(base[ps:], 1)
	current := m0
	if m0.err != "" || (m1.err == "" && m1.txid > m0.txid) {
		current = m1
	}
	if current.err != "" {
		t.Fatalf("base store: no valid meta page: %s", current.err)
	}
	if current.freelist == noFreelist {
		t.Fatal("base store: the meta page names no freelist")
	}
	if flags == flagFreelist {
		return current.freelist, ps
	}
	free := freePages(base[int(current.freelist)*ps:])
	for id := uint64(2); int(id+1)*ps <= len(base); id++ {
		p := base[int(id)*ps:]
		if binary.NativeEndian.Uint64(p) == id && binary.NativeEndian.Uint16(p[8:]) == flags && !containsID(skip, id) && !containsID(free, id) {
			return id, ps
		}
	}
	t.Fatalf("no page with flags %#x in the base store", flags)
	return 0, 0
}

// freePages reads the page ids a bbolt freelist page lists (a count of 0xFFFF means the
// count is the first id slot).
func freePages(p []byte) []uint64 {
	count, ids := int(binary.NativeEndian.Uint16(p[10:])), p[pageHeaderSize:]
	if count == 0xFFFF {
		count, ids = int(binary.NativeEndian.Uint64(ids)), ids[8:]
	}
	free := make([]uint64, 0, count)
	for i := 0; i < count && (i+1)*8 <= len(ids); i++ {
		free = append(free, binary.NativeEndian.Uint64(ids[i*8:]))
	}
	return free
}

func containsID(ids []uint64, id uint64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestDamagedPagesFailWithoutPanicOrWrite(t *testing.T) {
	branch, ps := pageOf(t, flagBranch)
	leaf, _ := pageOf(t, flagLeaf)
	freelist, _ := pageOf(t, flagFreelist)
	cases := map[string]map[int]byte{
		"meta 0 txid":          {pageHeaderSize + 48: 0x01},
		"meta 1 root":          {ps + pageHeaderSize + 16: 0x40},
		"branch page id":       {int(branch) * ps: 0x07},
		"branch page flags":    {int(branch)*ps + 8: 0x03},
		"branch child pointer": {int(branch)*ps + pageHeaderSize + 8 + 4: 0x10}, // first child, high bytes: past the end
		"branch element count": {int(branch)*ps + 10: 0x70},
		"leaf page id":         {int(leaf) * ps: 0x20},
		"leaf element pos":     {int(leaf)*ps + pageHeaderSize + 6: 0x40},
		"freelist count":       {int(freelist)*ps + 10: 0x30},
		"freelist page id":     {int(freelist)*ps + pageHeaderSize + 4: 0x01},
	}
	for name, flips := range cases {
		t.Run(name, func(t *testing.T) {
			path, data := writeDamaged(t, 0, flips)
			db, err := Open(path, ReadOnly(), WithTimeout(100*time.Millisecond))
			if err == nil {
				err = db.Check(context.Background())
				db.Close()
			}
			if err == nil {
				t.Fatalf("neither Open nor Check found the damage")
			}
			wantStoreError(t, "Open or Check", err, path)
			wantUnchanged(t, "Open or Check", path, data)
			exerciseDamaged(t, path, data)
		})
	}
}

// TestDamageFoundWhileWritingStopsEveryWrite damages the URL index, which Open does not look
// at and every PutArticle reads, and lets concurrent writers (a shared batch transaction, on
// a goroutine of the store's own) meet it: a page that is not what its parent says (bbolt
// panics), or a child pointer far past the end of the file (a memory fault). Every write
// fails with the damage, nothing is written, and the process lives.
func TestDamageFoundWhileWritingStopsEveryWrite(t *testing.T) {
	base, err := damageBase()
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := baseLayout(t)
	m := parseMeta(base, 0)
	if m1 := parseMeta(base[ps:], 1); m1.txid > m.txid {
		m = m1
	}
	var find func(id uint64) uint64 // the root page of bucket bucketByURL under page id
	find = func(id uint64) uint64 {
		p := base[int(id)*ps:]
		for i := range int(binary.NativeEndian.Uint16(p[10:])) {
			e := p[pageHeaderSize+i*elemSize:]
			if binary.NativeEndian.Uint16(p[8:]) == flagBranch {
				if got := find(binary.NativeEndian.Uint64(e[8:])); got != 0 {
					return got
				}
				continue
			}
			pos, ksize := binary.NativeEndian.Uint32(e[4:]), binary.NativeEndian.Uint32(e[8:])
			if string(e[pos:pos+ksize]) == string(bucketByURL) {
				return binary.NativeEndian.Uint64(e[pos+ksize:])
			}
		}
		return 0
	}
	idx := int(find(m.root))
	if idx == 0 || binary.NativeEndian.Uint16(base[idx*ps+8:]) != flagBranch {
		t.Fatalf("the URL index of the base store has no branch page")
	}
	children := func(byteOfPgid int, mask byte) map[int]byte { // every child pointer of the branch
		flips := map[int]byte{}
		for i := range int(binary.NativeEndian.Uint16(base[idx*ps+10:])) {
			flips[idx*ps+pageHeaderSize+i*elemSize+8+byteOfPgid] = mask
		}
		return flips
	}
	for name, flips := range map[string]map[int]byte{
		"page id":             {idx * ps: 0x80},
		"children past file":  children(2, 0x01), // past the file's map
		"children far beyond": children(5, 0x40), // page numbers << 40: far outside the address space
	} {
		t.Run(name, func(t *testing.T) {
			path, data := writeDamaged(t, 0, flips)
			db, err := Open(path, WithTimeout(100*time.Millisecond))
			if err != nil {
				t.Fatalf("Open: %v (the damage is meant to be found later)", err)
			}
			defer db.Close()
			wantUnchanged(t, "Open", path, data)
			db.writers.Add(1) // as if a write were in flight: every write joins a shared batch
			defer db.writers.Add(-1)
			var wg sync.WaitGroup
			errs := make([]error, 16)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = db.PutArticle(context.Background(), syntheticArticle(500+i), []byte("<p>raw</p>"))
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("write %d: err = %v, want ErrCorrupt", i, err)
				}
				wantStoreError(t, "PutArticle", err, path)
			}
			if err := db.PutFetch(context.Background(), lede.FetchRecord{URL: "https://synthetic.example/later"}); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("a later write: err = %v, want the damage found earlier", err)
			}
			db.Close()
			wantUnchanged(t, "writes to a damaged file", path, data)
		})
	}
}

// FuzzOpenDamaged opens copies of a real store cut at a random length and with random bytes
// flipped (see exerciseDamaged). Its seeds run with go test; go test -fuzz FuzzOpenDamaged
// ./store searches further.
func FuzzOpenDamaged(f *testing.F) {
	base, err := damageBase()
	if err != nil {
		f.Fatal(err)
	}
	ps, used := baseLayout(f)
	flip := func(pairs ...int) []byte { // offset, mask, offset, mask...
		var b []byte
		for i := 0; i+1 < len(pairs); i += 2 {
			b = binary.LittleEndian.AppendUint32(b, uint32(pairs[i]))
			b = append(b, byte(pairs[i+1]))
		}
		return b
	}
	for _, cut := range []int{used - 1, used / 3, 3*ps + 17, ps} {
		f.Add(uint32(cut), []byte(nil))
	}
	f.Add(uint32(0), flip(pageHeaderSize+40, 0x01))     // meta 0 high-water mark
	f.Add(uint32(0), flip(ps+pageHeaderSize+32, 0x02))  // meta 1 freelist
	f.Add(uint32(0), flip(2*ps+8, 0x01, 3*ps+10, 0xff)) // page headers
	f.Add(uint32(used-ps), flip(5*ps+pageHeaderSize+2, 0x10))
	rng := rand.New(rand.NewPCG(11, 11))
	for range 24 {
		var pairs []int
		for range 1 + rng.IntN(3) {
			pairs = append(pairs, rng.IntN(len(base)), 1+rng.IntN(255))
		}
		f.Add(uint32(0), flip(pairs...))
	}
	f.Fuzz(func(t *testing.T, cut uint32, flipBytes []byte) {
		flips := map[int]byte{}
		for i := 0; i+5 <= len(flipBytes) && len(flips) < 16; i += 5 {
			if mask := flipBytes[i+4]; mask != 0 {
				flips[int(binary.LittleEndian.Uint32(flipBytes[i:])%uint32(len(base)))] = mask
			}
		}
		path, data := writeDamaged(t, int(cut), flips)
		exerciseDamaged(t, path, data)
	})
}

// TestUndecodableValueIsDamage: bytes changed inside a stored value leave every page sound
// (bbolt keeps no checksum of values), so only reading the value finds them. A value lede
// cannot decode is damage like any other: the reader gets a CorruptError naming the file
// (so lede says to restore it and run stats --check), and Check, which decodes every
// value, lists it.
func TestUndecodableValueIsDamage(t *testing.T) {
	base, err := damageBase()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := func(s string) int {
		i := bytes.Index(base, []byte(s))
		if i < 0 {
			t.Fatalf("%q not found in the base store", s)
		}
		return i
	}
	cases := []struct {
		name  string
		off   int  // a byte of the value to change
		mask  byte // xor-ed into it
		read  func(db *DB) error
		about string // what the error names
	}{
		{"article JSON", at(`"title":"Story 7"`), 0x80, func(db *DB) error {
			_, err := db.Get(ctx, "https://synthetic.example/7/story-7")
			return err
		}, "article"},
		{"article JSON (export)", at(`"title":"Story 7"`), 0x80, func(db *DB) error {
			return db.Articles(ctx, Filter{}, func(*lede.Article) error { return nil })
		}, "article"},
		{"fetch record", at(`"etag":"\"7\""`), 0x80, func(db *DB) error {
			_, _, err := db.GetFetch(ctx, "https://synthetic.example/hub/7")
			return err
		}, "fetch record"},
		{"fetch records (walk)", at(`"etag":"\"7\""`), 0x80, func(db *DB) error {
			return db.FetchRecords(ctx, "https://synthetic.example/", func(lede.FetchRecord) error { return nil })
		}, "fetch record"},
		{"queue item", at(`{"url":"https://synthetic.example/q/50"`), 0x80, func(db *DB) error {
			_, err := db.Frontier().Pop(ctx, 100)
			return err
		}, "queue item"},
		{"raw page", at("\x1f\x8b\x08") + 40, 0x55, func(db *DB) error {
			for i := range 60 {
				if _, err := db.Raw(ctx, syntheticArticle(i).URL); err != nil {
					return err
				}
			}
			return nil
		}, "raw page"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, data := writeDamaged(t, 0, map[int]byte{c.off: c.mask})
			db, err := Open(path, ReadOnly(), WithTimeout(100*time.Millisecond))
			if err != nil {
				t.Fatalf("Open: %v (the pages are sound: only the value is changed)", err)
			}
			err = c.read(db)
			db.Close()
			wantStoreError(t, "reading the value", err, path)
			if !strings.Contains(err.Error(), c.about) {
				t.Errorf("err = %v, want it to say which %s", err, c.about)
			}

			db, err = Open(path, AllowDamaged(), WithTimeout(100*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			err = db.Check(ctx)
			db.Close()
			wantStoreError(t, "Check", err, path)
			if !strings.Contains(err.Error(), c.about) {
				t.Errorf("Check: %v, want it to list the %s", err, c.about)
			}
			wantUnchanged(t, "reading and checking", path, data)
		})
	}
}
