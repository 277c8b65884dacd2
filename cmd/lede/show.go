package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"lede"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"lede/store"
)

func init() { addCommand(newShowCmd) }

func newShowCmd() *cobra.Command {
	var (
		dbPath *string
		asJSON bool
		raw    bool
	)
	cmd := &cobra.Command{
		Use:   "show URL|ID",
		Short: "Print one stored article (or the fetch record of a URL)",
		Long: `Show finds an article by its ID, URL, canonical URL or any alias and prints its
metadata and text. For a URL that was fetched but holds no article (a hub, a skipped or failed
page) it prints the fetch record. --raw prints the original page as fetched; lede keeps it for
stored articles, and for fronts that were close calls (kept for lede reclassify); --raw on any
other URL fails (exit 1) saying what the URL was.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openDB(*dbPath, store.ReadOnly())
			if err != nil {
				return err
			}
			defer db.Close()
			out := &outputWriter{w: cmd.OutOrStdout()}
			if err := runShow(cmd.Context(), db, args[0], raw, asJSON, out); err != nil {
				return err
			}
			return out.done()
		},
	}
	dbPath = addDBFlag(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&raw, "raw", false, "print the original page bytes instead")
	return cmd
}

// runShow prints what the store holds under key: the article, its raw page, or the fetch
// record of a URL that holds no article.
func runShow(ctx context.Context, db *store.DB, key string, raw, asJSON bool, out io.Writer) error {
	a, err := db.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		rec, ok, ferr := db.GetFetch(ctx, key)
		switch {
		case ferr != nil:
			return ferr
		case !ok:
			return fmt.Errorf("no article or fetch record for %s in %s", key, db.Path())
		case raw:
			if rec.Kind == lede.KindHub {
				page, err := db.HubPage(ctx, rec.URL)
				if err == nil {
					_, err = out.Write(page)
					return err
				}
				if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			// Printing the record where page bytes were asked for would pass it off as the page.
			return fmt.Errorf("%s %s: lede keeps the raw page of stored articles, and of fronts that were close calls (for lede reclassify), not of this one ('lede show %s' prints its fetch record)", key, showNotStored(rec), key)
		case asJSON:
			return showWriteJSON(out, rec)
		}
		showPrintFetch(out, rec)
		return nil
	}
	if err != nil {
		return err
	}
	if raw {
		page, err := db.Raw(ctx, a.ID)
		if err != nil {
			return err
		}
		_, err = out.Write(page)
		return err
	}
	if asJSON {
		return showWriteJSON(out, struct {
			*lede.Article
			FirstSeen time.Time `json:"first_seen"`
			Aliases   []string  `json:"aliases,omitempty"`
		}{a, a.FirstSeen, a.Aliases})
	}
	showPrintArticle(out, a)
	return nil
}

// showNotStored says why a fetched URL holds no stored article.
func showNotStored(rec lede.FetchRecord) string {
	why := ""
	if rec.Reason != "" {
		why = " (" + rec.Reason + ")"
	}
	switch rec.Kind {
	case lede.KindHub:
		return "is a hub: followed, not stored"
	case lede.KindSitemap, lede.KindFeed:
		return "is a " + string(rec.Kind) + ": read for links, not stored"
	case lede.KindSkipped:
		return "was skipped" + why + ", not stored"
	case lede.KindError:
		return "failed" + why + ", not stored"
	}
	return "holds no stored article (fetched as " + string(rec.Kind) + why + ")"
}

func showWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func showPrintArticle(w io.Writer, a *lede.Article) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, v)
		}
	}
	row("id", a.ID)
	row("url", a.URL)
	if a.CanonicalURL != a.URL {
		row("canonical", a.CanonicalURL)
	}
	row("aliases", strings.Join(a.Aliases, " "))
	row("title", a.Title)
	row("byline", a.Byline)
	row("site", strings.TrimSpace(a.Site+" "+showParenthesised(a.SiteName)))
	row("published", showFormatTime(a.Published))
	row("modified", showFormatTime(a.Modified))
	row("lang", a.Lang)
	row("words", fmt.Sprint(a.WordCount))
	row("fetched", showFormatTime(a.FetchedAt))
	row("first seen", showFormatTime(a.FirstSeen))
	row("content hash", a.ContentHash)
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(a.Text))
}

func showPrintFetch(w io.Writer, r lede.FetchRecord) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "url:\t%s\nkind:\t%s\nstatus:\t%d\nlast fetch:\t%s\n", r.URL, r.Kind, r.Status, showFormatTime(r.LastFetch))
	for _, kv := range [][2]string{{"reason", r.Reason}, {"listed in", string(r.Via)}, {"etag", r.ETag}, {"last-modified", r.LastModified},
		{"content hash", r.ContentHash}, {"article", r.ArticleID}} {
		if kv[1] != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", kv[0], kv[1])
		}
	}
	tw.Flush()
}

func showFormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func showParenthesised(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}
