package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"lede/crawler"
	"lede/store"
)

func init() { addCommand(newReclassifyCmd) }

func newReclassifyCmd() *cobra.Command {
	var (
		dbPath *string
		site   string
	)
	cmd := &cobra.Command{
		Use:   "reclassify --site HOST",
		Short: "Decide again whether a site's pages judged fronts are articles, and store those that are",
		Long: `Reclassify decides again, with this lede's rules and what it learned of HOST (URL templates,
page chrome), the pages of HOST a crawl judged fronts (sections, topics, listings: followed,
not stored) whose raw page the store kept: the close calls, and the pages a sitemap, feed or
URL template said were articles (at most 256 per site, the latest). Those now judged articles
are stored, and their fetch records updated. A crawl decides again every front it fetches
whole, so this is for fronts answering 304, or to apply a newer lede to an existing store.

Each page stored is named on stderr. One JSON line on stdout sums it up (site, checked,
articles, fronts, other, failed). lede stats shows the fronts counted per site, and
lede show URL why a page was judged a front.
Exit codes: 0 done, 1 failed, 2 usage, 75 store locked by another lede process.`,
		Example: `  lede reclassify --site example.com
  lede reclassify --db news.db --site www.example.org`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return siteJob(cmd, "reclassify", *dbPath, site, func(db *store.DB, host string, warn func(string, ...any)) (any, error) {
				stderr := cmd.ErrOrStderr()
				res, err := crawler.Reclassify(cmd.Context(), db, host, warn, func(u, reason string) {
					fmt.Fprintf(stderr, "lede: stored %s (%s)\n", u, reason)
				})
				if err == nil && res.Checked == 0 && res.Failed == 0 {
					fmt.Fprintf(stderr, "lede: no raw page of a front of %s kept in %s, nothing to decide again\n", host, *dbPath)
				}
				return res, err
			})
		},
	}
	dbPath = addDBFlag(cmd)
	cmd.Flags().StringVar(&site, "site", "", "the site (host) whose fronts to decide again")
	return cmd
}
