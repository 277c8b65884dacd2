package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
	"github.com/spf13/cobra"

	"lede/store"
	"lede/web"
)

func init() { addCommand(newScheduleCmd) }

// scheduleClock is the clock the schedule's ticks follow: the real one, a fake one in tests.
var scheduleClock = clockwork.NewRealClock()

func newScheduleCmd() *cobra.Command {
	var o crawlOptions
	var dbPath *string
	var every time.Duration
	var cronSpec, serveAddr string
	cmd := &cobra.Command{
		Use:   "schedule --config sites.yaml [--every 15m | --cron SPEC] [--serve [HOST:PORT]] [crawl flags]",
		Short: "Run the crawl again and again, for machines without cron",
		Long: `Schedule runs 'lede crawl' now and then every --every (or on a --cron schedule), in one
long-lived process, for places without cron. Runs never overlap: when a crawl is still running
at the next tick, that tick is skipped. The store is opened for each run and closed after it,
so 'lede export' can read it between runs. Each run prints its summary line; a run that finds
the store locked by another lede is skipped with a warning; a damaged store ends the schedule
with exit code 1. SIGINT / SIGTERM stop the running crawl within seconds and end the schedule
with exit code 130.

--serve (127.0.0.1:8787 by default, or --serve=HOST:PORT) also serves the web UI of lede
serve from this process, with /metrics live during the runs (fetches, articles, errors and
retries per host, run durations, queue size). A run shares its open store with the UI;
between runs the UI opens the file per request, as lede serve does.

With cron, the same thing is one crontab line (see README, "Running from cron"):
  */15 * * * *  lede crawl --db news.db --config sites.yaml --quiet`,
		Example: `  lede schedule --db news.db --config sites.yaml --every 15m --quiet
  lede schedule --db news.db --cron "*/10 6-22 * * *" https://www.example.com/
  lede schedule --db news.db --config sites.yaml --every 15m --serve 127.0.0.1:8787`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.db = *dbPath
			return runSchedule(cmd, o, args, every, cronSpec, serveAddr)
		},
	}
	dbPath = addDBFlag(cmd)
	addCrawlFlags(cmd, &o)
	cmd.Flags().DurationVar(&every, "every", 15*time.Minute, "time between the starts of two crawls")
	cmd.Flags().StringVar(&cronSpec, "cron", "", "crontab schedule (5 fields, local time) instead of --every")
	cmd.Flags().StringVar(&serveAddr, "serve", "", "also serve the web UI and /metrics on this address (--serve alone: "+defaultServeAddr+")")
	cmd.Flags().Lookup("serve").NoOptDefVal = defaultServeAddr
	return cmd
}

func runSchedule(cmd *cobra.Command, o crawlOptions, args []string, every time.Duration, cronSpec, serveAddr string) error {
	ctx := cmd.Context()
	if cronSpec != "" && cmd.Flags().Changed("every") {
		return withCode(exitUsage, errors.New("--every and --cron are two ways to say when: give one"))
	}
	stderr := progressStderr(cmd.ErrOrStderr(), o.quiet)
	log, err := newLogger(stderr, o.logFormat, o.logLevel, o.quiet)
	if err != nil {
		return withCode(exitUsage, err)
	}
	plan, err := o.plan(cmd, args)
	if err != nil {
		return withCode(exitUsage, err)
	}
	def := gocron.DurationJob(every)
	switch {
	case cronSpec != "":
		def = gocron.CronJob(cronSpec, false)
	case every < time.Second:
		return withCode(exitUsage, fmt.Errorf("--every %v: want at least 1s", every))
	}
	s, err := gocron.NewScheduler(gocron.WithStopTimeout(30*time.Second), gocron.WithClock(scheduleClock))
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	var (
		hooks   crawlHooks
		metrics *web.Metrics
	)
	if serveAddr != "" {
		ln, err := listenUI(cmd.ErrOrStderr(), serveAddr)
		if err != nil {
			return err
		}
		metrics = web.NewMetrics()
		access := web.OpenPerRequest(o.db, 100*time.Millisecond)
		hooks = crawlHooks{hold: access.Hold, events: metrics.Event}
		srv := web.New(access, web.WithMetrics(metrics), web.WithLogger(log))
		fmt.Fprintf(cmd.ErrOrStderr(), "lede: serving %s on http://%s/\n", o.db, ln.Addr())
		serveCtx, stopServing := context.WithCancel(ctx)
		served := make(chan error, 1)
		go func() { served <- serveUntilDone(serveCtx, srv, ln) }()
		defer func() { stopServing(); <-served }()
	}
	// A damaged store stays damaged until someone restores it: the first run that finds the
	// damage ends the schedule (exit 1, the file named) instead of failing every later run.
	runCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	crawlRun := func() {
		if metrics != nil {
			metrics.RunStarted()
		}
		sum, err := crawlOnce(runCtx, o, plan, log, cmd.OutOrStdout(), stderr, hooks)
		var ee *exitError
		var damaged *store.CorruptError
		locked := errors.As(err, &ee) && ee.code == exitLocked
		if metrics != nil {
			metrics.RunEnded(sum, err, locked)
		}
		switch {
		case errors.As(err, &damaged):
			stop(err)
		case locked:
			log.Warn("store locked by another lede: skipping this run", "db", o.db)
		case err != nil:
			log.Error("crawl failed", "err", err)
		case sum.Stopped != "":
			log.Info("crawl stopped early; the next run resumes it", "reason", sum.Stopped, "queued", sum.Queued)
		}
	}
	_, err = s.NewJob(def, gocron.NewTask(crawlRun),
		gocron.WithName("crawl"),
		gocron.WithSingletonMode(gocron.LimitModeReschedule), // never two crawls at once
		gocron.WithStartAt(gocron.WithStartImmediately()))
	if err != nil {
		return withCode(exitUsage, fmt.Errorf("schedule: %w", err))
	}
	s.Start()
	<-runCtx.Done()
	// The running crawl sees the same context and stops within seconds; Shutdown waits for it.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Shutdown() }()
	select {
	case err = <-done:
	case <-shutdownCtx.Done():
		err = errors.New("the running crawl did not stop in time")
	}
	if err != nil {
		return withCode(exitFailed, fmt.Errorf("schedule shutdown: %w", err))
	}
	if cause := context.Cause(runCtx); ctx.Err() == nil {
		return cause // the store is damaged
	}
	return withCode(exitInterrupted, errors.New("interrupted: schedule stopped"))
}
