package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"lede"
	"math/bits"
	"os"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// This file reads a bbolt file's pages with plain reads (never through the memory map), so
// that what it finds in a damaged file can be reported instead of crashing the process.
// Open runs the cheap part (inspectFile: the meta pages, the file's size against the pages
// they claim, the freelist) before bbolt maps the file; Check walks every page (walkFile)
// before bbolt's own check, which runs on a goroutine of bbolt's where a fault cannot be
// caught.
//
// The layout is bbolt's (version 2), in the machine's byte order:
//
//	page header  id u64, flags u16, count u16, overflow u32                       (16 bytes)
//	meta         magic u32, version u32, page size u32, flags u32, root bucket
//	             (root page u64, sequence u64), freelist u64, high-water mark u64,
//	             txid u64, FNV-64a checksum of the 56 bytes before it u64          (64 bytes)
//	branch elem  pos u32, key size u32, child page u64 (pos from the element)      (16 bytes)
//	leaf elem    flags u32, pos u32, key size u32, value size u32                  (16 bytes)
//	bucket value root page u64, sequence u64, then the inline page when root is 0
//	freelist     count page ids u64 (count 0xFFFF: the first u64 is the count)

const (
	boltMagic         = 0xED0CDAED // at the start of every meta page
	boltVersion       = 2
	pageHeaderSize    = 16
	metaSize          = 64
	elemSize          = 16
	bucketHeaderSize  = 16
	flagBranch        = 0x01
	flagLeaf          = 0x02
	flagMeta          = 0x04
	flagFreelist      = 0x10
	leafBucketFlag    = 0x01
	noFreelist        = ^uint64(0)
	maxTreeDepth      = 64 // far deeper than any real tree: a deeper walk is a loop in the file
	maxProblemsListed = 8
)

var native = binary.NativeEndian

// meta is one meta page as read from the file.
type meta struct {
	pageSize uint32
	root     uint64 // first page of the root bucket
	freelist uint64 // first page of the freelist, or noFreelist
	hwm      uint64 // the high-water mark: pages [0, hwm) are in use or free
	txid     uint64
	err      string // why the page is not a valid meta page ("" when it is)
}

// parseMeta reads the meta page whose first bytes are b (a page header, then the meta).
func parseMeta(b []byte, id uint64) meta {
	if len(b) < pageHeaderSize+metaSize {
		return meta{err: "cut short"}
	}
	m := b[pageHeaderSize:]
	got := meta{
		pageSize: native.Uint32(m[8:]),
		root:     native.Uint64(m[16:]),
		freelist: native.Uint64(m[32:]),
		hwm:      native.Uint64(m[40:]),
		txid:     native.Uint64(m[48:]),
	}
	h := fnv.New64a()
	h.Write(m[:56])
	switch {
	case native.Uint32(m) != boltMagic:
		got.err = "no bbolt magic number"
	case native.Uint32(m[4:]) != boltVersion:
		got.err = fmt.Sprintf("format version %d, want %d", native.Uint32(m[4:]), boltVersion)
	case native.Uint64(m[56:]) != h.Sum64():
		got.err = "checksum mismatch"
	case native.Uint16(b[8:]) != flagMeta:
		got.err = "not marked as a meta page"
	case got.pageSize < 512 || bits.OnesCount32(got.pageSize) != 1:
		got.err = fmt.Sprintf("page size %d", got.pageSize)
	case got.hwm < 4 || got.root < 2 || got.root >= got.hwm:
		got.err = fmt.Sprintf("root page %d outside its %d pages", got.root, got.hwm)
	case got.freelist != noFreelist && (got.freelist < 2 || got.freelist >= got.hwm):
		got.err = fmt.Sprintf("freelist page %d outside its %d pages", got.freelist, got.hwm)
	case native.Uint64(b) != id:
		got.err = fmt.Sprintf("page says it is page %d", native.Uint64(b))
	}
	return got
}

