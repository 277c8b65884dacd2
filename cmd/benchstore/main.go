// Command benchstore measures lede's store on a synthetic corpus: it inserts N articles with
// concurrent PutArticle calls (so that bbolt batches them, many per transaction), then exports
// them all as JSONL, and prints articles per second for both and each phase's peak memory.
// Each phase runs in a child process of its own, as `lede crawl` and `lede export` would.
//
// Peak memory is read from /proc/self/status: VmHWM (peak resident set of the phase's
// process), and RssAnon / RssFile sampled every 20ms, with the split at the highest sample.
// RssAnon is the Go heap (its part in use, from runtime/metrics, is shown beside it) and
// stacks; RssFile is the part of the store file mapped by bbolt that the process has touched
// (clean page cache the kernel may drop at will) plus the binary. At the end of the inserts,
// /proc/self/smaps splits the resident set into anonymous memory, the store file and other
// files. The live heap is runtime.MemStats.HeapAlloc
// after a forced collection at the end of each phase. Run it at two corpus sizes to see
// what grows with the corpus:
//
//	go run ./cmd/benchstore -n 20000
//	go run ./cmd/benchstore -n 100000
//
// The yardstick (-peer N) inserts the first N articles into a fresh store with one writer,
// that is one transaction and one fsync per article as a store without batching would, then
// into another fresh store with -workers writers, and prints the ratio.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"lede"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lede/store"
)

