// Command benchextract scores lede's extractor against readeck go-readability v2 alone on
// the article-extraction benchmark's pages, in one process, and times both.
//
//	go run ./cmd/benchextract -data ../shared/bench/zyte-dev [-pred out.json] [-only lede|readeck] [-runs 3] [-v]
//
// For each extractor it prints F1, precision, recall and accuracy (the metric of
// ../shared/bench/evalf1.py, see f1.go), the same F1 with empty outputs counted as precision 0,
// the number of empty outputs and errors, wall milliseconds per page (median and p95 of each
// page's fastest run), CPU milliseconds per page (process CPU time, garbage collection
// included, averaged over the runs), allocations and allocated kilobytes per page, and lede's
// cost as a ratio of readeck's.
//
// -pred writes the texts as evalf1.py's pred.json (id → {"articleBody": text}): lede's to
// the path given, readeck's beside it as NAME.readeck.json (or to the path itself with -only).
// "total time" sums each page's fastest run, the steadiest of the time ratios on a busy machine.
// -v lists the pages where the first extractor scores worst, to guide work on it; -show ID
// prints, for the pages whose id starts with ID, each extractor's extra text (not in the truth)
// and missing text (in the truth, not in its output).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"lede/extract"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchextract:", err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	data    string // folder with ground-truth.json and html/<id>.html.gz
	pred    string // where to write predictions, "" for nowhere
	only    string // "lede", "readeck" or "" for both
	runs    int    // timed passes over the pages
	worst   int    // pages listed by -v
	verbose bool
	show    string // id prefix of pages whose extra and missing text to print
}

func run(args []string, out io.Writer) error {
	var o options
	fs := flag.NewFlagSet("benchextract", flag.ContinueOnError)
	fs.StringVar(&o.data, "data", "../shared/bench/zyte-dev", "benchmark folder: ground-truth.json and html/<id>.html.gz")
	fs.StringVar(&o.pred, "pred", "", "write predictions as evalf1.py's pred.json to this path")
	fs.StringVar(&o.only, "only", "", "run only this extractor: lede or readeck")
	fs.IntVar(&o.runs, "runs", 3, "timed passes over the pages (each page's fastest pass counts for ms/page)")
	fs.IntVar(&o.worst, "worst", 20, "pages listed by -v")
	fs.BoolVar(&o.verbose, "v", false, "list the first extractor's worst pages and its errors")
	fs.StringVar(&o.show, "show", "", "print the extra and missing text of the pages whose id starts with this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.runs < 1 {
		return fmt.Errorf("-runs %d: need at least 1", o.runs)
	}

	var extractors []extractor
	for _, e := range allExtractors {
		if o.only == "" || o.only == e.name {
			extractors = append(extractors, e)
		}
	}
	if len(extractors) == 0 {
		return fmt.Errorf("-only %q: want lede or readeck", o.only)
	}

	pages, err := loadPages(o.data)
	if err != nil {
		return err
	}
	runtime.GC()
	results := measure(pages, extractors, o.runs)

	fmt.Fprintf(out, "%s: %d pages, %d timed runs, %s %s/%s, GOMAXPROCS %d\n\n",
		o.data, len(pages), o.runs, runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	printTable(out, pages, results)
	if len(results) == 2 {
		printRatios(out, results[0], results[1])
	}
	if o.verbose {
		printWorst(out, pages, results, o.worst)
	}
	if o.show != "" {
		if err := printShow(out, pages, results, o.show); err != nil {
			return err
		}
	}
	if o.pred != "" {
		for _, r := range results {
			path := o.pred
			if len(results) > 1 && r.name != "lede" {
				ext := filepath.Ext(path)
				path = strings.TrimSuffix(path, ext) + "." + r.name + ext
			}
			if err := writePred(path, pages, r.text); err != nil {
				return err
			}
			fmt.Fprintf(out, "wrote %s's predictions to %s\n", r.name, path)
		}
	}
	return nil
}

// page is one benchmark page, decompressed before any timing starts.
type page struct {
	id, url, truth string
	html           []byte
}

// loadPages reads ground-truth.json and every page it names, sorted by id as evalf1.py does.
func loadPages(dir string) ([]page, error) {
	truthPath := filepath.Join(dir, "ground-truth.json")
	raw, err := os.ReadFile(truthPath)
	if err != nil {
		return nil, fmt.Errorf("read ground truth: %w", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("%s: %w", truthPath, err)
	}
	pages := make([]page, 0, len(truth))
	for id, t := range truth {
		path := filepath.Join(dir, "html", id+".html.gz")
		body, err := readGzip(path)
		if err != nil {
			return nil, err
		}
		pages = append(pages, page{id: id, url: t.URL, truth: t.ArticleBody, html: body})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].id < pages[j].id })
	if len(pages) == 0 {
		return nil, fmt.Errorf("%s: no pages", truthPath)
	}
	return pages, nil
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return body, nil
}

// extractor turns one page into text.
type extractor struct {
	name string
	run  func(page []byte, pageURL string) (string, error)
}

