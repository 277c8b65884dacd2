package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"lede"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lede/crawler"
	"lede/internal/demosite"
	"lede/store"
	"lede/web"
)

func init() { addCommand(newDemoCmd) }

func newDemoCmd() *cobra.Command {
	var dbPath, serveAddr string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Crawl a bundled demo news site on 127.0.0.1 and show a clean article (offline)",
		Long: `Demo serves a small news site bundled with lede (Arabic and English articles in the
usual page chrome, section fronts, an RSS feed, a sitemap, robots.txt) on 127.0.0.1, crawls it
into a store, prints the crawl's summary line and the first clean article. It needs no network.
The store is temporary unless --db names a new file to keep (then try 'lede export --db FILE');
an existing file is refused, never written to.
With --serve, the demo corpus then opens in lede serve's web UI (127.0.0.1:8787 by default,
or --serve=HOST:PORT) until Ctrl-C: try an Arabic article's explain view.`,
		Example: `  go run ./cmd/lede demo
  lede demo --db demo.db && lede export --db demo.db --format text
  lede demo --serve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), dbPath, serveAddr)
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", "", "keep the demo store in this file (default: a temporary file, removed at the end)")
	cmd.Flags().StringVar(&serveAddr, "serve", "", "then browse the demo corpus in the web UI on this address (--serve alone: "+defaultServeAddr+")")
	cmd.Flags().Lookup("serve").NoOptDefVal = defaultServeAddr
	return cmd
}

func runDemo(ctx context.Context, stdout, stderr io.Writer, dbPath, serveAddr string) error {
	var ui net.Listener
	if serveAddr != "" { // listen first: a busy port fails before the crawl
		var err error
		if ui, err = listenUI(stderr, serveAddr); err != nil {
			return err
		}
		defer ui.Close()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: listen on 127.0.0.1: %w", err)
	}
	srv := &http.Server{Handler: demosite.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	if dbPath == "" {
		dir, err := os.MkdirTemp("", "lede-demo-")
		if err != nil {
			return fmt.Errorf("demo: temporary store: %w", err)
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "demo.db")
	} else if err := demoNewFile(dbPath); err != nil {
		return err
	}
	db, err := openDB(dbPath, store.WithTimeout(200*time.Millisecond))
	if err != nil {
		return err
	}
	defer db.Close()

	log, _ := newLogger(stderr, "text", "warn", false)
	fmt.Fprintf(stderr, "Serving the demo site on %s and crawling it into %s\n", base, dbPath)
	c := crawler.New(db, db.Frontier(),
		crawler.WithDelay(50*time.Millisecond),
		crawler.WithParallelism(2),
		crawler.WithTimeout(10*time.Second),
		crawler.WithLogger(log))
	started := time.Now()
	sum, err := c.Run(ctx, crawler.Site{Name: "demo", Start: []string{base + "/"}})
	if err != nil {
		return withCode(exitFailed, fmt.Errorf("demo crawl: %w", err))
	}
	recordRun(db, started, sum, log)
	if err := printSummary(stdout, sum); err != nil {
		return err
	}
	if sum.Stopped == lede.StopInterrupted {
		return withCode(exitInterrupted, errors.New("interrupted"))
	}

	var first *lede.Article
	err = db.Articles(ctx, store.Filter{}, func(a *lede.Article) error {
		first = a
		return errStopIteration
	})
	if err != nil && !errors.Is(err, errStopIteration) {
		return fmt.Errorf("demo: read the store: %w", err)
	}
	if first == nil {
		return withCode(exitFailed, errors.New("demo: the crawl stored no article"))
	}
	fmt.Fprintf(stdout, "\nFirst of %d clean articles:\n\n", sum.New)
	printArticle(stdout, first)
	if ui == nil {
		return nil
	}
	browse := web.New(web.Fixed(db), web.WithTitle("lede demo"), web.WithLogger(log))
	if err := browse.Sync(ctx); err != nil {
		return fmt.Errorf("demo: read the store: %w", err)
	}
	fmt.Fprintf(stderr, "\nBrowse the demo corpus on http://%s/ (an article's explain view shows what lede removed). Ctrl-C to stop.\n", ui.Addr())
	return serveUntilDone(ctx, browse, ui)
}

// demoNewFile creates the empty file the demo stores into. --db must name a new file: the
// demo site lives on a port of its own each run, so crawling it into an existing store (a
// real corpus, or an earlier demo) would only add a second copy of the demo under another
// address.
func demoNewFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return withCode(exitUsage, fmt.Errorf("demo --db %s: the file exists; the demo only writes a new store (remove it or name another file)", path))
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return f.Close()
}

// errStopIteration ends an Articles walk early.
var errStopIteration = errors.New("stop")

// printArticle writes an article's metadata and clean text for a person to read.
func printArticle(w io.Writer, a *lede.Article) {
	fmt.Fprintf(w, "Title:     %s\n", a.Title)
	fmt.Fprintf(w, "URL:       %s\n", a.URL)
	if a.Byline != "" {
		fmt.Fprintf(w, "Byline:    %s\n", a.Byline)
	}
	if !a.Published.IsZero() {
		fmt.Fprintf(w, "Published: %s\n", a.Published.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "Language:  %s\n", a.Lang)
	fmt.Fprintf(w, "Words:     %d\n\n", a.WordCount)
	fmt.Fprintln(w, strings.TrimSpace(a.Text))
}