// fileCheck is one inspection of a store file.
type fileCheck struct {
	path     string
	f        *os.File
	size     int64
	pageSize int64
	metas    [2]meta
	cur      meta // the meta bbolt uses: the valid one with the higher txid
	problems []string
	more     int             // problems found beyond those listed
	bad      map[uint64]bool // pages found damaged (listed once, as what is wrong with them)
}

func (c *fileCheck) problem(format string, args ...any) {
	if len(c.problems) < maxProblemsListed {
		c.problems = append(c.problems, fmt.Sprintf(format, args...))
	} else {
		c.more++
	}
}

// err is the CorruptError listing what was found, or nil.
func (c *fileCheck) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	msg := strings.Join(c.problems, "; ")
	if c.more > 0 {
		msg += fmt.Sprintf("; and %d more problems", c.more)
	}
	return &CorruptError{Path: c.path, Problem: msg}
}

// inspectFile runs the checks Open makes before letting bbolt map the file: both meta pages
// intact, every page they claim inside the file, the pages of the root bucket (the list of
// buckets) and a freelist bbolt can load. It returns an ErrNotStore error for a file that is
// not bbolt at all, a *CorruptError for a damaged one, and nil when the file looks sound.
func inspectFile(path string) error {
	c, err := openFileCheck(path)
	if err != nil {
		return err
	}
	defer c.f.Close()
	if len(c.problems) == 0 {
		// The root bucket's own pages (a few: they list the buckets) are read by every
		// Open; a loop there would hang bbolt's cursor, so walk them first.
		c.checkFreelist(c.walkTrees(context.Background(), true))
	}
	return c.err()
}

// openFileCheck opens path and reads its meta pages.
func openFileCheck(path string) (*fileCheck, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	c := &fileCheck{path: path, f: f, size: info.Size()}
	head := make([]byte, pageHeaderSize+metaSize)
	n, _ := f.ReadAt(head, 0)
	c.metas[0] = parseMeta(head[:n], 0)
	switch {
	case c.metas[0].err == "":
		c.pageSize = int64(c.metas[0].pageSize)
	default:
		// Find the second meta page to learn the page size, as bbolt does.
		second := make([]byte, len(head))
		for size := int64(1024); size <= 1<<24 && size+pageHeaderSize+metaSize <= c.size; size *= 2 {
			if n, _ := f.ReadAt(second, size); n == len(second) {
				if m := parseMeta(second, 1); m.err == "" && int64(m.pageSize) == size {
					c.pageSize = size
					break
				}
			}
		}
	}
	if c.pageSize == 0 {
		f.Close()
		if n < 20 || (binary.LittleEndian.Uint32(head[16:]) != boltMagic && binary.BigEndian.Uint32(head[16:]) != boltMagic) {
			return nil, fmt.Errorf("%s is not a bbolt file: %w", path, ErrNotStore)
		}
		return nil, &CorruptError{Path: path, Problem: fmt.Sprintf("both meta pages are damaged (page 0: %s)", c.metas[0].err)}
	}
	n, _ = f.ReadAt(head, c.pageSize)
	c.metas[1] = parseMeta(head[:n], 1)

	var reach uint64 // the most pages a valid meta page claims
	for i, m := range c.metas {
		switch {
		case m.err != "":
			c.problem("meta page %d is damaged (%s)", i, m.err)
		case int64(m.pageSize) != c.pageSize:
			c.problem("meta page %d says pages are %d bytes, not %d", i, m.pageSize, c.pageSize)
		case int64(m.hwm) > c.size/c.pageSize:
			reach = max(reach, m.hwm)
		default:
			if c.cur.hwm == 0 || m.txid > c.cur.txid {
				c.cur = m
			}
		}
	}
	if reach > 0 {
		c.problem("it is cut short: %d bytes, but its pages reach byte %d (%d pages of %d bytes)", c.size, int64(reach)*c.pageSize, reach, c.pageSize)
	}
	if c.cur.hwm == 0 {
		c.cur = c.metas[0]
	}
	return c, nil
}

