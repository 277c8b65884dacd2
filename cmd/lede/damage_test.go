package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// storeLayout reads what a test needs of a bbolt file (little-endian, as on the machines
// lede is tested on): the page size, the pages in use and the root bucket's pages.
func storeLayout(t *testing.T, data []byte) (pageSize, hwm int, rootTree map[int]bool) {
	t.Helper()
	var txid uint64
	var root int
	for i := range 2 {
		meta := data[i*4096+16:]
		if id := binary.LittleEndian.Uint64(meta[48:]); i == 0 || id > txid {
			txid, pageSize = id, int(binary.LittleEndian.Uint32(meta[8:]))
			root, hwm = int(binary.LittleEndian.Uint64(meta[16:])), int(binary.LittleEndian.Uint64(meta[40:]))
		}
	}
	if pageSize != 4096 {
		t.Skipf("page size %d: this test reads 4 kB pages", pageSize)
	}
	rootTree = map[int]bool{root: true}
	if p := data[root*pageSize:]; binary.LittleEndian.Uint16(p[8:]) == 0x01 { // a branch
		for i := range int(binary.LittleEndian.Uint16(p[10:])) {
			rootTree[int(binary.LittleEndian.Uint64(p[16+i*16+8:]))] = true
		}
	}
	return pageSize, hwm, rootTree
}

// damagedStores returns copies of a store with learned chrome: cut short, with the root
// bucket's page damaged (Open finds it), and with every bucket's pages damaged but not the
// root bucket's (Open succeeds; the first read or write of a bucket finds it).
func damagedStores(t *testing.T) map[string]string {
	path, _ := seedChromedStore(t, 25)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps, hwm, rootTree := storeLayout(t, data)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name+".db")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	root := bytes.Clone(data)
	for id := range rootTree {
		root[id*ps] ^= 0x55 // the page no longer says it is page id
	}
	deep := bytes.Clone(data)
	for id := 2; id < hwm; id++ {
		p := deep[id*ps:]
		if flags := binary.LittleEndian.Uint16(p[8:]); !rootTree[id] && binary.LittleEndian.Uint64(p) == uint64(id) && (flags == 0x01 || flags == 0x02) {
			p[0] ^= 0x55
		}
	}
	return map[string]string{
		"cut short":   write("cut", data[:hwm*ps/2]),
		"root page":   write("root", root),
		"bucket tree": write("deep", deep),
	}
}

