package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"lede"
	"log/slog"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"lede/crawler"
	"lede/crawler/redisfrontier"
	"lede/store"
	"lede/warc"
)

func init() { addCommand(newCrawlCmd) }

// crawlOptions are the flags of `lede crawl`.
type crawlOptions struct {
	db           string
	config       string
	maxDepth     int
	maxPages     int
	delay        time.Duration
	parallelism  int
	userAgent    string
	timeout      time.Duration
	ignoreRobots bool
	allow, deny  []string
	maxBody      int
	refresh      bool
	refreshAfter time.Duration
	retryDead    time.Duration
	maxDuration  time.Duration
	logFormat    string
	logLevel     string
	quiet        bool
	learnChrome  bool
	warcDir      string
	warcMaxSize  int
	frontier     string        // redis://host:port/db of a crawl shared with other workers
	lease        time.Duration // how long a shared crawl's worker holds a URL without renewing
}

func newCrawlCmd() *cobra.Command {
	var o crawlOptions
	var dbPath *string
	cmd := &cobra.Command{
		Use:   "crawl [flags] URL... | --config sites.yaml",
		Short: "Crawl news sites into the store: polite, incremental, resumable",
		Long: `Crawl fetches the given start pages, the sites' sitemaps (robots.txt Sitemap lines,
else /sitemap.xml) and feeds (<link rel=alternate>), and follows in-site links up to
--max-depth. Article pages are stored clean, once; section fronts and listings are followed
but not stored. robots.txt and its Crawl-delay are obeyed; by default each host gets one
request at a time, at least --delay apart, while different hosts are crawled in parallel.

The queue lives in the store: a crawl that is killed or stopped (--max-pages, --max-duration,
Ctrl-C) resumes where it stopped on the next run. Articles already stored are not fetched
again (unless --refresh or --refresh-after); fronts, feeds and sitemaps are fetched again
with If-None-Match / If-Modified-Since, and sections found on earlier runs on a schedule of
their own (every run while they bring new links, up to once a day when they do not). A
sitemap or feed entry never fetched is always taken, whatever its date.

Each page is decided an article (stored) or a front (followed, not stored) from its
extracted body, its links, metadata and URL, whether a news sitemap or feed lists it, and the
host's URL templates learned as the crawl goes; lede show URL says why. A URL that answered
404 or 410, or was a soft 404, is not fetched again for --retry-dead-after (30 days).

Each host's page chrome is learned as it is crawled: blocks found on most of its pages (60%,
once 20 pages were counted) are removed from its articles, and articles stored before the
learned set changed are cleaned again at the end of the run ("recleaned" in the summary; see
lede reclean and lede stats --site). --learn-chrome=false turns this off.

--warc DIR also archives every HTTP exchange (robots.txt, sitemaps, feeds, pages, error
answers) as WARC/1.1 request and response records, gzip per record, in files rotated at
--warc-max-size; lede import rebuilds the articles from them.

At the end one JSON line on stdout sums the run up (fetched, new_articles, duplicates,
skipped, errors, per host). Exit codes: 0 done, 1 failed, 2 usage, 75 store locked by another
lede process, 130 interrupted.`,
		Example: `  lede crawl https://www.example.com/
  lede crawl --db news.db --delay 2s --max-pages 500 https://example.com/ https://example.org/news/
  lede crawl --config sites.yaml --quiet --max-duration 10m`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.db = *dbPath
			return runCrawl(cmd, o, args)
		},
	}
	dbPath = addDBFlag(cmd)
	addCrawlFlags(cmd, &o)
	cmd.Flags().StringVar(&o.frontier, "frontier", "", "share the crawl with other lede crawl workers through Redis: redis://[:password@]host:port/db (each worker keeps its own --db)")
	cmd.Flags().DurationVar(&o.lease, "lease", redisfrontier.DefaultLease, "with --frontier: a worker that stops renewing its URLs' leases for this long (killed, machine lost) loses them to the others")
	return cmd
}