var allExtractors = []extractor{
	{"lede", extractLede},
	{"readeck", extractReadeck},
}

// extractLede is lede's whole pipeline: charset decoding, parsing, readability, chrome stripping.
func extractLede(page []byte, pageURL string) (string, error) {
	a, err := extract.Extract(page, pageURL)
	if err != nil {
		return "", err
	}
	return a.Text, nil
}

// extractReadeck is readeck go-readability v2 alone, used the documented way: parse once,
// ParseAndMutate (which skips the costly charset guess of FromReader), RenderText. A page
// where readability finds nothing (Node == nil, no error) yields empty text.
func extractReadeck(page []byte, pageURL string) (string, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("page URL: %w", err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return "", fmt.Errorf("parse: %w", err)
	}
	parser := readability.NewParser()
	art, err := parser.ParseAndMutate(doc, u)
	if err != nil {
		return "", err
	}
	if art.Node == nil {
		return "", nil
	}
	var b strings.Builder
	if err := art.RenderText(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// result is what one extractor did on every page.
type result struct {
	name    string
	text    []string        // per page, "" on error
	errs    []error         // per page
	wall    []time.Duration // per page, fastest run
	cpu     time.Duration   // process CPU time over all runs
	mallocs []uint64        // per page, first run
	bytes   []uint64        // per page, first run
	runs    int
}

// measure runs every extractor on every page, runs times. Extractors alternate page by page,
// so that a change in the machine's load hits both alike. Allocations are counted on the first
// run only, since reading them stops the world.
func measure(pages []page, extractors []extractor, runs int) []*result {
	results := make([]*result, len(extractors))
	for i, e := range extractors {
		results[i] = &result{
			name: e.name, runs: runs,
			text: make([]string, len(pages)), errs: make([]error, len(pages)),
			wall:    make([]time.Duration, len(pages)),
			mallocs: make([]uint64, len(pages)), bytes: make([]uint64, len(pages)),
		}
	}
	var before, after runtime.MemStats
	for run := range runs {
		for p, pg := range pages {
			for k := range extractors {
				k := (k + p) % len(extractors) // alternate which goes first
				e, r := extractors[k], results[k]
				if run == 0 {
					runtime.ReadMemStats(&before)
				}
				cpu0 := cpuTime()
				start := time.Now()
				text, err := safeRun(e, pg)
				wall := time.Since(start)
				r.cpu += cpuTime() - cpu0
				if run == 0 {
					runtime.ReadMemStats(&after)
					r.mallocs[p] = after.Mallocs - before.Mallocs
					r.bytes[p] = after.TotalAlloc - before.TotalAlloc
					r.text[p], r.errs[p] = text, err
					r.wall[p] = wall
				}
				r.wall[p] = min(r.wall[p], wall)
			}
		}
	}
	return results
}

// safeRun turns a panic of the extractor into an error, so that one page cannot stop the run.
func safeRun(e extractor, pg page) (text string, err error) {
	defer func() {
		if v := recover(); v != nil {
			text, err = "", fmt.Errorf("panic: %v", v)
		}
	}()
	return e.run(pg.html, pg.url)
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// scores returns each page's score for r, in page order.
func (r *result) scores(pages []page) []pageScore {
	s := make([]pageScore, len(pages))
	for i, pg := range pages {
		s[i] = scorePage(pg.truth, r.text[i])
	}
	return s
}

func (r *result) errorCount() int {
	n := 0
	for _, err := range r.errs {
		if err != nil {
			n++
		}
	}
	return n
}

func (r *result) cpuPerPage() time.Duration {
	return r.cpu / time.Duration(r.runs*len(r.text))
}

func (r *result) mean(xs []uint64) float64 {
	var sum float64
	for _, x := range xs {
		sum += float64(x)
	}
	return sum / float64(len(xs))
}

// percentile returns the p-th percentile (0..100) of ds by the nearest-rank method.
func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(p/100*float64(len(s))+0.999999) - 1
	return s[max(0, min(rank, len(s)-1))]
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func printTable(out io.Writer, pages []page, results []*result) {
	fmt.Fprintf(out, "%-8s %6s %6s %6s %6s %10s %5s %6s %8s %8s %8s %11s %8s\n",
		"", "F1", "prec", "recall", "acc", "F1 empty=0", "empty", "errors",
		"ms med", "ms p95", "CPU ms", "allocs/page", "KB/page")
	for _, r := range results {
		c := aggregate(r.scores(pages))
		fmt.Fprintf(out, "%-8s %6.4f %6.4f %6.4f %6.4f %10.4f %5d %6d %8.2f %8.2f %8.2f %11.0f %8.0f\n",
			r.name, c.F1, c.Precision, c.Recall, c.Accuracy, c.StrictF1, c.EmptyPredictions, r.errorCount(),
			ms(percentile(r.wall, 50)), ms(percentile(r.wall, 95)), ms(r.cpuPerPage()),
			r.mean(r.mallocs), r.mean(r.bytes)/1024)
	}
	fmt.Fprintln(out)
}

func printRatios(out io.Writer, a, b *result) {
	ratio := func(x, y float64) string {
		if y == 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.2f×", x/y)
	}
	fmt.Fprintf(out, "%s / %s: median time %s, total time %s, CPU time %s, allocations %s, bytes allocated %s\n\n",
		a.name, b.name,
		ratio(ms(percentile(a.wall, 50)), ms(percentile(b.wall, 50))),
		ratio(ms(sum(a.wall)), ms(sum(b.wall))),
		ratio(ms(a.cpuPerPage()), ms(b.cpuPerPage())),
		ratio(a.mean(a.mallocs), b.mean(b.mallocs)),
		ratio(a.mean(a.bytes), b.mean(b.bytes)))
}

// printWorst lists the first extractor's pages by ascending F1, with the other's F1 beside.
func printWorst(out io.Writer, pages []page, results []*result, n int) {
	first := results[0]
	scores := first.scores(pages)
	var other []pageScore
	if len(results) > 1 {
		other = results[1].scores(pages)
	}
	order := make([]int, len(pages))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return scores[order[i]].F1() < scores[order[j]].F1() })

	fmt.Fprintf(out, "worst pages for %s:\n%-12s %6s %6s %6s", first.name, "id", "F1", "prec", "recall")
	if other != nil {
		fmt.Fprintf(out, " %8s", results[1].name)
	}
	fmt.Fprintf(out, " %7s %7s  %s\n", "words", "truth", "url")
	for _, i := range order[:min(n, len(order))] {
		s := scores[i]
		p, _ := s.Precision()
		r, _ := s.Recall()
		fmt.Fprintf(out, "%-12s %6.3f %6.3f %6.3f", pages[i].id[:12], s.F1(), p, r)
		if other != nil {
			fmt.Fprintf(out, " %8.3f", other[i].F1())
		}
		fmt.Fprintf(out, " %7d %7d  %s\n", len(tokens(first.text[i])), len(tokens(pages[i].truth)), pages[i].url)
	}
	printErrors(out, pages, first)
	fmt.Fprintln(out)
}

// printErrors lists r's errors, one line per distinct message with the pages it hit.
func printErrors(out io.Writer, pages []page, r *result) {
	byMsg := map[string][]string{}
	var msgs []string
	for i, err := range r.errs {
		if err == nil {
			continue
		}
		msg := err.Error()
		if byMsg[msg] == nil {
			msgs = append(msgs, msg)
		}
		byMsg[msg] = append(byMsg[msg], pages[i].id[:12])
	}
	if len(msgs) == 0 {
		return
	}
	fmt.Fprintf(out, "\n%s errors:\n", r.name)
	for _, msg := range msgs {
		ids := byMsg[msg]
		shown := strings.Join(ids[:min(len(ids), 5)], " ")
		if len(ids) > 5 {
			shown += " …"
		}
		fmt.Fprintf(out, "  %3d× %s (%s)\n", len(ids), msg, shown)
	}
}

// printShow prints each extractor's extra and missing text on the pages whose id starts with prefix.
func printShow(out io.Writer, pages []page, results []*result, prefix string) error {
	found := false
	for i, pg := range pages {
		if !strings.HasPrefix(pg.id, prefix) {
			continue
		}
		found = true
		fmt.Fprintf(out, "page %s %s\n", pg.id, pg.url)
		for _, r := range results {
			s := scorePage(pg.truth, r.text[i])
			p, _ := s.Precision()
			rc, _ := s.Recall()
			fmt.Fprintf(out, "  %s: F1 %.3f, precision %.3f, recall %.3f", r.name, s.F1(), p, rc)
			if r.errs[i] != nil {
				fmt.Fprintf(out, ", error: %v", r.errs[i])
			}
			fmt.Fprintln(out)
			for _, run := range unmatchedRuns(r.text[i], pg.truth) {
				fmt.Fprintf(out, "    + %s\n", shorten(run, 300))
			}
			for _, run := range unmatchedRuns(pg.truth, r.text[i]) {
				fmt.Fprintf(out, "    - %s\n", shorten(run, 300))
			}
		}
		fmt.Fprintln(out)
	}
	if !found {
		return fmt.Errorf("-show %q: no page id starts with it", prefix)
	}
	return nil
}

// shorten keeps the start and end of s when it is longer than n runes.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n/2]) + " … " + string(r[len(r)-n/2:])
}

// writePred writes texts as evalf1.py's pred.json: id → {"articleBody": text}.
func writePred(path string, pages []page, texts []string) error {
	pred := make(map[string]map[string]string, len(pages))
	for i, pg := range pages {
		pred[pg.id] = map[string]string{"articleBody": texts[i]}
	}
	raw, err := json.MarshalIndent(pred, "", " ")
	if err != nil {
		return fmt.Errorf("encode predictions: %w", err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return fmt.Errorf("write predictions: %w", err)
	}
	return nil
}
