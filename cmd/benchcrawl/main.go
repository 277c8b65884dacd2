// Command benchcrawl measures `lede crawl` against the crawl peer, Scrapy with readability-lxml
// (../shared/bench/peer_spider.py, the architecture of news-please), on the same loopback news
// site (../shared/bench/newsfarm), at the same concurrency and without delay.
//
//	go run ./cmd/benchcrawl [-articles 2000] [-concurrency 8] [-runs 1] [-only lede|peer] [-large 20000] [-v]
//
// It copies newsfarm to a temporary folder (../shared is read-only) and builds it and lede,
// then for each contender starts a fresh newsfarm, runs the crawler as a child process to the
// end and reads the child's peak RSS from wait4's rusage. It prints, per contender: wall time,
// article pages fetched per second, all requests, CPU time, peak RSS, and the articles stored
// (lede: `lede export --format jsonl`; peer: its output) checked against newsfarm's own pages
// (see check.go); then lede's ratios to the peer and the targets (≥ 2× the peer's
// pages/s, peak RSS ≤ 70 MB, every article stored). With -large N, lede also crawls an
// N-article newsfarm and the tool prints both peaks and their ratio: a crawl's memory must
// not grow with its size (issue 13: the larger peak at most 1.1× the smaller).
//
// The peer needs Debian's /usr/bin/python3 with python3-scrapy and python3-readability.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcrawl:", err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	articles    int
	large       int // also crawl this many articles with lede, to compare peak RSS
	concurrency int
	runs        int
	only        string
	newsfarm    string // newsfarm's source folder
	peerScript  string
	python      string
	repo        string   // lede's module root, where ./cmd/lede is built from
	ledeArgs    []string // extra arguments for lede crawl
	keep        bool     // keep the temporary folder
	verbose     bool
	timeout     time.Duration
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	var o options
	var ledeArgs string
	fs := flag.NewFlagSet("benchcrawl", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.IntVar(&o.articles, "articles", 2000, "articles served by newsfarm")
	fs.IntVar(&o.large, "large", 0, "also crawl a newsfarm of this many articles with lede and compare the peak RSS (e.g. 20000)")
	fs.IntVar(&o.concurrency, "concurrency", 8, "requests in flight for both crawlers (lede --parallelism, Scrapy CONCURRENT_REQUESTS)")
	fs.IntVar(&o.runs, "runs", 1, "crawls per contender; the summary takes the median")
	fs.StringVar(&o.only, "only", "", "run only this contender: lede or peer")
	fs.StringVar(&o.newsfarm, "newsfarm", "../shared/bench/newsfarm", "newsfarm's source folder")
	fs.StringVar(&o.peerScript, "peer", "../shared/bench/peer_spider.py", "the peer crawler script")
	fs.StringVar(&o.python, "python", "/usr/bin/python3", "the Python with python3-scrapy and python3-readability")
	fs.StringVar(&o.repo, "repo", ".", "lede's module root")
	fs.StringVar(&ledeArgs, "lede-args", "", "extra arguments for lede crawl, space-separated (e.g. \"--max-pages 500\")")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary folder (store, logs, outputs) and print its path")
	fs.BoolVar(&o.verbose, "v", false, "print each crawler's own output")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up on one crawl after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.only != "" && o.only != "lede" && o.only != "peer" {
		return fmt.Errorf("-only %q: want lede or peer", o.only)
	}
	if o.runs < 1 || o.articles < 1 || o.concurrency < 1 {
		return errors.New("-runs, -articles and -concurrency must be at least 1")
	}
	o.ledeArgs = splitArgs(ledeArgs)

	tmp, err := os.MkdirTemp("", "benchcrawl-")
	if err != nil {
		return fmt.Errorf("temporary folder: %w", err)
	}
	if o.keep {
		fmt.Fprintln(out, "work folder:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	b := &bench{opts: o, dir: tmp, out: out}
	if err := b.prepare(ctx); err != nil {
		return err
	}
	var contenders []contender
	if o.only != "peer" {
		contenders = append(contenders, contender{"lede", b.runLede})
	}
	if o.only != "lede" {
		contenders = append(contenders, contender{"peer", b.runPeer})
	}

	fmt.Fprintf(out, "newsfarm: %d articles on 127.0.0.1, concurrency %d, no delay, %d run(s) each\n\n",
		o.articles, o.concurrency, o.runs)
	printHeader(out)
	summary := map[string]measurement{}
	for _, c := range contenders {
		var ms []measurement
		for i := range o.runs {
			m, err := b.crawl(ctx, c, i)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", c.name, i+1, err)
			}
			printRow(out, m)
			ms = append(ms, m)
		}
		summary[c.name] = median(ms)
	}
	if l, ok := summary["lede"]; ok {
		if p, ok := summary["peer"]; ok {
			printVerdict(out, l, p, o.articles)
		} else {
			printVerdict(out, l, measurement{}, o.articles)
		}
		if o.large > 0 {
			return b.growth(ctx, l)
		}
	}
	return nil
}

// growth crawls a newsfarm of o.large articles with lede and compares its peak RSS with
// small's, the crawl of o.articles: memory must not grow with the crawl's size.
func (b *bench) growth(ctx context.Context, small measurement) error {
	big := *b
	big.opts.articles = b.opts.large
	fmt.Fprintf(b.out, "\nlede on %d articles:\n", big.opts.articles)
	printHeader(b.out)
	var ms []measurement
	for i := range b.opts.runs {
		m, err := big.crawl(ctx, contender{"lede-large", big.runLede}, i)
		if err != nil {
			return fmt.Errorf("lede on %d articles, run %d: %w", big.opts.articles, i+1, err)
		}
		printRow(b.out, m)
		ms = append(ms, m)
	}
	large := median(ms)
	ratio := float64(large.maxRSS) / float64(small.maxRSS)
	fmt.Fprintf(b.out, "\npeak RSS: %.0f MB for %d articles, %.0f MB for %d: %.2f×\n",
		float64(small.maxRSS)/(1<<20), b.opts.articles, float64(large.maxRSS)/(1<<20), big.opts.articles, ratio)
	fmt.Fprintf(b.out, "sampled peaks, anonymous / file-backed (the binary, the store's memory map): %.0f / %.0f MB for %d, %.0f / %.0f MB for %d\n",
		float64(small.maxAnon)/(1<<20), float64(small.maxFile)/(1<<20), b.opts.articles,
		float64(large.maxAnon)/(1<<20), float64(large.maxFile)/(1<<20), big.opts.articles)
	check(b.out, "peak RSS of the larger crawl at most 1.1× the smaller's", ratio <= 1.1)
	check(b.out, fmt.Sprintf("all %d articles stored, each once", big.opts.articles),
		large.articles.stored == big.opts.articles && large.articles.distinct == big.opts.articles)
	return nil
}

// contender is one crawler under test: run crawls base (newsfarm's URL) and reports what it stored.
type contender struct {
	name string
	run  func(ctx context.Context, base, work string) (childResult, error)
}

// measurement is one crawl's outcome.
type measurement struct {
	name         string
	wall, cpu    time.Duration
	maxRSS       int64 // bytes
	maxAnon      int64 // bytes, the largest anonymous part sampled (see childResult)
	maxFile      int64 // bytes, the largest file-backed part sampled
	requests     int   // every request newsfarm answered
	articlePages int   // distinct article pages answered 200
	articles     articleCheck
}

// pagesPerSecond is article pages fetched per second of wall time.
func (m measurement) pagesPerSecond() float64 {
	if m.wall <= 0 {
		return 0
	}
	return float64(m.articlePages) / m.wall.Seconds()
}

// median returns the run with the median wall time, so that its figures stay consistent.
func median(ms []measurement) measurement {
	s := slices.Clone(ms)
	slices.SortFunc(s, func(a, b measurement) int { return int(a.wall - b.wall) })
	return s[len(s)/2]
}

// crawl starts a fresh newsfarm, runs c against it and gathers the measurement.
func (b *bench) crawl(ctx context.Context, c contender, i int) (measurement, error) {
	work := filepath.Join(b.dir, fmt.Sprintf("%s-%d", c.name, i+1))
	if err := os.MkdirAll(work, 0o755); err != nil {
		return measurement{}, err
	}
	farm, err := b.startFarm(ctx, work)
	if err != nil {
		return measurement{}, err
	}
	defer farm.stop()

	ctx, cancel := context.WithTimeout(ctx, b.opts.timeout)
	defer cancel()
	res, err := c.run(ctx, farm.base, work)
	if err != nil {
		return measurement{}, err
	}
	// Count the crawler's requests before checking its articles, which fetches pages again.
	reqs, articles, err := countRequests(farm.logPath)
	if err != nil {
		return measurement{}, err
	}
	check, err := checkArticles(res.articles, farmTruth(ctx, farm.base))
	if err != nil {
		return measurement{}, err
	}
	return measurement{
		name: c.name, wall: res.wall, cpu: res.cpu, maxRSS: res.maxRSS, maxAnon: res.maxAnon, maxFile: res.maxFile,
		requests: reqs, articlePages: articles, articles: check,
	}, nil
}

func printHeader(out io.Writer) {
	fmt.Fprintf(out, "%-6s %8s %8s %8s %8s %9s %7s %8s %7s %7s\n",
		"", "wall s", "pages/s", "requests", "CPU s", "peak RSS", "stored", "distinct", "exact", "chrome")
}

func printRow(out io.Writer, m measurement) {
	a := m.articles
	fmt.Fprintf(out, "%-6s %8.2f %8.1f %8d %8.2f %6.0f MB %7d %8d %7d %7d\n",
		m.name, m.wall.Seconds(), m.pagesPerSecond(), m.requests, m.cpu.Seconds(),
		float64(m.maxRSS)/(1<<20), a.stored, a.distinct, a.exact, a.chrome)
	if a.example != "" {
		fmt.Fprintf(out, "       e.g. %s\n", a.example)
	}
}

// printVerdict compares lede with the peer (when measured) and with the targets of issues 7
// and 13.
func printVerdict(out io.Writer, lede, peer measurement, articles int) {
	const rssTarget = 70 << 20
	fmt.Fprintln(out)
	if peer.name != "" {
		fmt.Fprintf(out, "lede / peer: pages/s %.2f×, CPU time %.2f×, peak RSS %.2f×\n",
			lede.pagesPerSecond()/peer.pagesPerSecond(), lede.cpu.Seconds()/peer.cpu.Seconds(),
			float64(lede.maxRSS)/float64(peer.maxRSS))
		check(out, "pages/s at least 2× the peer's", lede.pagesPerSecond() >= 2*peer.pagesPerSecond())
	}
	check(out, "peak RSS at most 70 MB", lede.maxRSS <= rssTarget)
	a := lede.articles
	check(out, fmt.Sprintf("all %d articles stored, each once", articles), a.stored == articles && a.distinct == articles)
	check(out, "every stored text is exactly the article's paragraphs", a.exact == a.stored)
	check(out, "no stored article holds chrome", a.chrome == 0)
}

func check(out io.Writer, what string, ok bool) {
	mark := "FAIL"
	if ok {
		mark = "ok  "
	}
	fmt.Fprintf(out, "  %s %s\n", mark, what)
}