// TestDamagedStoreFailsEveryCommand: on a damaged store every command exits 1 with a message
// naming the file and saying what to do, never a Go panic, and the file is never written;
// extract, which only reads learned chrome from the store, warns and goes on without it.
func TestDamagedStoreFailsEveryCommand(t *testing.T) {
	site := newNewsSite(t, 2)
	page := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(page, []byte(chromedPage(99)), 0o644); err != nil {
		t.Fatal(err)
	}
	const pageURL = "https://news.example/story/99"
	for name, db := range damagedStores(t) {
		t.Run(name, func(t *testing.T) {
			before, err := os.ReadFile(db)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "corpus.jsonl")
			commands := [][]string{
				{"export", "--db", db},
				{"export", "--db", db, "-o", out},
				{"stats", "--db", db},
				{"stats", "--db", db, "--check"},
				{"show", "--db", db, pageURL},
				{"reclean", "--db", db, "--site", "news.example"},
				{"extract", "--db", db, "--save", "--url", pageURL, page},
				{"crawl", "--db", db, "--delay", "0", site.URL + "/"},
			}
			if name == "bucket tree" {
				// Open reads no bucket's pages: plain stats reads only counters kept inline
				// in the root bucket's pages and cannot know (stats --check does). A crawl
				// writes its queue (inline too) before its first read of a damaged page:
				// damage no transaction has met yet cannot stop a write.
				commands = slices.Delete(commands, 2, 3)
				commands = commands[:len(commands)-1]
			}
			for _, args := range commands {
				code, stdout, stderr := runStoreCLI(t, args...)
				if code != exitFailed {
					t.Errorf("lede %s: exit %d, want 1; stderr:\n%s", strings.Join(args, " "), code, stderr)
				}
				checkDamageMessage(t, args, stderr, db)
				if strings.Contains(stderr+stdout, "goroutine ") {
					t.Errorf("lede %s printed a Go stack:\n%s", strings.Join(args, " "), stderr)
				}
				if args[0] == "crawl" && summaryLine(t, stdout)["stopped"] != "failed" {
					t.Errorf("crawl: summary %q, want stopped: failed", stdout)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a failed export left %s", out)
			}
			if name == "bucket tree" {
				code, _, stderr := runStoreCLI(t, "stats", "--db", db, "--check")
				if code != exitFailed || !strings.Contains(stderr, "says it is page") {
					t.Errorf("stats --check: exit %d, want 1 and the pages that are not what their parent says:\n%s", code, stderr)
				}
				// A damaged page is listed once, as what is wrong with it; the pages below
				// it, which the walk cannot reach, are summed up.
				if strings.Contains(stderr, "neither in use nor free") || !strings.Contains(stderr, "cannot be reached past the damaged ones") {
					t.Errorf("stats --check lists the pages below the damaged ones one by one:\n%s", stderr)
				}
			}

			// extract reads learned chrome from the store: it says so once and goes on.
			t.Setenv("LEDE_DB", db)
			for _, args := range [][]string{
				{"extract", "--url", pageURL, page}, // the default store, $LEDE_DB
				{"extract", "--db", db, "--url", pageURL, page},
			} {
				code, stdout, stderr := runStoreCLI(t, args...)
				if code != exitOK || !strings.Contains(stdout, "Council story 99") {
					t.Errorf("lede %s: exit %d, want 0 and the article; stderr:\n%s", strings.Join(args, " "), code, stderr)
				}
				if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "warning: "+db+" is damaged") || !strings.Contains(stderr, "without its learned chrome") {
					t.Errorf("lede %s: stderr %q, want one warning line naming %s", strings.Join(args, " "), stderr, db)
				}
			}

			if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
				t.Fatal("a command wrote to the damaged store")
			}
			if name == "bucket tree" {
				code, stdout, stderr := runStoreCLI(t, "crawl", "--db", db, "--delay", "0", site.URL+"/")
				if code != exitFailed || !strings.Contains(stderr, db+" is damaged") || summaryLine(t, stdout)["stopped"] != "failed" {
					t.Errorf("crawl: exit %d, want 1, the damage and a summary line that says failed:\n%s\n%s", code, stdout, stderr)
				}
			}
		})
	}
}

// checkDamageMessage checks what a command that met damage says: the file is damaged, restore
// it from a backup, and (unless the command is the check itself) how to list what is damaged.
func checkDamageMessage(t *testing.T, args []string, stderr, db string) {
	t.Helper()
	hint := "lede stats --check --db " + db
	isCheck := args[0] == "stats" && slices.Contains(args, "--check")
	for _, want := range []string{db + " is damaged", "backup", hint} {
		if want == hint && isCheck {
			if strings.Contains(stderr, hint) {
				t.Errorf("lede %s: tells the user to run the check they just ran:\n%s", strings.Join(args, " "), stderr)
			}
			continue
		}
		if !strings.Contains(stderr, want) {
			t.Errorf("lede %s: stderr lacks %q:\n%s", strings.Join(args, " "), want, stderr)
		}
	}
}

// breakValue changes one byte of the JSON value in the store file at path that holds marker:
// the opening quote of the field after marker's first field becomes a byte that is no JSON.
// It returns the file's bytes as written.
func breakValue(t *testing.T, path, marker string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte(marker))
	if i < 0 {
		t.Fatalf("%s not found in %s", marker, path)
	}
	j := bytes.Index(data[i:], []byte(`,"`))
	data[i+j+1] ^= 0x80
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