// addCrawlFlags adds the crawl settings shared by crawl and schedule.
func addCrawlFlags(cmd *cobra.Command, o *crawlOptions) {
	f := cmd.Flags()
	f.StringVar(&o.config, "config", "", "YAML file of sites and settings (see testdata/sites.example.yaml)")
	f.IntVar(&o.maxDepth, "max-depth", 5, "links to follow away from a start page, feed or sitemap")
	f.IntVar(&o.maxPages, "max-pages", 0, "stop after N pages were answered (0: no limit; failed attempts do not count); the rest stays queued")
	f.DurationVar(&o.delay, "delay", time.Second, "least time between two requests to one host (a longer robots.txt Crawl-delay wins)")
	f.IntVar(&o.parallelism, "parallelism", 1, "requests in flight per host")
	f.StringVar(&o.userAgent, "user-agent", crawler.DefaultUserAgent, "User-Agent header (also picks the robots.txt group)")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "time limit of one request, body included")
	f.BoolVar(&o.ignoreRobots, "ignore-robots", false, "do not fetch or obey robots.txt")
	f.StringArrayVar(&o.allow, "allow", nil, "only follow URLs matching this regular expression (repeatable)")
	f.StringArrayVar(&o.deny, "deny", nil, "never follow URLs matching this regular expression (repeatable)")
	f.IntVar(&o.maxBody, "max-body", crawler.DefaultMaxBodySize, "largest page in bytes; a larger one is reported and not stored")
	f.BoolVar(&o.refresh, "refresh", false, "fetch stored articles again (conditionally) and update them")
	f.DurationVar(&o.refreshAfter, "refresh-after", 0, "fetch a stored article again once its last fetch is older than this (0: never)")
	f.DurationVar(&o.retryDead, "retry-dead-after", crawler.DefaultRetryDeadAfter, "fetch a URL that answered 404 or 410 (or was a soft 404) again once that answer is older than this (0: every run); a sitemap or feed listing it anew has it fetched at once")
	f.DurationVar(&o.maxDuration, "max-duration", 0, "stop gracefully after this long (0: no limit); the rest stays queued")
	f.StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.StringVar(&o.logLevel, "log-level", "info", "least log level: debug, info, warn or error")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the summary line and errors")
	f.BoolVar(&o.learnChrome, "learn-chrome", true, "learn each host's page chrome from its pages and strip it from its articles")
	f.StringVar(&o.warcDir, "warc", "", "also archive every HTTP exchange as WARC/1.1 records (gzip per record) in files in this directory")
	f.IntVar(&o.warcMaxSize, "warc-max-size", warc.DefaultMaxFileSize, "start a new WARC file when one reaches this many bytes")
}

// newLogger builds the slog logger of a command writing to w.
func newLogger(w io.Writer, format, level string, quiet bool) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	if quiet {
		lv = slog.LevelError
	}
	ho := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

func runCrawl(cmd *cobra.Command, o crawlOptions, args []string) error {
	stderr := progressStderr(cmd.ErrOrStderr(), o.quiet)
	log, err := newLogger(stderr, o.logFormat, o.logLevel, o.quiet)
	if err != nil {
		return withCode(exitUsage, err)
	}
	plan, err := o.plan(cmd, args)
	if err != nil {
		return withCode(exitUsage, err)
	}
	if o.frontier != "" {
		opts, err := parseFrontierURL(o.frontier)
		if err != nil {
			return withCode(exitUsage, err)
		}
		if o.lease <= 0 {
			return withCode(exitUsage, fmt.Errorf("--lease %s: want a positive duration", o.lease))
		}
		fr, err := openRedisFrontier(cmd.Context(), opts, o.lease, log)
		if err != nil {
			return withCode(exitFailed, err)
		}
		defer fr.Close()
		plan.frontier = fr
		plan.options = append(plan.options, crawler.WithHostClock(fr)) // --delay holds across workers
	}
	sum, err := crawlOnce(cmd.Context(), o, plan, log, cmd.OutOrStdout(), stderr, crawlHooks{})
	if err != nil && plan.frontier != nil && plan.frontier.lost() {
		err = fmt.Errorf("lost the Redis frontier at %s mid-crawl: this worker stopped; the articles it stored stay in %s, and the URLs it held go to other workers once their leases expire: %w",
			plan.frontier.addr, o.db, err)
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err // the store is locked, or missing
	}
	return crawlExit(sum, err)
}