func main() {
	n := flag.Int("n", 100_000, "articles to insert")
	workers := flag.Int("workers", 64, "goroutines calling PutArticle")
	words := flag.Int("words", 250, "words per article")
	format := flag.String("format", "jsonl", "export format")
	peer := flag.Int("peer", 2000, "articles for the one-writer yardstick (0: skip)")
	dir := flag.String("dir", "", "directory for the store files (default: a temporary directory, removed)")
	reuse := flag.Bool("reuse", false, "with -dir: export the store left there by an earlier run instead of inserting")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the insert phase to FILE")
	phase := flag.String("phase", "", "internal: run one phase (insert or export) on -db in this process")
	dbPath := flag.String("db", "", "internal: the store file of -phase")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	switch *phase {
	case "insert":
		insertPhase(ctx, *dbPath, *n, *workers, *words, *cpuprofile)
		return
	case "export":
		exportPhase(ctx, *dbPath, *format)
		return
	case "":
	default:
		log.Fatalf("unknown -phase %q", *phase)
	}

	if *dir == "" {
		d, err := os.MkdirTemp("", "benchstore-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	// Each phase runs in its own process, as `lede crawl` and `lede export` do, so that each
	// reports its own peak resident set.
	path := filepath.Join(*dir, "bench.db")
	common := []string{"-db", path, "-n", strconv.Itoa(*n), "-workers", strconv.Itoa(*workers),
		"-words", strconv.Itoa(*words), "-format", *format, "-cpuprofile", *cpuprofile}
	phases := []string{"insert", "export"}
	if _, err := os.Stat(path); *reuse && err == nil {
		phases = phases[1:]
	} else if err == nil {
		log.Fatalf("%s exists: remove it, or pass -reuse to export it", path)
	}
	for _, ph := range phases {
		cmd := exec.Command(os.Args[0], append([]string{"-phase", ph}, common...)...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatalf("%s phase: %v", ph, err)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("file     %.1f MB (%.0f bytes/article)\n", float64(info.Size())/1e6, float64(info.Size())/float64(*n))

	if *peer > 0 {
		// The yardstick, on fresh stores of the same size: the first -peer articles with one
		// writer (a transaction and an fsync each), then with -workers writers (batched).
		corpus := newCorpus(*words)
		rate := func(name string, workers int) float64 {
			pdb, err := store.Open(filepath.Join(*dir, name))
			if err != nil {
				log.Fatal(err)
			}
			defer pdb.Close()
			d, _ := insert(ctx, pdb, corpus, 0, *peer, workers)
			return float64(*peer) / d.Seconds()
		}
		single := rate("peer-single.db", 1)
		batched := rate("peer-batched.db", *workers)
		fmt.Printf("peer     %7d articles into a fresh store: 1 writer %.0f articles/s, %d writers %.0f articles/s: batching %.1f×\n",
			*peer, single, *workers, batched, batched/single)
	}
}

// insertPhase creates the store at path and inserts n articles from workers goroutines.
func insertPhase(ctx context.Context, path string, n, workers, words int, cpuprofile string) {
	mon := startMonitor()
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	db, err := store.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	d, results := insert(ctx, db, newCorpus(words), 0, n, workers)
	split := residentSplit(path)
	st, err := db.Stats(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if err := db.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("insert   %7d articles  %6.1fs  %8.0f articles/s  (%d workers; %s; %.0f MB free in the file)\n",
		n, d.Seconds(), float64(n)/d.Seconds(), workers, results, float64(st.FreeBytes)/1e6)
	fmt.Printf("         memory: %s\n", mon.snapshot())
	fmt.Printf("         at the end of the inserts: %s\n", split)
}

// exportPhase opens the store at path read-only and exports every article to io.Discard.
func exportPhase(ctx context.Context, path, format string) {
	mon := startMonitor()
	start := time.Now()
	db, err := store.Open(path, store.ReadOnly())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	got, err := db.Export(ctx, store.Filter{}, io.Discard, format)
	if err != nil {
		log.Fatal(err)
	}
	d := time.Since(start)
	fmt.Printf("export   %7d articles  %6.1fs  %8.0f articles/s  (%s to io.Discard)\n", got, d.Seconds(),
		float64(got)/d.Seconds(), format)
	fmt.Printf("         memory: %s\n", mon.snapshot())
}

// insert stores articles [from, to) from workers goroutines and returns the wall time and a
// count of each PutResult.
func insert(ctx context.Context, db *store.DB, c *corpus, from, to, workers int) (time.Duration, string) {
	var next atomic.Int64
	next.Store(int64(from))
	var counts [4]atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= to {
					return
				}
				a, raw := c.article(i)
				res, err := db.PutArticle(ctx, a, raw)
				if err != nil {
					log.Fatal(err)
				}
				counts[res].Add(1)
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	var parts []string
	for r := range counts {
		if v := counts[r].Load(); v > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", store.PutResult(r), v))
		}
	}
	return d, strings.Join(parts, ", ")
}

// corpus generates distinct synthetic articles, a third of them Arabic, from fixed vocabularies.
type corpus struct {
	words   int
	latin   []string
	arabic  []string
	sites   []string
	started time.Time
}

func newCorpus(words int) *corpus {
	r := rand.New(rand.NewPCG(1, 2))
	c := &corpus{words: words, started: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	const latinLetters = "abcdefghijklmnopqrstuvwxyz"
	arabicLetters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	for range 8000 {
		var b strings.Builder
		for range 3 + r.IntN(7) {
			b.WriteByte(latinLetters[r.IntN(len(latinLetters))])
		}
		c.latin = append(c.latin, b.String())
		b.Reset()
		for range 3 + r.IntN(5) {
			b.WriteRune(arabicLetters[r.IntN(len(arabicLetters))])
		}
		c.arabic = append(c.arabic, b.String())
	}
	for i := range 40 {
		c.sites = append(c.sites, "site"+strconv.Itoa(i)+".example")
	}
	return c
}

// article returns synthetic article i and its raw page; the same i always gives the same article.
func (c *corpus) article(i int) (*lede.Article, []byte) {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	vocab, lang := c.latin, "en"
	if i%3 == 0 {
		vocab, lang = c.arabic, "ar"
	}
	var text, html strings.Builder
	for p := 0; p < c.words; p += 50 {
		html.WriteString("<p>")
		for w := p; w < min(p+50, c.words); w++ {
			if w > p {
				text.WriteByte(' ')
				html.WriteByte(' ')
			}
			word := vocab[r.IntN(len(vocab))]
			text.WriteString(word)
			html.WriteString(word)
		}
		text.WriteString(".\n\n")
		html.WriteString(".</p>")
	}
	site := c.sites[i%len(c.sites)]
	url := fmt.Sprintf("https://%s/news/%d/story-%d.html", site, i/1000, i)
	title := strings.Join(strings.Fields(text.String())[:6], " ")
	raw := "<!doctype html><html><head><title>" + title + "</title></head><body><nav>home news sport</nav><article><h1>" +
		title + "</h1>" + html.String() + "</article><footer>© " + site + "</footer></body></html>"
	return &lede.Article{
		URL: url, CanonicalURL: url, Site: site, Title: title, Lang: lang,
		Published: c.started.Add(time.Duration(r.IntN(5*365*24)) * time.Hour),
		Text:      text.String(), HTML: html.String(),
	}, []byte(raw)
}

// monitor samples the process's memory from /proc/self/status.
type monitor struct {
	mu         sync.Mutex
	anon, file int64 // peaks since the last reset, kB
	stop       chan struct{}
	goHeap     uint64 // peak bytes of Go heap spans in use (objects and fragmentation)
	atPeak     string // where the resident set was when VmRSS peaked
	rssPeak    int64
}

// goHeapInUse is the Go heap in use: the memory of spans holding objects, live or not yet
// collected (runtime/metrics; the rest of RssAnon is free heap not yet returned, and stacks).
func goHeapInUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}

func startMonitor() *monitor {
	m := &monitor{stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for range t.C {
			s := readStatus()
			m.mu.Lock()
			m.anon = max(m.anon, s["RssAnon"])
			m.file = max(m.file, s["RssFile"])
			heap := goHeapInUse()
			m.goHeap = max(m.goHeap, heap)
			if s["VmRSS"] > m.rssPeak {
				m.rssPeak = s["VmRSS"]
				m.atPeak = fmt.Sprintf("VmRSS %.0f MB = RssAnon %.0f MB (Go heap in use %.0f MB) + RssFile %.0f MB",
					float64(s["VmRSS"])/1024, float64(s["RssAnon"])/1024, float64(heap)/1e6, float64(s["RssFile"])/1024)
			}
			m.mu.Unlock()
		}
	}()
	return m
}

// snapshot reports the peaks of the phase that just ended.
// The live heap is measured after a forced collection: what the phase still holds.
func (m *monitor) snapshot() string {
	s := readStatus()
	m.mu.Lock()
	m.anon = max(m.anon, s["RssAnon"])
	m.file = max(m.file, s["RssFile"])
	anon, file := m.anon, m.file
	m.mu.Unlock()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return fmt.Sprintf("VmHWM %.0f MB, peak RssAnon %.0f MB (Go heap in use at most %.0f MB), peak RssFile %.0f MB, live heap after GC %.1f MB\n         at the highest sample: %s",
		float64(s["VmHWM"])/1024, float64(anon)/1024, float64(m.goHeap)/1e6, float64(file)/1024, float64(ms.HeapAlloc)/1e6, m.atPeak)
}

// residentSplit tells where the resident set is now, from /proc/self/smaps: anonymous
// memory (Go heap and stacks), the store file mapped by bbolt (path), and other files (the
// binary and libraries).
func residentSplit(path string) string {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "no /proc/self/smaps"
	}
	defer f.Close()
	var rss, anon, store int64 // kB
	inStore := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if !strings.HasSuffix(fields[0], ":") { // a mapping's header: address range ... pathname
			inStore = len(fields) >= 6 && fields[len(fields)-1] == path
			continue
		}
		n, _ := strconv.ParseInt(fields[1%len(fields)], 10, 64)
		switch k := strings.TrimSuffix(fields[0], ":"); k {
		case "Rss":
			rss += n
			if inStore {
				store += n
			}
		case "Anonymous":
			anon += n
		}
	}
	return fmt.Sprintf("Rss %.0f MB = anonymous %.0f MB + store file %.0f MB + other files %.0f MB",
		float64(rss)/1024, float64(anon)/1024, float64(store)/1024, float64(rss-anon-store)/1024)
}

// readStatus returns the kB fields of /proc/self/status (empty where it does not exist).
func readStatus() map[string]int64 {
	out := map[string]int64{}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil {
			out[k] = n
		}
	}
	return out
}