// TestUndecodableArticleFailsLikeDamage: bytes changed inside one stored article's value
// leave every page sound; the commands that read that article fail like on any damaged
// store (exit 1, the file named, what to do), stats --check lists the article, and
// nothing is written.
func TestUndecodableArticleFailsLikeDamage(t *testing.T) {
	path, ids := seedChromedStore(t, 25)
	data := breakValue(t, path, `"url":"https://www.news.example/story/7"`)
	out := filepath.Join(t.TempDir(), "corpus.jsonl")
	for _, args := range [][]string{
		{"export", "--db", path},
		{"export", "--db", path, "-o", out},
		{"show", "--db", path, ids[7]},
		{"stats", "--db", path, "--check"},
		{"reclean", "--db", path, "--site", "news.example"},
	} {
		code, stdout, stderr := runStoreCLI(t, args...)
		if code != exitFailed {
			t.Errorf("lede %s: exit %d, want 1; stderr:\n%s", strings.Join(args, " "), code, stderr)
		}
		checkDamageMessage(t, args, stderr, path)
		if !strings.Contains(stderr, "article "+ids[7]) {
			t.Errorf("lede %s: stderr does not name article %s:\n%s", strings.Join(args, " "), ids[7], stderr)
		}
		if strings.Contains(stderr+stdout, "goroutine ") {
			t.Errorf("lede %s printed a Go stack:\n%s", strings.Join(args, " "), stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s", out)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(data, after) {
		t.Fatal("a command wrote to the damaged store")
	}
}

// TestUndecodableFetchRecordStopsCrawlBeforeWriting: bytes changed inside one fetch record's
// value leave every page sound; a crawl of its site reads that record before it writes
// anything (the seeds are not queued), fails like on any damaged store, and leaves the file
// as it was.
func TestUndecodableFetchRecordStopsCrawlBeforeWriting(t *testing.T) {
	site := newNewsSite(t, 2)
	db := filepath.Join(t.TempDir(), "lede.db")
	if code, _, stderr := runStoreCLI(t, "crawl", "--db", db, "--delay", "0", site.URL+"/"); code != exitOK {
		t.Fatalf("first crawl: exit %d: %s", code, stderr)
	}
	data := breakValue(t, db, `{"url":"`+site.URL+`/","status"`) // the front page's fetch record
	code, stdout, stderr := runStoreCLI(t, "crawl", "--db", db, "--delay", "0", site.URL+"/")
	if code != exitFailed || !strings.Contains(stderr, db+" is damaged") || summaryLine(t, stdout)["stopped"] != "failed" {
		t.Errorf("crawl: exit %d, want 1, the damage and a summary line that says failed:\n%s\n%s", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(data, after) {
		t.Error("the crawl wrote to the damaged store")
	}
}

// TestDanglingIndexEntryFailsLikeDamage: an index entry naming an article that is not stored
// (bytes changed in an index key) fails the export like any damage, and stats --check, which
// decodes every value, reports the same entry.
func TestDanglingIndexEntryFailsLikeDamage(t *testing.T) {
	path, _ := seedChromedStore(t, 5)
	bdb, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	const ghost = "0123456789abcdef"
	err = bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("idx_time")).Put(append(bytes.Repeat([]byte{0xff}, 8), ghost...), nil)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"export", "--db", path},
		{"stats", "--db", path, "--check"},
	} {
		code, _, stderr := runStoreCLI(t, args...)
		if code != exitFailed || !strings.Contains(stderr, `idx_time index entry of article "`+ghost+`"`) {
			t.Errorf("lede %s: exit %d, want 1 and the index entry named:\n%s", strings.Join(args, " "), code, stderr)
		}
		checkDamageMessage(t, args, stderr, path)
	}
}