// crawlHooks let a long-lived caller share a run's store and see its events (lede schedule
// --serve). The zero value opens and closes the store in crawlOnce.
type crawlHooks struct {
	// hold opens the store through the caller (web.Access.Hold), which reads through it
	// until release.
	hold   func(open func() (*store.DB, error)) (db *store.DB, release func() error, err error)
	events func(crawler.Event)
}

// crawlMemoryLimit is the soft limit on the Go heap during a crawl (see crawlOnce). A crawl's
// working set is about 15 MB; bigger pages in flight only make the collector run more often.
const crawlMemoryLimit = 24 << 20

// crawlOnce opens the store, runs one crawl of plan, records it in the store, prints the
// summary line on stdout and closes the store. A store held by another lede fails at once
// with exit code 75. When stderr is a terminal's progressWriter (see progressStderr), a
// progress bar shows meanwhile.
func crawlOnce(ctx context.Context, o crawlOptions, plan *crawlPlan, log *slog.Logger, stdout, stderr io.Writer, hooks crawlHooks) (_ *crawler.Summary, retErr error) {
	// The Go collector lets the heap grow to twice what was live at its last cycle, so the
	// longer a crawl runs, the likelier a cycle lands on a busy moment and the higher the peak:
	// a soft limit on the Go heap keeps a crawl's peak flat in its size (the runtime collects
	// more often near it, never fails on it). GOMEMLIMIT, when set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(crawlMemoryLimit)
	}
	// A second lede on the same store must fail at once, not queue up behind the first.
	start := time.Now()
	open := func() (*store.DB, error) { return openDB(o.db, store.WithTimeout(200*time.Millisecond)) }
	var (
		db      *store.DB
		release func() error
		err     error
	)
	if hooks.hold != nil {
		db, release, err = hooks.hold(open)
	} else if db, err = open(); err == nil {
		release = db.Close
	}
	if err != nil {
		// Every run prints its summary line, this one too: it did nothing, and says why.
		sum := &crawler.Summary{Hosts: map[string]*crawler.Counts{}, Stopped: lede.StopFailed}
		if errors.Is(err, store.ErrLocked) {
			sum.Stopped = lede.StopLocked
		}
		sum.ElapsedSeconds = time.Since(start).Seconds()
		_ = printSummary(stdout, sum) // the exit code says what matters: locked (75) or failed
		return sum, err
	}
	released := false
	defer func() {
		if !released {
			release()
		}
	}()

	opts := append(append([]crawler.Option{}, plan.options...), crawler.WithLogger(log))
	if plan.warcDir != "" {
		ww, werr := warc.NewWriter(plan.warcDir, warc.WriterOptions{MaxFileSize: int64(plan.warcMaxSize),
			Software: "lede (" + crawler.DefaultUserAgent + ")", Fields: map[string]string{"http-header-user-agent": plan.userAgent}})
		if werr != nil {
			return nil, werr
		}
		defer func() {
			if cerr := ww.Close(); cerr != nil && retErr == nil {
				retErr = fmt.Errorf("close WARC file: %w", cerr)
			}
		}()
		opts = append(opts, crawler.WithWARC(ww))
	}
	var listeners []func(crawler.Event)
	if pw, ok := stderr.(*progressWriter); ok {
		pw.start()
		defer pw.finish()
		listeners = append(listeners, pw.event)
	}
	if hooks.events != nil {
		listeners = append(listeners, hooks.events)
	}
	if len(listeners) > 0 {
		opts = append(opts, crawler.WithEvents(func(ev crawler.Event) {
			for _, fn := range listeners {
				fn(ev)
			}
		}))
	}
	var fr lede.Frontier = db.Frontier()
	if plan.frontier != nil {
		fr = plan.frontier
	}
	c := crawler.New(db, fr, opts...)
	started := time.Now()
	sum, err := c.Run(ctx, plan.sites...)
	if sum != nil {
		if !errors.Is(err, store.ErrCorrupt) { // nothing more is written to a damaged store
			recordRun(db, started, sum, log)
		}
		if perr := printSummary(stdout, sum); perr != nil && err == nil {
			err = perr
		}
	}
	released = true
	if cerr := release(); cerr != nil && err == nil {
		err = cerr // it reads "close store <path>: ..."
	}
	return sum, err
}