// readPage reads page id and its overflow pages. A page that is cut short, lies outside the
// file's pages or does not carry its own id is a problem (reported, and nil returned).
func (c *fileCheck) readPage(id uint64, what string) []byte {
	if id < 2 || id >= c.cur.hwm {
		c.problem("%s points to page %d, outside the file's %d pages", what, id, c.cur.hwm)
		return nil
	}
	var head [pageHeaderSize]byte
	if _, err := c.f.ReadAt(head[:], int64(id)*c.pageSize); err != nil {
		c.problem("%s: page %d cannot be read: %v", what, id, err)
		c.markBad(id)
		return nil
	}
	if got := native.Uint64(head[:]); got != id {
		c.problem("%s: page %d says it is page %d", what, id, got)
		c.markBad(id)
		return nil
	}
	overflow := uint64(native.Uint32(head[12:]))
	if id+1+overflow > c.cur.hwm {
		c.problem("%s: page %d runs %d pages past the file's last page", what, id, id+1+overflow-c.cur.hwm)
		c.markBad(id)
		return nil
	}
	p := make([]byte, int64(1+overflow)*c.pageSize)
	if _, err := c.f.ReadAt(p, int64(id)*c.pageSize); err != nil && !errors.Is(err, io.EOF) {
		c.problem("%s: page %d cannot be read: %v", what, id, err)
		c.markBad(id)
		return nil
	}
	return p
}

