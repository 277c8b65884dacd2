// Command benchimport measures lede import on a WARC of real pages: the benchmark pages of
// ../shared/bench (zyte-dev and pagekind-dev) copied -copies times under hosts of their own,
// as per-record gzip response records with their request records, the Common Crawl layout.
// It builds lede, runs `lede import` into a fresh store and prints pages/s, MB/s of input,
// CPU time over wall time (how many cores were busy) and peak memory. The peer, measured in
// the same run on the same pages, is lede extract's pipeline in a loop on one core: parse,
// article, verdict, page after page, as `lede extract` does for each source.
//
//	go run ./cmd/benchimport -copies 30
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"lede/extract"
	"lede/warc/warctest"
)

type page struct {
	url  string
	html []byte
}

func main() {
	data := flag.String("data", "../shared/bench", "folder holding zyte-dev and pagekind-dev")
	copies := flag.Int("copies", 30, "copies of each page, each under a host of its own")
	sameHosts := flag.Bool("same-hosts", false, "put each copy under a path of its own on the page's host, not a host of its own")
	keep := flag.Bool("keep", false, "keep the WARC, the store and the lede binary (their folder is printed)")
	flag.Parse()

	pages := load(*data)
	if len(pages) == 0 {
		log.Fatalf("no pages under %s", *data)
	}
	dir, err := os.MkdirTemp("", "benchimport-")
	if err != nil {
		log.Fatal(err)
	}
	if *keep {
		fmt.Printf("kept in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	// The WARC goes straight to its file: the memory of this process must stay small, for
	// the kernel counts it in the peak RSS of the lede it starts (exec keeps the high-water
	// mark of the image it replaces), which is why the child's is read from /proc below.
	file := filepath.Join(dir, "bench.warc.gz")
	f, err := os.Create(file)
	if err != nil {
		log.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	w := &countingWriter{w: bw}
	w.Write(warctest.Gzip(warctest.Record("warcinfo", "", []byte("software: benchimport\r\n"))))
	n := 0
	var htmlBytes int64
	for c := range *copies {
		for _, p := range pages {
			u := strings.Replace(p.url, "://", fmt.Sprintf("://c%d.", c), 1)
			if *sameHosts {
				u = copyPath(p.url, c)
			}
			w.Write(warctest.Gzip(warctest.Record("request", u, []byte("GET / HTTP/1.1\r\n\r\n"))))
			w.Write(warctest.Gzip(warctest.Response(u, 200, p.html, "Content-Type: text/html")))
			n++
			htmlBytes += int64(len(p.html))
		}
	}
	if err := errors.Join(w.err, bw.Flush(), f.Close()); err != nil {
		log.Fatalf("write %s: %v", file, err)
	}
	warcBytes := float64(w.n)
	bin := filepath.Join(dir, "lede")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/lede").CombinedOutput(); err != nil {
		log.Fatalf("build lede: %v\n%s", err, out)
	}
	fmt.Printf("input: %d pages (%d distinct × %d copies), %.1f MB of HTML, %.1f MB of WARC (gzip)\n",
		n, len(pages), *copies, float64(htmlBytes)/1e6, warcBytes/1e6)

	// lede import, a process of its own.
	cmd := exec.Command(bin, "import", "--db", filepath.Join(dir, "bench.db"), "--quiet", file)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatalf("lede import: %v", err)
	}
	mem := watchMemory(cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		log.Fatalf("lede import: %v", err)
	}
	wall := time.Since(start)
	peak := <-mem
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	var sum struct {
		New, Dups, Hubs int
	}
	var raw map[string]any
	_ = json.Unmarshal(out.Bytes(), &raw)
	sum.New, sum.Dups, sum.Hubs = num(raw["new_articles"]), num(raw["duplicates"]), num(raw["hubs"])
	fmt.Printf("lede import:           %6.1f pages/s  %5.2f MB/s of WARC  %5.2f MB/s of HTML  CPU/wall %.2f  peak RSS %d MB (anon %d MB, file %d MB)  (%d new, %d duplicates, %d fronts; wall %s)\n",
		float64(n)/wall.Seconds(), warcBytes/1e6/wall.Seconds(), float64(htmlBytes)/1e6/wall.Seconds(),
		cpu.Seconds()/wall.Seconds(), peak.hwm>>20, peak.anon>>20, peak.file>>20, sum.New, sum.Dups, sum.Hubs, wall.Round(time.Millisecond))

	// The peer: lede extract's pipeline on one core, page after page.
	loops := max(1, *copies/10)
	start = time.Now()
	for range loops {
		extractAll(pages)
	}
	el := time.Since(start)
	m := loops * len(pages)
	fmt.Printf("lede extract, a loop:  %6.1f pages/s  %5.2f MB/s of HTML (one core, %d pages)\n",
		float64(m)/el.Seconds(), float64(htmlBytes)/float64(*copies)*float64(loops)/1e6/el.Seconds(), m)
	fmt.Printf("import / extract loop: %.2f× the pages per second\n", (float64(n)/wall.Seconds())/(float64(m)/el.Seconds()))

	// What the machine gives now: the same loop on every core, CPU time over wall time. On a
	// shared machine, import's CPU/wall means something only next to this one.
	procs := runtime.GOMAXPROCS(0)
	before, start := cpuTime(), time.Now()
	var wg sync.WaitGroup
	for range procs {
		wg.Go(func() {
			for range max(1, loops/procs) {
				extractAll(pages)
			}
		})
	}
	wg.Wait()
	fmt.Printf("extract loop on %d cores: CPU/wall %.2f (what the machine gave a CPU-bound program in this run)\n",
		procs, (cpuTime()-before).Seconds()/time.Since(start).Seconds())
}

// copyPath is u with a first path segment naming copy c.
func copyPath(u string, c int) string {
	scheme, rest, _ := strings.Cut(u, "://")
	host, path, _ := strings.Cut(rest, "/")
	return fmt.Sprintf("%s://%s/c%d/%s", scheme, host, c, path)
}

// extractAll runs lede extract's pipeline over pages: parse, article, verdict.
func extractAll(pages []page) {
	for _, p := range pages {
		doc, err := extract.Parse(p.html, p.url, extract.WithContentType("text/html"))
		if err != nil {
			continue
		}
		_, _ = doc.Article()
		_ = doc.Verdict()
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memPeak is the most memory a process held: its peak RSS (VmHWM) and the largest
// anonymous (heap, stacks) and file-backed (the store's mmap, the binary) parts seen.
type memPeak struct{ hwm, anon, file int64 }

// watchMemory reads /proc/PID/status every 20ms until the process is gone and sends the peaks.
func watchMemory(pid int) <-chan memPeak {
	out := make(chan memPeak, 1)
	go func() {
		var p memPeak
		for {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil || !bytes.Contains(b, []byte("VmHWM")) { // gone, or a zombie
				out <- p
				return
			}
			for line := range strings.Lines(string(b)) {
				k, v, _ := strings.Cut(line, ":")
				var kb int64
				fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
				switch k {
				case "VmHWM":
					p.hwm = max(p.hwm, kb<<10)
				case "RssAnon":
					p.anon = max(p.anon, kb<<10)
				case "RssFile":
					p.file = max(p.file, kb<<10)
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return out
}

// countingWriter counts the bytes written and keeps the first error.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// load reads the benchmark pages and their URLs.
func load(root string) []page {
	var pages []page
	read := func(file, url string) {
		gz, err := os.ReadFile(file)
		if err != nil {
			log.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			log.Fatalf("%s: %v", file, err)
		}
		html, err := io.ReadAll(zr)
		if err != nil {
			log.Fatalf("%s: %v", file, err)
		}
		pages = append(pages, page{url: url, html: html})
	}
	var entries map[string]struct {
		URL string `json:"url"`
	}
	for _, set := range []struct{ dir, index string }{{"zyte-dev", "ground-truth.json"}, {"pagekind-dev", "labels.json"}} {
		b, err := os.ReadFile(filepath.Join(root, set.dir, set.index))
		if err != nil {
			continue
		}
		entries = nil
		if err := json.Unmarshal(b, &entries); err != nil {
			log.Fatal(err)
		}
		for id, e := range entries {
			read(filepath.Join(root, set.dir, "html", id+".html.gz"), e.URL)
		}
	}
	return pages
}
