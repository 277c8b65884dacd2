// Command benchkind measures lede's article/front decision (issue 10) on a labelled set of
// pages: how many articles it keeps (recall) and how many fronts it does not store
// (rejection), per class of page and overall, and lists every miss with lede's reason.
//
//	go run ./cmd/benchkind [-data testdata/pagekind/labels.json] [-shared ../shared] [-only offline|crawl] [-v]
//
// The labels file is a JSON list of {url, kind ("article" or "front"), class, lang, note}
// with the page in one of: "file" (relative to the labels file), "shared" (relative to
// -shared) or "modcache" (relative to the Go module cache). Pages whose file is missing are
// counted and skipped.
//
// It decides every page twice:
//
//   - offline, as `lede extract` does: extract.Parse with the page's original URL, then
//     crawler.Decide without any crawl signal;
//   - crawled, as `lede crawl` does: one loopback server per original host, each on a
//     loopback address of its own (127.1.0.1, 127.1.0.2, …: the crawler tells hosts apart
//     by name, without the port), serves that host's pages at their original paths, with
//     an index page linking them all by absolute URL (the crawl's start page, at
//     /lede-benchkind-index.html); the crawler (delay 0, robots.txt ignored,
//     depth 1, no retries, a host that fails given up at once, connections to loopback
//     only: the feeds real pages announce on
//     their original hosts fail at once) stores into a temporary store, and a page is kept
//     when its fetch record says article. It crawls twice: without a sitemap, and with a plain sitemap per host listing
//     all of its pages (fronts too, as real sitemaps do).
//
// A page labelled "front" counts as rejected when lede does not store it (hub, media page or
// soft 404); a page labelled "article" counts as kept when lede stores it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"lede/internal/benchdata"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchkind:", err)
		os.Exit(1)
	}
}

// page is one labelled page.
// page is a labelled page (testdata/pagekind/labels.json).
type page = benchdata.Labelled

// result is lede's decision on one page.
type result struct {
	p      *page
	kept   bool   // stored as an article
	kind   string // lede's kind, or what became of the URL
	reason string
	at     string // the loopback URL it was crawled at (crawled mode)
}

// correct reports whether the decision agrees with the label.
func (r result) correct() bool { return r.kept == (r.p.Kind == "article") }

type options struct {
	data, shared string
	only         string
	verbose      bool
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	var o options
	fs := flag.NewFlagSet("benchkind", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.data, "data", "testdata/pagekind/labels.json", "the labels file")
	fs.StringVar(&o.shared, "shared", "../shared", "the shared data folder (for \"shared\" pages)")
	fs.StringVar(&o.only, "only", "", "run only this mode: offline or crawl")
	fs.BoolVar(&o.verbose, "v", false, "also list the correct decisions of each class")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.only != "" && o.only != "offline" && o.only != "crawl" {
		return fmt.Errorf("-only %q: want offline or crawl", o.only)
	}
	pages, missing, err := load(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d labelled pages (%d articles, %d fronts) from %s", len(pages), count(pages, "article"), count(pages, "front"), o.data)
	if missing > 0 {
		fmt.Fprintf(out, "; %d skipped: page file missing (../shared, or go mod download github.com/markusmobius/go-htmldate@v1.10.1 for go-htmldate's pages)", missing)
	}
	fmt.Fprintln(out)
	if o.only != "crawl" {
		report(out, "offline (lede extract: the page and its URL)", decideOffline(pages), o.verbose)
	}
	if o.only != "offline" {
		for _, sitemap := range []bool{false, true} {
			res, err := decideCrawled(ctx, pages, sitemap)
			if err != nil {
				return err
			}
			title := "crawled through loopback (index page only)"
			if sitemap {
				title = "crawled through loopback (index page and a sitemap of every page)"
			}
			report(out, title, res, o.verbose)
		}
	}
	return nil
}

func count(pages []*page, kind string) int {
	n := 0
	for _, p := range pages {
		if p.Kind == kind {
			n++
		}
	}
	return n
}

// load reads the labels and the pages.
func load(o options) ([]*page, int, error) {
	return benchdata.LoadLabelled(o.data, o.shared)
}

// report prints recall and rejection per class and overall, then the misses.
func report(out io.Writer, title string, res []result, verbose bool) {
	fmt.Fprintf(out, "\n== %s\n", title)
	type tally struct{ n, ok int }
	classes := map[string]*tally{}
	var art, front tally
	zyteHub := 0
	for _, r := range res {
		key := r.p.Kind + "/" + r.p.Class
		if classes[key] == nil {
			classes[key] = &tally{}
		}
		classes[key].n++
		t := &front
		if r.p.Kind == "article" {
			t = &art
		}
		t.n++
		if r.correct() {
			classes[key].ok++
			t.ok++
		}
		if strings.Contains(r.p.Shared, "zyte-dev") && !r.kept {
			zyteHub++
		}
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "label/class\tpages\tright\t")
	for _, k := range keys {
		c := classes[k]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", k, c.n, c.ok, pct(c.ok, c.n))
	}
	tw.Flush()
	fmt.Fprintf(out, "articles kept: %d/%d (%s); fronts not stored: %d/%d (%s); zyte-dev articles not kept: %d\n",
		art.ok, art.n, pct(art.ok, art.n), front.ok, front.n, pct(front.ok, front.n), zyteHub)
	for _, r := range res {
		if !r.correct() || verbose {
			mark := "MISS"
			if r.correct() {
				mark = "ok  "
			}
			fmt.Fprintf(out, "  %s %-7s %-22s %s\n       lede: %s: %s\n", mark, r.p.Kind, r.p.Class, r.p.URL, r.kind, r.reason)
		}
	}
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}