// checkFreelist reads the freelist page and checks its page ids: inside the file, listed
// once, and not in use as far as walk knows. It marks the freelist's pages in use and the
// pages it lists free.
func (c *fileCheck) checkFreelist(walk *pageWalk) {
	if c.cur.freelist == noFreelist {
		return
	}
	p := c.readPage(c.cur.freelist, "the freelist")
	if p == nil {
		return
	}
	if flags := native.Uint16(p[8:]); flags != flagFreelist {
		c.problem("the freelist: page %d is not a freelist page (flags %#x)", c.cur.freelist, flags)
		return
	}
	walk.use(c.cur.freelist, uint64(len(p))/uint64(c.pageSize))
	count, first := uint64(native.Uint16(p[10:])), uint64(pageHeaderSize)
	if count == 0xFFFF {
		count, first = native.Uint64(p[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > (uint64(len(p))-first)/8 {
		c.problem("the freelist: page %d lists %d pages, more than it holds", c.cur.freelist, count)
		return
	}
	for i := range count {
		id := native.Uint64(p[first+8*i:])
		switch {
		case id < 2 || id >= c.cur.hwm:
			c.problem("the freelist lists page %d, outside the file's %d pages", id, c.cur.hwm)
		case walk.freed(id):
			c.problem("the freelist lists page %d twice", id)
		case walk.used(id):
			c.problem("page %d is both free and in use", id)
		default:
			walk.free(id)
		}
	}
}

// pageWalk remembers which pages a walk of the file found in use or free.
type pageWalk struct {
	inUse, isFree []uint64 // bitmaps of page ids
}

func newPageWalk(hwm uint64) *pageWalk {
	return &pageWalk{inUse: make([]uint64, (hwm+63)/64), isFree: make([]uint64, (hwm+63)/64)}
}

func (w *pageWalk) used(id uint64) bool { return w.inUse[id/64]&(1<<(id%64)) != 0 }
func (w *pageWalk) free(id uint64)      { w.isFree[id/64] |= 1 << (id % 64) }
func (w *pageWalk) freed(id uint64) bool {
	return w.isFree[id/64]&(1<<(id%64)) != 0
}

// use marks n pages from id in use; it reports false (a problem found by the caller) when
// one of them already was: two parents share a page, or the tree loops.
func (w *pageWalk) use(id, n uint64) bool {
	ok := true
	for i := id; i < id+n; i++ {
		if w.used(i) {
			ok = false
		}
		w.inUse[i/64] |= 1 << (i % 64)
	}
	return ok
}

// walkFile checks every page of the file: the meta pages, the tree of buckets from the
// root, the freelist, and that every page is in use or free, never both. It reads at most
// a few pages at a time and checks ctx as it goes.
func walkFile(ctx context.Context, path string) error {
	c, err := openFileCheck(path)
	if err != nil {
		return err
	}
	defer c.f.Close()
	if c.cur.err != "" || int64(c.cur.hwm) > c.size/c.pageSize {
		return c.err() // nothing to walk from
	}
	before := len(c.problems) + c.more
	walk := c.walkTrees(ctx, false)
	if err := ctx.Err(); err != nil {
		return err
	}
	treeDamaged := len(c.problems)+c.more > before
	c.checkFreelist(walk)
	// A page neither in use nor free is lost, unless the walk could not reach it: the pages
	// below damaged ones are summed up in one problem (a damaged page is listed already).
	unreached := 0
	for id := uint64(0); id < c.cur.hwm && c.cur.freelist != noFreelist; id++ {
		switch {
		case walk.used(id) || walk.freed(id) || c.bad[id]:
		case treeDamaged:
			unreached++
		default:
			c.problem("page %d is neither in use nor free", id)
		}
	}
	if unreached > 0 {
		c.problem("%d pages cannot be reached past the damaged ones", unreached)
	}
	return c.err()
}

// markBad notes that page id was found damaged.
func (c *fileCheck) markBad(id uint64) {
	if c.bad == nil {
		c.bad = map[uint64]bool{}
	}
	c.bad[id] = true
}

// walkTrees walks the pages of the root bucket and, unless shallow, of every bucket, and
// returns which pages it found in use (the meta pages too).
func (c *fileCheck) walkTrees(ctx context.Context, shallow bool) *pageWalk {
	walk := newPageWalk(c.cur.hwm)
	walk.use(0, 2)
	t := &treeWalk{fileCheck: c, walk: walk, ctx: ctx, shallow: shallow}
	t.tree(c.cur.root, 0, "the root bucket")
	return walk
}

// treeWalk walks the page trees of the buckets.
type treeWalk struct {
	*fileCheck
	walk    *pageWalk
	ctx     context.Context
	shallow bool // walk the root bucket's pages only, not the buckets' trees they point to
	pages   int
}

// tree checks the branch or leaf page id of bucket and everything below it.
func (t *treeWalk) tree(id uint64, depth int, bucket string) {
	if t.pages++; t.pages%1024 == 0 && t.ctx.Err() != nil {
		return
	}
	if depth > maxTreeDepth {
		t.problem("%s: pages nested more than %d deep at page %d (a loop?)", bucket, maxTreeDepth, id)
		return
	}
	p := t.readPage(id, bucket)
	if p == nil {
		return
	}
	if !t.walk.use(id, uint64(len(p))/uint64(t.pageSize)) {
		t.problem("%s: page %d is reached twice", bucket, id)
		return
	}
	switch flags := native.Uint16(p[8:]); flags {
	case flagBranch:
		t.branch(p, id, depth, bucket)
	case flagLeaf:
		t.leaf(p, id, depth, bucket)
	default:
		t.problem("%s: page %d is neither a branch nor a leaf (flags %#x)", bucket, id, flags)
	}
}

// elems returns the element count of page p, or -1 (a problem) when they overflow it.
func (t *treeWalk) elems(p []byte, id uint64, bucket string) int {
	n := int(native.Uint16(p[10:]))
	if n == 0 || pageHeaderSize+n*elemSize > len(p) {
		t.problem("%s: page %d claims %d elements", bucket, id, n)
		return -1
	}
	return n
}

// span returns p[from:from+size], or nil (a problem) when it runs past the page.
func (t *treeWalk) span(p []byte, from, size uint64, id uint64, bucket string) []byte {
	if from > uint64(len(p)) || size > uint64(len(p))-from {
		t.problem("%s: page %d has an element running past its end", bucket, id)
		return nil
	}
	return p[from : from+size]
}

func (t *treeWalk) branch(p []byte, id uint64, depth int, bucket string) {
	n := t.elems(p, id, bucket)
	var prev []byte
	for i := range n {
		e := uint64(pageHeaderSize + i*elemSize)
		key := t.span(p, e+uint64(native.Uint32(p[e:])), uint64(native.Uint32(p[e+4:])), id, bucket)
		if key == nil {
			return
		}
		if i > 0 && string(key) <= string(prev) {
			t.problem("%s: page %d has its keys out of order", bucket, id)
			return
		}
		prev = key
		t.tree(native.Uint64(p[e+8:]), depth+1, bucket)
	}
}

// leaf checks a leaf page (a tree's page, or a bucket's inline page when id is 0) and walks
// the buckets it holds.
func (t *treeWalk) leaf(p []byte, id uint64, depth int, bucket string) {
	n := int(native.Uint16(p[10:]))
	if pageHeaderSize+n*elemSize > len(p) {
		t.problem("%s: page %d claims %d elements", bucket, id, n)
		return
	}
	var prev []byte
	for i := range n {
		e := uint64(pageHeaderSize + i*elemSize)
		flags := native.Uint32(p[e:])
		pos, ksize, vsize := uint64(native.Uint32(p[e+4:])), uint64(native.Uint32(p[e+8:])), uint64(native.Uint32(p[e+12:]))
		key := t.span(p, e+pos, ksize, id, bucket)
		value := t.span(p, e+pos+ksize, vsize, id, bucket)
		if key == nil || value == nil {
			return
		}
		if i > 0 && string(key) <= string(prev) {
			t.problem("%s: page %d has its keys out of order", bucket, id)
			return
		}
		prev = key
		if flags&leafBucketFlag == 0 {
			continue
		}
		name := fmt.Sprintf("bucket %q", key)
		if depth > maxTreeDepth || len(value) < bucketHeaderSize {
			t.problem("%s: page %d holds a damaged bucket %q", bucket, id, key)
			continue
		}
		if root := native.Uint64(value); root != 0 {
			if !t.shallow {
				t.tree(root, depth+1, name)
			}
			continue
		}
		inline := value[bucketHeaderSize:]
		if len(inline) < pageHeaderSize || native.Uint16(inline[8:]) != flagLeaf {
			t.problem("%s: page %d holds bucket %q with a damaged inline page", bucket, id, key)
			continue
		}
		t.leaf(inline, id, depth+1, name)
	}
}

// valueChecks are the buckets whose values checkValues decodes, and how: bbolt keeps no
// checksum of values, so bytes changed inside one are only found by decoding it, as the
// commands that read it would. The indexes an export walks are checked too: each entry must
// name an article that is stored (a changed byte in a key or value makes it name another).
var valueChecks = []struct {
	bucket []byte
	what   func(key []byte) string
	decode func(tx *bolt.Tx, key, value []byte) error
}{
	{bucketArticles, func(k []byte) string { return "article " + string(k) }, func(_ *bolt.Tx, _, v []byte) error {
		var rec record
		return json.Unmarshal(v, &rec)
	}},
	{bucketRaw, func(k []byte) string { return "the raw page of article " + string(k) }, func(_ *bolt.Tx, _, v []byte) error {
		_, err := gunzipBytes(v) // gzip's CRC covers every byte of the page
		return err
	}},
	{bucketFetch, func(k []byte) string { return "the fetch record of " + string(k) }, func(_ *bolt.Tx, _, v []byte) error {
		var rec lede.FetchRecord
		return json.Unmarshal(v, &rec)
	}},
	{bucketQueue, func(k []byte) string { return fmt.Sprintf("queue item %d", getU64(k)) }, func(_ *bolt.Tx, _, v []byte) error {
		var it lede.QueueItem
		return json.Unmarshal(v, &it)
	}},
	{bucketByTime, indexEntry(bucketByTime, nil), func(tx *bolt.Tx, k, _ []byte) error { return storedArticle(tx, timeIndexID(k, nil)) }},
	{bucketBySeen, indexEntry(bucketBySeen, nil), func(tx *bolt.Tx, k, _ []byte) error { return storedArticle(tx, timeIndexID(k, nil)) }},
	{bucketBySite, func(k []byte) string { return indexEntry(bucketBySite, siteIndexPrefix(k))(k) }, func(tx *bolt.Tx, k, _ []byte) error {
		return storedArticle(tx, timeIndexID(k, siteIndexPrefix(k)))
	}},
	{bucketByURL, func(k []byte) string { return fmt.Sprintf("the %s index entry of %s", bucketByURL, k) }, func(tx *bolt.Tx, _, v []byte) error { return storedArticle(tx, string(v)) }},
	{bucketByHash, func(k []byte) string { return fmt.Sprintf("the %s index entry of %s", bucketByHash, k) }, func(tx *bolt.Tx, _, v []byte) error { return storedArticle(tx, string(v)) }},
}

// indexEntry names an entry of a time-ordered index (prefix, timeKey, article ID) in a problem.
func indexEntry(bucket, prefix []byte) func(key []byte) string {
	return func(k []byte) string {
		return fmt.Sprintf("the %s index entry of article %q", bucket, timeIndexID(k, prefix))
	}
}

// timeIndexID is the article ID of a key of a time-ordered index (prefix, timeKey, ID).
func timeIndexID(k, prefix []byte) string {
	if len(k) < len(prefix)+8 {
		return ""
	}
	return string(k[len(prefix)+8:])
}

// siteIndexPrefix is the site and its 0x00 that start a key of the site index (site, 0x00,
// timeKey, ID); the whole key when it has no 0x00.
func siteIndexPrefix(k []byte) []byte {
	if i := bytes.IndexByte(k, 0); i >= 0 {
		return k[:i+1]
	}
	return k
}

// errNotStored says an index entry names an article that is not stored.
var errNotStored = errors.New("it names an article that is not stored")

// storedArticle reports errNotStored unless article id is stored.
func storedArticle(tx *bolt.Tx, id string) error {
	if id == "" || tx.Bucket(bucketArticles).Get([]byte(id)) == nil {
		return errNotStored
	}
	return nil
}

// checkValues decodes every value of the buckets in valueChecks, a few hundred per read
// transaction, giving back the mapped file pages after each (see releaseMapped). It returns
// a *CorruptError listing the values that cannot be decoded (and marks the DB damaged).
func (db *DB) checkValues(ctx context.Context) error {
	const chunk = 256
	var problems []string
	more := 0
	for _, vc := range valueChecks {
		var after []byte // the last key checked
		for done := false; !done; {
			err := db.view(ctx, func(tx *bolt.Tx) error {
				defer releaseMapped(db.bolt, tx)
				b := tx.Bucket(vc.bucket)
				if b == nil {
					done = true
					return nil
				}
				c := b.Cursor()
				k, v := c.First()
				if after != nil {
					if k, v = c.Seek(after); bytes.Equal(k, after) {
						k, v = c.Next()
					}
				}
				for range chunk {
					if k == nil {
						done = true
						return nil
					}
					if err := vc.decode(tx, k, v); err != nil {
						if len(problems) < maxProblemsListed {
							problems = append(problems, (&badValue{vc.what(k), err}).Error())
						} else {
							more++
						}
					}
					after = append(after[:0], k...)
					k, v = c.Next()
				}
				return ctx.Err()
			})
			if err != nil {
				return err
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	msg := strings.Join(problems, "; ")
	if more > 0 {
		msg += fmt.Sprintf("; and %d more problems", more)
	}
	return db.markDamaged(msg)
}
