package main

import (
	"encoding/json"
	"fmt"
	"io"
	"lede"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"lede/chrome"
	"lede/store"
)

func init() { addCommand(newStatsCmd) }

func newStatsCmd() *cobra.Command {
	var (
		dbPath   *string
		asJSON   bool
		site     string
		maxRows  int
		check    bool
		frontier string
	)
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Summarise the store: articles by site and language, date range, file size",
		Long: `Stats reads counters kept by every write, so it is instant on any corpus size: articles by
site and language, and the pages judged fronts (sections, topics, listings: followed, not
stored) by site. A site with many fronts beside few articles may be losing articles: see why
with lede show URL. With --site HOST it also shows what lede has learned of that host's page
chrome. --check also reads every page of the file, runs bbolt's consistency check and decodes
every stored value (10-20 seconds per GB); on a damaged file it lists what is wrong and exits 1.
--frontier redis://host:port/db shows a shared crawl's frontier instead (see lede crawl
--frontier): URLs pending per host, leases and live workers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if frontier != "" {
				return printFrontierStats(cmd.Context(), frontier, cmd.OutOrStdout(), asJSON)
			}
			opts := []store.Option{store.ReadOnly()}
			if check {
				opts = append(opts, store.AllowDamaged()) // so that the check can say what is wrong
			}
			db, err := openDB(*dbPath, opts...)
			if err != nil {
				return err
			}
			defer db.Close()
			if check {
				if err := db.Check(cmd.Context()); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: consistency check passed\n", *dbPath)
			}
			st, err := db.Stats(cmd.Context())
			if err != nil {
				return err
			}
			var summary *statsChromeSummary
			if site != "" {
				pages, fps, err := db.ChromeStats(cmd.Context(), site)
				if err != nil {
					return err
				}
				learned, err := chrome.Load(cmd.Context(), db, site)
				if err != nil {
					return err
				}
				summary = &statsChromeSummary{Site: site, Articles: st.BySite[lede.NormalizeHost(site)], Fronts: st.HubsBySite[lede.NormalizeHost(site)],
					PagesCounted: pages, Fingerprints: fps, Learned: len(learned)}
			}
			out := &outputWriter{w: cmd.OutOrStdout()}
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				_ = enc.Encode(struct {
					*store.Stats
					Chrome *statsChromeSummary `json:"chrome,omitempty"`
				}{st, summary})
			} else {
				statsPrint(out, st, summary, maxRows)
			}
			return out.done()
		},
	}
	dbPath = addDBFlag(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&site, "site", "", "also show the learned page chrome of HOST")
	cmd.Flags().IntVar(&maxRows, "top", 20, "list at most N sites and languages (0: all)")
	cmd.Flags().BoolVar(&check, "check", false, "also check every page of the file (bbolt's consistency check)")
	cmd.Flags().StringVar(&frontier, "frontier", "", "show the frontier of a crawl shared through Redis (redis://host:port/db) instead of the store")
	return cmd
}

// statsChromeSummary is what `lede stats --site` shows of a host's learned chrome.
type statsChromeSummary struct {
	Site         string `json:"site"`
	Articles     int    `json:"articles"`
	Fronts       int    `json:"fronts"` // pages judged hubs
	PagesCounted int    `json:"pages_counted"`
	Fingerprints int    `json:"block_fingerprints"`
	Learned      int    `json:"chrome_blocks"` // blocks removed as the site's chrome (chrome.MinShare of its pages, after chrome.MinPages)
}

func statsPrint(w io.Writer, st *store.Stats, summary *statsChromeSummary, maxRows int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store:\t%s (%s, %s free, schema %d)\n", st.Path, statsHumanBytes(st.FileSize), statsHumanBytes(st.FreeBytes), st.Schema)
	fmt.Fprintf(tw, "articles:\t%d\n", st.Articles)
	if st.Articles > 0 {
		fmt.Fprintf(tw, "dates:\t%s … %s\n", st.Oldest.Format("2006-01-02"), st.Newest.Format("2006-01-02"))
	}
	fmt.Fprintf(tw, "raw pages:\t%d\n", st.RawPages)
	fmt.Fprintf(tw, "fetch records:\t%d\n", st.Fetches)
	fmt.Fprintf(tw, "queued:\t%d\n", st.Queued)
	tw.Flush()
	statsPrintCounts(w, "by site", st.BySite, maxRows)
	statsPrintCounts(w, "by language", st.ByLang, maxRows)
	statsPrintCounts(w, "fronts (pages judged hubs: followed, not stored) by site", st.HubsBySite, maxRows)
	if summary != nil {
		fmt.Fprintf(w, "\nsite %s: %d articles, %d fronts; learned chrome: %d pages counted, %d block fingerprints kept, %d chrome blocks (on %.0f%%+ of pages, from %d pages on)\n",
			summary.Site, summary.Articles, summary.Fronts, summary.PagesCounted, summary.Fingerprints, summary.Learned, chrome.MinShare*100, chrome.MinPages)
	}
}

// statsPrintCounts lists counts largest first (ties by name), at most maxRows (0: all).
func statsPrintCounts(w io.Writer, title string, counts map[string]int, maxRows int) {
	if len(counts) == 0 {
		return
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	fmt.Fprintf(w, "\n%s:\n", title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for i, k := range keys {
		if maxRows > 0 && i == maxRows {
			fmt.Fprintf(tw, "\t(%d more)\t\n", len(keys)-maxRows)
			break
		}
		name := k
		if name == "" {
			name = "(unknown)"
		}
		fmt.Fprintf(tw, "\t%d\t  %s\n", counts[k], name)
	}
	tw.Flush()
}

// statsHumanBytes renders n as "12.3 MB".
func statsHumanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