// recordRun keeps the run's summary in the store, for lede serve's list of the last crawls.
// A run that cannot be recorded is still a run: the failure is only logged.
func recordRun(db *store.DB, started time.Time, sum *crawler.Summary, log *slog.Logger) {
	b, err := json.Marshal(sum)
	if err == nil {
		// Recorded even when the run was interrupted: its context is done, the store is not.
		err = db.PutRun(context.Background(), started, b)
	}
	if err != nil {
		log.Warn("could not record the crawl run", "err", err)
	}
}

// crawlExit maps a crawl's outcome to lede's exit codes.
func crawlExit(sum *crawler.Summary, err error) error {
	switch {
	case err != nil:
		return withCode(exitFailed, fmt.Errorf("crawl: %w", err))
	case sum.Stopped == lede.StopInterrupted:
		return withCode(exitInterrupted, fmt.Errorf("interrupted: %d URLs stay queued; run the same crawl again to resume", sum.Queued))
	case sum.NothingFetched():
		return withCode(exitFailed, fmt.Errorf("crawl: nothing could be fetched (%d errors, %d retries)", sum.Errors, sum.Retries))
	}
	return nil
}

// printSummary writes the run's one-line JSON summary.
func printSummary(w io.Writer, sum *crawler.Summary) error {
	b, err := json.Marshal(sum)
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// progressStderr returns where a crawl writes its logs: w itself, or when w is a terminal
// and the run is not quiet, a progressWriter on it that shows a progress bar while a crawl
// runs.
func progressStderr(w io.Writer, quiet bool) io.Writer {
	if f, ok := w.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		return &progressWriter{out: w}
	}
	return w
}

// progressWriter is a terminal showing a crawl's progress bar on its last line, and the
// writer of the crawl's logs: each write first clears the bar's line, so that a log line
// never lands on the bar (the bar is drawn again at the next event). The bar is only drawn
// from here, under mu, so a log line and the bar never write at the same time.
type progressWriter struct {
	mu  sync.Mutex
	out io.Writer
	bar *progressbar.ProgressBar // nil while no crawl runs
}

// Write writes a log line on a line of its own.
func (p *progressWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Clear()
	}
	return p.out.Write(b)
}

// start shows a new progress bar.
func (p *progressWriter) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar = progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(p.out),
		progressbar.OptionSetDescription("crawling"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("URLs"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetSpinnerChangeInterval(0), // no drawing from the bar's own goroutine
		progressbar.OptionClearOnFinish(),
	)
}

// event moves the bar on by one finished URL.
func (p *progressWriter) event(ev crawler.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil && ev.Outcome != lede.OutcomePaused { // a pause is about the host, not one more URL
		p.bar.Describe(fmt.Sprintf("crawling (%d fetched, %d pending)", ev.Fetched, ev.Pending))
		p.bar.Add(1)
	}
}

// finish clears the bar away.
func (p *progressWriter) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}

// crawlPlan is what to crawl and how: the sites and the crawler's options.
type crawlPlan struct {
	sites    []crawler.Site
	options  []crawler.Option
	frontier *redisFrontier // a crawl shared through Redis; nil: the store's own frontier
	// warcDir, when set, is where the crawl's exchanges are archived, in files of at most
	// warcMaxSize bytes, with userAgent named in their warcinfo.
	warcDir     string
	warcMaxSize int
	userAgent   string
}

