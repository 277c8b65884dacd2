package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"lede"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"lede/chrome"
	"lede/crawler"
	"lede/extract"
	"lede/store"
)

func init() { addCommand(newRecleanCmd) }

func newRecleanCmd() *cobra.Command {
	var (
		dbPath *string
		site   string
	)
	cmd := &cobra.Command{
		Use:   "reclean --site HOST",
		Short: "Clean a site's stored articles again with the chrome learned from its pages",
		Long: `Reclean extracts the stored articles of HOST again from their raw pages (kept gzip'd in
the store), removing the page chrome lede has learned from that host's pages: blocks found on
at least 60% of them once 20 pages were counted. An article whose text changed is replaced in
place (same ID); one whose raw page is missing, or whose page no longer extracts to its stored
text minus some blocks, is kept as it was. lede crawl already does this at the end of a run
when the learned chrome changed; reclean is for a crawl that was interrupted, or to check.

One JSON line on stdout sums it up (site, chrome_blocks, checked, updated, unchanged, kept).
Exit codes: 0 done, 1 failed, 2 usage, 75 store locked by another lede process.`,
		Example: `  lede reclean --site example.com
  lede reclean --db news.db --site www.example.org`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return siteJob(cmd, "reclean", *dbPath, site, func(db *store.DB, host string, warn func(string, ...any)) (any, error) {
				res, err := chrome.Reclean(cmd.Context(), db, host, warn)
				if err != nil {
					return nil, err
				}
				if res.ChromeBlocks == 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "lede: no chrome learned for %s yet, nothing to clean (see lede stats --site %s)\n", host, host)
				} else if res.Checked == 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "lede: no stored articles of %s in %s\n", host, *dbPath)
				}
				return res, nil
			})
		},
	}
	dbPath = addDBFlag(cmd)
	cmd.Flags().StringVar(&site, "site", "", "the site (host) whose stored articles to clean again")
	return cmd
}

// siteJob runs a command that works on one site's stored data (lede reclean, lede
// reclassify): --site is required, the store must exist and be free at once, warnings go to
// stderr, and job's result is printed on stdout as one JSON line.
func siteJob(cmd *cobra.Command, name, dbPath, site string, job func(db *store.DB, host string, warn func(string, ...any)) (any, error)) error {
	if site == "" {
		return withCode(exitUsage, fmt.Errorf("%s needs --site HOST", name))
	}
	host := lede.SiteOf(site)
	db, err := openDB(dbPath, store.MustExist(), store.WithTimeout(200*time.Millisecond))
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	res, err := job(db, host, log.Warn)
	if err != nil {
		return fmt.Errorf("%s %s: %w", name, host, err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
	return db.Close() // its error reads "close store <path>: ..."
}

// chromeLookup gives lede extract the learned chrome (and URL templates) of a page's host
// from the store, when there is one: the store --save opened, else the --db file opened
// read-only with a short timeout. A missing, locked or unreadable store means nothing
// learned, never an error; a store that is there but cannot be used (damaged, not a lede
// store) is said once on warn.
type chromeLookup struct {
	path  string
	db    *store.DB
	warn  io.Writer
	own   bool // db was opened here and is closed by close
	tried bool
	cache map[string]chrome.Set
}

// options returns the extract options removing the learned chrome of pageURL's host.
func (l *chromeLookup) options(ctx context.Context, pageURL string) []extract.Option {
	if l == nil || pageURL == "" {
		return nil
	}
	host := lede.SiteOf(pageURL)
	if set, ok := l.cache[host]; ok {
		return set.Options()
	}
	if l.db == nil && !l.tried && l.path != "" {
		l.tried = true
		db, err := store.Open(l.path, store.ReadOnly(), store.WithTimeout(100*time.Millisecond))
		switch {
		case err == nil:
			l.db, l.own = db, true
		case !errors.Is(err, store.ErrMissing) && !errors.Is(err, store.ErrLocked):
			l.skip(err)
		}
	}
	if l.db == nil {
		return nil
	}
	set, err := chrome.Load(ctx, l.db, host)
	if errors.Is(err, store.ErrCorrupt) {
		l.skip(err)
		l.close()
		l.db = nil
		return nil
	}
	if err != nil {
		set = nil
	}
	if l.cache == nil {
		l.cache = map[string]chrome.Set{}
	}
	l.cache[host] = set
	return set.Options()
}

// skip says on one line why extraction goes on without the store's learned chrome.
func (l *chromeLookup) skip(err error) {
	var damaged *store.CorruptError
	if errors.As(err, &damaged) {
		err = damaged // "<path> is damaged: ...", without the call that found it
	}
	if l.warn != nil {
		fmt.Fprintf(l.warn, "lede: warning: %v: extracting without its learned chrome\n", err)
	}
}

// templates returns the learned URL templates of pageURL's host from the store, when there
// is one (read-only, like the chrome).
func (l *chromeLookup) templates(ctx context.Context, pageURL string) crawler.Templates {
	if l == nil || pageURL == "" {
		return nil
	}
	l.options(ctx, pageURL) // opens the store, if it can be
	if l.db == nil {
		return nil
	}
	t, err := crawler.LoadTemplates(ctx, l.db, pageURL)
	if err != nil {
		return nil
	}
	return t
}

// close closes the store if the lookup opened it.
func (l *chromeLookup) close() {
	if l != nil && l.own {
		l.db.Close()
		l.db, l.own = nil, false
	}
}
