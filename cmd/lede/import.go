package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"lede/crawler"
	"lede/warc"
)

func init() { addCommand(newImportCmd) }

// importOptions are the flags of `lede import`.
type importOptions struct {
	db          string
	sites       []string
	workers     int
	learnChrome bool
	logFormat   string
	logLevel    string
	quiet       bool
}

func newImportCmd() *cobra.Command {
	var o importOptions
	var dbPath *string
	cmd := &cobra.Command{
		Use:   "import [--db FILE] [--site HOST]... FILE.warc[.gz]... | -",
		Short: "Store the articles of WARC files (web archives, Common Crawl's CC-NEWS)",
		Long: `Import reads WARC files (WARC/1.0 and 1.1; plain, or gzip-compressed whole or record
by record as Common Crawl writes them; - reads stdin) and runs every HTML answer of a
response record through the same pipeline as a crawl: charset from the HTTP header and the
page, the article/front decision, cleaning, the site's learned chrome, deduplication. An
imported article is stored with its raw page and the record's WARC-Date as its fetch time,
and its text is the one lede extract gives for the same page.

request, metadata, warcinfo and resource records, non-HTML payloads and answers other than
200 are skipped and counted; chunked and gzip/deflate/br/zstd payloads are decoded. A
revisit record is resolved against the stored page of the URL it refers to (imported from
the same files or earlier), or skipped. A page already imported from a capture as recent is
not extracted again: importing the same files twice stores nothing the second time.

Pages are extracted on every core (--workers) and written by one writer. On a terminal a
progress bar shows the bytes read; at the end one JSON line on stdout sums the run up as a
crawl's does (new_articles, duplicates, hubs, skipped..., the totals of the per-host counts;
an image or a 404 is a skipped page of its host), plus the records read, the records that
are no answer to import (records_skipped: requests, warcinfo...) and why each was skipped
(skipped_by). A file that cannot be
read to its end (a truncated last record) is named on stderr: its records before the break
are imported, the other files too, and lede exits 1. A file whose first record cannot be
read is no WARC file: nothing is imported and the store is not created. Exit codes: 0 done, 1 failed, 2 usage,
75 store locked by another lede process, 130 interrupted.`,
		Example: `  lede import --db news.db CC-NEWS-20240301000000-00000.warc.gz
  lede import --site example.com crawl/*.warc.gz
  zcat archive.warc.gz | lede import -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.db = *dbPath
			return runImport(cmd, o, args)
		},
	}
	dbPath = addDBFlag(cmd)
	f := cmd.Flags()
	f.StringArrayVar(&o.sites, "site", nil, "import only this site's pages (a host name; repeatable)")
	f.IntVar(&o.workers, "workers", 0, "pages extracted at once (0: one per CPU)")
	f.BoolVar(&o.learnChrome, "learn-chrome", true, "learn each host's page chrome from its pages and strip it from its articles")
	f.StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.StringVar(&o.logLevel, "log-level", "info", "least log level: debug, info, warn or error")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the summary line and errors")
	return cmd
}

// importSummary is the summary line of lede import: the crawler's, plus the input files
// that could not be read to their end.
type importSummary struct {
	*crawler.ImportSummary
	Files      int      `json:"files"`
	ReadErrors []string `json:"read_errors,omitempty"`
}

func runImport(cmd *cobra.Command, o importOptions, args []string) error {
	stdin := 0
	for _, a := range args {
		if a == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return withCode(exitUsage, errors.New("import reads stdin (-) once at most"))
	}
	if o.workers < 0 {
		return withCode(exitUsage, fmt.Errorf("--workers %d: want 0 (one per CPU) or more", o.workers))
	}
	stderr := progressStderr(cmd.ErrOrStderr(), o.quiet)
	log, err := newLogger(stderr, o.logFormat, o.logLevel, o.quiet)
	if err != nil {
		return withCode(exitUsage, err)
	}
	// Every file must exist before anything is stored: a typo is a usage error.
	var total int64
	for _, a := range args {
		if a == "-" {
			total = -1
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("import %s: %w", a, err))
		}
		if st.IsDir() {
			return withCode(exitUsage, fmt.Errorf("import %s: a directory, not a WARC file", a))
		}
		if total >= 0 {
			total += st.Size()
		}
	}
	// Every file must start with a WARC record: a file of another kind is refused before
	// the store is opened (or created). Stdin is read once, so it is not checked ahead: a
	// store this run created and that nothing was imported into is removed at the end.
	for _, a := range args {
		if a != "-" {
			if err := checkWARC(a); err != nil {
				return withCode(exitFailed, fmt.Errorf("import: %w", err)) // err names the file
			}
		}
	}
	_, statErr := os.Stat(o.db)
	created := errors.Is(statErr, os.ErrNotExist)
	db, err := openDB(o.db)
	if err != nil {
		return err
	}
	defer db.Close()

	var progress func(int64)
	if pw, ok := stderr.(*progressWriter); ok {
		pw.startBytes("importing", total)
		defer pw.finish()
		progress = pw.addBytes
	}
	out := &importSummary{Files: len(args)}
	records := warcRecords(cmd.Context(), args, cmd.InOrStdin(), progress, func(err error) {
		out.ReadErrors = append(out.ReadErrors, err.Error())
		log.Error("input not read to its end", "err", err)
	})
	c := crawler.New(db, db.Frontier(), crawler.WithLogger(log), crawler.WithLearnedChrome(o.learnChrome))
	sum, err := c.Import(cmd.Context(), records, crawler.ImportOptions{Sites: o.sites, Workers: o.workers})
	if sum != nil {
		out.ImportSummary = sum
		b, merr := json.Marshal(out)
		if merr != nil && err == nil {
			err = merr
		}
		if _, werr := fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b); werr != nil && err == nil {
			err = werr
		}
	}
	if cerr := db.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if created && sum != nil && sum.Records == 0 {
		// Nothing was read (stdin was no WARC, say): leave no empty store behind.
		if rerr := os.Remove(o.db); rerr != nil && err == nil {
			err = rerr
		}
	}
	switch {
	case err != nil:
		return withCode(exitFailed, fmt.Errorf("import: %w", err))
	case sum.Stopped == "interrupted":
		return withCode(exitInterrupted, errors.New("interrupted: run the same import again to go on (what is stored is skipped)"))
	case len(out.ReadErrors) > 0:
		return withCode(exitFailed, fmt.Errorf("import: %d of %d inputs could not be read to their end", len(out.ReadErrors), len(args)))
	}
	return nil
}

// checkWARC reads the first record of the WARC file at path: an error says why the file
// is not one (an empty file is a WARC file of no record).
func checkWARC(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := warc.NewReader(f, path)
	if err == nil {
		_, err = r.Next()
	}
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// warcRecords reads the records of each input in turn (a path, or - for stdin), telling
// progress how many bytes were read and readErr why an input could not be read to its end.
func warcRecords(ctx context.Context, inputs []string, stdin io.Reader, progress func(int64), readErr func(error)) iter.Seq[*warc.Record] {
	return func(yield func(*warc.Record) bool) {
		for _, in := range inputs {
			if ctx.Err() != nil {
				return
			}
			if !readInput(in, stdin, progress, readErr, yield) {
				return
			}
		}
	}
}

// readInput yields the records of one input; false when yield asked to stop.
func readInput(in string, stdin io.Reader, progress func(int64), readErr func(error), yield func(*warc.Record) bool) bool {
	var src io.Reader = stdin
	name := "stdin"
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			readErr(fmt.Errorf("%s: %w", in, err))
			return true
		}
		defer f.Close()
		src, name = f, in
	}
	r, err := warc.NewReader(src, name)
	if err != nil {
		readErr(err)
		return true
	}
	var reported int64
	defer func() {
		if progress != nil {
			progress(r.Read() - reported)
		}
	}()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			readErr(err)
			return true
		}
		if progress != nil {
			if n := r.Read(); n-reported >= 1<<20 {
				progress(n - reported)
				reported = n
			}
		}
		if !yield(rec) {
			return false
		}
	}
}

// startBytes shows a progress bar over total bytes (-1: unknown).
func (p *progressWriter) startBytes(desc string, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(p.out),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetSpinnerChangeInterval(0), // no drawing from the bar's own goroutine
		progressbar.OptionClearOnFinish(),
	)
}

// addBytes moves the bar on by n bytes read.
func (p *progressWriter) addBytes(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Add64(n)
	}
}
