package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"lede/store"
	"lede/web"
)

func init() { addCommand(newServeCmd) }

// defaultServeAddr is where lede serve listens unless --addr says otherwise: loopback only.
const defaultServeAddr = "127.0.0.1:8787"

func newServeCmd() *cobra.Command {
	var (
		dbPath *string
		addr   string
	)
	cmd := &cobra.Command{
		Use:   "serve [--db FILE] [--addr HOST:PORT]",
		Short: "Browse the corpus, and what lede removed from each article, in a web browser",
		Long: `Serve shows the store in a web browser (read-only): articles per site, language and day,
the last crawls and the hosts that failed; each site's articles, fetch records (why a page is
not in the corpus) and learned chrome; each article's clean text and an explain view of its
page, every removed block struck out with the rule that removed it; search over titles and
texts; and /metrics for Prometheus.

The store is opened read-only for each request and closed right after, so a cron crawl can
always take it; while a crawl holds it, pages answer "a crawl is writing, try again in a
moment" (HTTP 503). lede schedule --serve serves the same pages from the scheduling process,
with live crawl metrics.

It listens on 127.0.0.1:8787 by default. Another --addr (0.0.0.0:8787, a LAN address) makes
the corpus visible to the network, without authentication: lede warns about it. Ctrl-C stops
the server (exit code 130).`,
		Example: `  lede serve --db news.db
  lede serve --db news.db --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), cmd.ErrOrStderr(), *dbPath, addr)
		},
	}
	dbPath = addDBFlag(cmd)
	cmd.Flags().StringVar(&addr, "addr", defaultServeAddr, "address to listen on (host:port)")
	return cmd
}

func runServe(ctx context.Context, stderr io.Writer, dbPath, addr string) error {
	// A missing file or one that is not a store is an error now; a store a crawl holds is
	// served as soon as the crawl lets go of it.
	db, err := openDB(dbPath, store.ReadOnly(), store.WithTimeout(200*time.Millisecond))
	var ee *exitError
	switch {
	case err == nil:
		db.Close()
	case errors.As(err, &ee) && ee.code == exitLocked:
		fmt.Fprintf(stderr, "lede: %v: pages answer 503 until the crawl lets go of it\n", err)
	default:
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv := web.New(web.OpenPerRequest(dbPath, 100*time.Millisecond), web.WithLogger(log))
	ln, err := listenUI(stderr, addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "lede: serving %s on http://%s/ (Ctrl-C to stop)\n", dbPath, ln.Addr())
	return serveUntilDone(ctx, srv, ln)
}

// listenUI listens on addr for the web UI, warning on stderr when addr is not loopback.
func listenUI(stderr io.Writer, addr string) (net.Listener, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("--addr %q: want host:port, such as %s", addr, defaultServeAddr))
	}
	if !web.IsLoopback(addr) {
		fmt.Fprintf(stderr, "lede: warning: %s is not a loopback address: the corpus becomes visible to the network, without authentication\n", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, withCode(exitFailed, fmt.Errorf("listen on %s: %w", addr, err))
	}
	return ln, nil
}

// serveUntilDone reads the store into the UI's index and serves ln until ctx ends (exit 130).
func serveUntilDone(ctx context.Context, srv *web.Server, ln net.Listener) error {
	srv.Start(ctx)
	if err := srv.ListenAndServe(ctx, ln); err != nil {
		return withCode(exitFailed, fmt.Errorf("serve: %w", err))
	}
	return withCode(exitInterrupted, nil)
}
