package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lede/store"
)

func init() { addCommand(newExportCmd) }

// exportOptions are the flags of `lede export`.
type exportOptions struct {
	dbs                                      []string
	format, site, since, until, lang, output string
	minWords                                 int
}

func newExportCmd() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the stored articles as a corpus (jsonl, csv, text or markdown)",
		Long: `Export streams the stored articles, oldest first, in constant memory whatever the
corpus size. Near-duplicates appear once. Dates filter on the published date, falling back to
the date lede first saw the article; --since is inclusive, --until includes the whole day it
names. -o FILE writes to FILE through a temporary file renamed at the end (a failed export
leaves no half file); a symbolic link is followed (its target is written that way, the link
stays) and a FIFO or a character device is written directly, never replaced. A name ending in
.gz is gzip-compressed. Without -o, stdout.

--format parquet writes a Parquet file (zstd) with the jsonl columns typed: published,
modified and fetched_at timestamps (UTC), word_count an integer, empty values null; row
groups of 2,000 articles are written as the export goes.

Several --db merge the shards of a crawl shared by several workers (lede crawl --frontier):
each article is written once, though two workers stored it or it was stored under two URLs
(the same URL, canonical URL or alias, the same text, or nearly the same text as the store's
own near-duplicate test judges it); the shards are read side by side and merged oldest
first, still streaming: memory holds only an index of what was written.`,
		Example: `  lede export --format jsonl -o corpus.jsonl.gz
  lede export --format parquet -o corpus.parquet
  lede export --site example.com --lang ar --since 2025-01-01 --until 2025-01-31 --format csv
  lede export --db shard-a.db --db shard-b.db --format jsonl -o corpus.jsonl.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExport(cmd, o) },
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.dbs, "db", []string{defaultDBPath()}, "store file ($LEDE_DB sets the default); repeat to merge the shards of a shared crawl")
	f.StringVar(&o.format, "format", "jsonl", "output format: "+strings.Join(store.Formats, ", "))
	f.StringVar(&o.site, "site", "", "only articles of this host (without www.)")
	f.StringVar(&o.since, "since", "", "only articles published (else first seen) on or after DATE (2025-03-01 or RFC 3339)")
	f.StringVar(&o.until, "until", "", "only articles published (else first seen) on or before DATE (a date includes its whole day)")
	f.StringVar(&o.lang, "lang", "", "only articles in this language (BCP 47 prefix: ar matches ar-EG)")
	f.IntVar(&o.minWords, "min-words", 0, "only articles of at least N words")
	f.StringVarP(&o.output, "output", "o", "", "write to FILE instead of stdout (.gz: gzip)")
	return cmd
}

func runExport(cmd *cobra.Command, o exportOptions) error {
	filter, err := o.filter()
	if err != nil {
		return withCode(exitUsage, err)
	}
	// Check the format before opening anything, so a typo never touches the store or -o.
	if _, err := store.NewEncoder(io.Discard, o.format); err != nil {
		return withCode(exitUsage, err)
	}
	var dest exportDest
	if o.output != "" && o.output != "-" {
		if a, err := os.Stat(o.output); err == nil {
			for _, path := range o.dbs {
				if b, err := os.Stat(path); err == nil && os.SameFile(a, b) {
					return withCode(exitUsage, fmt.Errorf("-o %s is the store itself: choose another file", o.output))
				}
			}
		}
		if dest, err = exportDestination(o.output); err != nil {
			return err
		}
	}
	var dbs []*store.DB
	defer func() {
		for _, db := range dbs {
			db.Close()
		}
	}()
	for _, path := range o.dbs {
		db, err := openDB(path, store.ReadOnly())
		if err != nil {
			return err
		}
		dbs = append(dbs, db)
	}

	ctx := cmd.Context()
	if o.output == "" || o.output == "-" {
		n, err := store.ExportShards(ctx, dbs, filter, cmd.OutOrStdout(), o.format)
		if err != nil {
			return exportFailure(err)
		}
		slog.Debug("export done", "articles", n)
		return nil
	}
	var n int
	if dest.direct {
		n, err = exportDirect(cmd, dbs, filter, o, dest.path)
	} else {
		n, err = exportToFile(cmd, dbs, filter, o, dest.path)
	}
	if err != nil {
		return exportFailure(err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "exported %d articles to %s\n", n, o.output)
	return nil
}

// exportFailure maps an interrupted export to exit 130.
func exportFailure(err error) error {
	if errors.Is(err, context.Canceled) {
		return withCode(exitInterrupted, fmt.Errorf("export interrupted: %w", err))
	}
	return fmt.Errorf("export: %w", err)
}

// exportDest is where -o writes: the file itself, or a symbolic link's target.
type exportDest struct {
	path   string
	direct bool // a FIFO or a character device: written as it is, never replaced
}

// exportDestination decides how -o name is written. A new name or a regular file is written
// through a temporary file renamed over it at the end (a failed export leaves no half file).
// A symbolic link is followed, so that the link stays and its target gets the corpus, as a
// shell's > would. A FIFO or a character device (/dev/stdout, /dev/null) is written directly:
// renaming over it would replace it with a regular file. Anything else is refused.
func exportDestination(name string) (exportDest, error) {
	path := name
	for range 40 { // as many links as the kernel follows
		info, err := os.Lstat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return exportDest{path: path}, nil
		case err != nil:
			return exportDest{}, fmt.Errorf("-o %s: %w", name, err)
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return exportDest{}, fmt.Errorf("-o %s: %w", name, err)
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(path), target)
			}
			path = target
			continue
		case info.Mode().IsRegular():
			return exportDest{path: path}, nil
		case info.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0:
			return exportDest{path: path, direct: true}, nil
		case info.IsDir():
			return exportDest{}, withCode(exitUsage, fmt.Errorf("-o %s is a directory: name a file", name))
		default:
			return exportDest{}, withCode(exitUsage, fmt.Errorf("-o %s is a %s: lede writes a regular file, a FIFO or a character device", name, exportFileKind(info.Mode())))
		}
	}
	return exportDest{}, fmt.Errorf("-o %s: too many levels of symbolic links", name)
}

// exportFileKind names a file type for a message.
func exportFileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "block device"
	}
	return "special file"
}

// exportDirect writes the export straight to path, a FIFO or a character device.
func exportDirect(cmd *cobra.Command, dbs []*store.DB, filter store.Filter, o exportOptions, path string) (n int, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", o.output, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write %s: %w", o.output, cerr)
		}
	}()
	return exportWrite(cmd.Context(), dbs, filter, o, f)
}

// exportWrite writes the export to w, gzip-compressed when -o ends in .gz.
func exportWrite(ctx context.Context, dbs []*store.DB, filter store.Filter, o exportOptions, w io.Writer) (int, error) {
	if !strings.HasSuffix(strings.ToLower(o.output), ".gz") {
		return store.ExportShards(ctx, dbs, filter, w, o.format)
	}
	zw := gzip.NewWriter(w)
	n, err := store.ExportShards(ctx, dbs, filter, zw, o.format)
	if err != nil {
		return n, err
	}
	if err := zw.Close(); err != nil {
		return n, fmt.Errorf("write %s: %w", o.output, err)
	}
	return n, nil
}

// exportToFile writes the export to a temporary file beside path (-o, or the target of its
// link) and renames it into place once complete; on any failure the temporary file is
// removed.
func exportToFile(cmd *cobra.Command, dbs []*store.DB, filter store.Filter, o exportOptions, path string) (n int, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", o.output, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if n, err = exportWrite(cmd.Context(), dbs, filter, o, tmp); err != nil {
		return n, err
	}
	if err = tmp.Sync(); err != nil {
		return n, fmt.Errorf("write %s: %w", o.output, err)
	}
	if err = tmp.Close(); err != nil {
		return n, fmt.Errorf("write %s: %w", o.output, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return n, fmt.Errorf("write %s: %w", o.output, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("write %s: %w", o.output, err)
	}
	return n, nil
}

// filter turns the flags into a store filter; a bad date names the flag and its value.
func (o exportOptions) filter() (store.Filter, error) {
	f := store.Filter{Site: o.site, Lang: o.lang, MinWords: o.minWords}
	if o.minWords < 0 {
		return f, fmt.Errorf("bad --min-words %d: want 0 or more", o.minWords)
	}
	var err error
	if o.since != "" {
		if f.Since, _, err = exportParseDate(o.since); err != nil {
			return f, fmt.Errorf("bad --since %q: %w", o.since, err)
		}
	}
	if o.until != "" {
		var dateOnly bool
		if f.Until, dateOnly, err = exportParseDate(o.until); err != nil {
			return f, fmt.Errorf("bad --until %q: %w", o.until, err)
		}
		if dateOnly {
			f.Until = f.Until.AddDate(0, 0, 1) // the whole day it names
		} else {
			f.Until = f.Until.Add(time.Second) // Filter.Until is exclusive, to the second
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return f, fmt.Errorf("--since %s is after --until %s", o.since, o.until)
	}
	return f, nil
}

// exportParseDate reads a date (2025-03-01, in UTC) or a time (RFC 3339, or 2025-03-01T15:04:05 in
// UTC); dateOnly says which.
func exportParseDate(s string) (t time.Time, dateOnly bool, err error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), false, nil
		}
	}
	return time.Time{}, false, errors.New("want a date such as 2025-03-01 or a time such as 2025-03-01T15:04:05Z")
}
