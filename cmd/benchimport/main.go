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
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	flag.Parse()

	pages := load(*data)
	if len(pages) == 0 {
		log.Fatalf("no pages under %s", *data)
	}
	dir, err := os.MkdirTemp("", "benchimport-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	var buf bytes.Buffer
	buf.Write(warctest.Gzip(warctest.Record("warcinfo", "", []byte("software: benchimport\r\n"))))
	n := 0
	var htmlBytes int64
	for c := range *copies {
		for _, p := range pages {
			u := strings.Replace(p.url, "://", fmt.Sprintf("://c%d.", c), 1)
			buf.Write(warctest.Gzip(warctest.Record("request", u, []byte("GET / HTTP/1.1\r\n\r\n"))))
			buf.Write(warctest.Gzip(warctest.Response(u, 200, p.html, "Content-Type: text/html")))
			n++
			htmlBytes += int64(len(p.html))
		}
	}
	file := filepath.Join(dir, "bench.warc.gz")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	bin := filepath.Join(dir, "lede")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/lede").CombinedOutput(); err != nil {
		log.Fatalf("build lede: %v\n%s", err, out)
	}
	fmt.Printf("input: %d pages (%d distinct × %d copies), %.1f MB of HTML, %.1f MB of WARC (gzip)\n",
		n, len(pages), *copies, float64(htmlBytes)/1e6, float64(buf.Len())/1e6)

	// lede import, a process of its own.
	cmd := exec.Command(bin, "import", "--db", filepath.Join(dir, "bench.db"), "--quiet", file)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("lede import: %v", err)
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	var sum struct {
		New, Dups, Hubs int
	}
	var raw map[string]any
	_ = json.Unmarshal(out.Bytes(), &raw)
	sum.New, sum.Dups, sum.Hubs = num(raw["new_articles"]), num(raw["duplicates"]), num(raw["hubs"])
	fmt.Printf("lede import:           %6.1f pages/s  %5.2f MB/s of WARC  %5.2f MB/s of HTML  CPU/wall %.2f  peak RSS %d MB  (%d new, %d duplicates, %d fronts; wall %s)\n",
		float64(n)/wall.Seconds(), float64(buf.Len())/1e6/wall.Seconds(), float64(htmlBytes)/1e6/wall.Seconds(),
		cpu.Seconds()/wall.Seconds(), ru.Maxrss/1024, sum.New, sum.Dups, sum.Hubs, wall.Round(time.Millisecond))

	// The peer: lede extract's pipeline on one core, page after page.
	loops := max(1, *copies/10)
	start = time.Now()
	for range loops {
		for _, p := range pages {
			doc, err := extract.Parse(p.html, p.url, extract.WithContentType("text/html"))
			if err != nil {
				continue
			}
			_, _ = doc.Article()
			_ = doc.Verdict()
		}
	}
	el := time.Since(start)
	m := loops * len(pages)
	fmt.Printf("lede extract, a loop:  %6.1f pages/s  %5.2f MB/s of HTML (one core, %d pages)\n",
		float64(m)/el.Seconds(), float64(htmlBytes)/float64(*copies)*float64(loops)/1e6/el.Seconds(), m)
	fmt.Printf("import / extract loop: %.2f× the pages per second\n", (float64(n)/wall.Seconds())/(float64(m)/el.Seconds()))
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