// applyConfig takes the config file's crawl-wide settings, except where a flag was given.
func (o *crawlOptions) applyConfig(cfg *crawler.Config, changed func(flag string) bool) {
	dur := func(flag string, dst *time.Duration, v *crawler.Duration) {
		if v != nil && !changed(flag) {
			*dst = time.Duration(*v)
		}
	}
	num := func(flag string, dst *int, v *crawler.Count) {
		if v != nil && !changed(flag) {
			*dst = int(*v)
		}
	}
	dur("delay", &o.delay, cfg.Delay)
	dur("timeout", &o.timeout, cfg.Timeout)
	dur("max-duration", &o.maxDuration, cfg.MaxDuration)
	dur("refresh-after", &o.refreshAfter, cfg.RefreshAfter)
	dur("retry-dead-after", &o.retryDead, cfg.RetryDeadAfter)
	num("parallelism", &o.parallelism, cfg.Parallelism)
	num("max-depth", &o.maxDepth, cfg.MaxDepth)
	num("max-pages", &o.maxPages, cfg.MaxPages)
	num("max-body", &o.maxBody, cfg.MaxBody)
	if cfg.UserAgent != "" && !changed("user-agent") {
		o.userAgent = cfg.UserAgent
	}
	if cfg.WARC != "" && !changed("warc") {
		o.warcDir = cfg.WARC
	}
	num("warc-max-size", &o.warcMaxSize, cfg.WARCMaxSize)
	if cfg.IgnoreRobots != nil && !changed("ignore-robots") {
		o.ignoreRobots = *cfg.IgnoreRobots
	}
}

// plan turns flags, arguments and the --config file into a crawl plan. Flags given on the
// command line win over the config file's settings.
func (o crawlOptions) plan(cmd *cobra.Command, args []string) (*crawlPlan, error) {
	p := &crawlPlan{}
	if o.config != "" {
		cfg, err := crawler.LoadConfig(o.config)
		if err != nil {
			return nil, err
		}
		o.applyConfig(cfg, cmd.Flags().Changed)
		p.sites = cfg.CrawlSites(o.allow, o.deny)
	} else if len(args) == 0 {
		return nil, errors.New("crawl needs start URLs or --config FILE\nrun 'lede crawl --help' for usage")
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "http://") && !strings.HasPrefix(a, "https://") {
			return nil, fmt.Errorf("start URL %q: want an http:// or https:// URL", a)
		}
		if _, err := lede.Canonicalize(a); err != nil {
			return nil, fmt.Errorf("start URL %q: %w", a, err)
		}
		p.sites = append(p.sites, crawler.Site{Start: []string{a}, Allow: o.allow, Deny: o.deny})
	}
	for _, pat := range append(append([]string{}, o.allow...), o.deny...) {
		if _, err := regexp.Compile(pat); err != nil {
			return nil, fmt.Errorf("--allow/--deny pattern %q: %w", pat, err)
		}
	}
	if o.parallelism < 1 {
		return nil, fmt.Errorf("--parallelism %d: want at least 1", o.parallelism)
	}
	if o.delay < 0 || o.timeout <= 0 || o.maxDuration < 0 || o.refreshAfter < 0 || o.retryDead < 0 {
		return nil, errors.New("--delay, --timeout, --max-duration, --refresh-after and --retry-dead-after must not be negative (and --timeout not zero)")
	}
	if o.maxDepth < 0 || o.maxPages < 0 || o.maxBody <= 0 {
		return nil, errors.New("--max-depth and --max-pages must not be negative, --max-body must be positive")
	}
	if o.warcMaxSize <= 0 {
		return nil, fmt.Errorf("--warc-max-size %d: want a positive size in bytes", o.warcMaxSize)
	}
	p.warcDir, p.warcMaxSize, p.userAgent = o.warcDir, o.warcMaxSize, o.userAgent
	p.options = []crawler.Option{
		crawler.WithMaxDepth(o.maxDepth),
		crawler.WithMaxPages(o.maxPages),
		crawler.WithDelay(o.delay),
		crawler.WithParallelism(o.parallelism),
		crawler.WithUserAgent(o.userAgent),
		crawler.WithTimeout(o.timeout),
		crawler.IgnoreRobots(o.ignoreRobots),
		crawler.WithMaxBodySize(o.maxBody),
		crawler.WithRefresh(o.refresh),
		crawler.WithRefreshAfter(o.refreshAfter),
		crawler.WithRetryDeadAfter(o.retryDead),
		crawler.WithMaxDuration(o.maxDuration),
		crawler.WithLearnedChrome(o.learnChrome),
	}
	return p, nil
}
