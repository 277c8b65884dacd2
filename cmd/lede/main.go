// Command lede crawls news sites, strips page chrome from every article, keeps clean
// articles in a bbolt store and exports them as a corpus.
//
// Each subcommand lives in its own file and registers itself with addCommand in an init
// function. This file holds the root command and the exit-code convention.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"lede/store"
)

// Exit codes, documented in README.md.
const (
	exitOK          = 0
	exitFailed      = 1   // some input or page failed
	exitUsage       = 2   // bad flags or arguments
	exitLocked      = 75  // the store is held by another lede process (EX_TEMPFAIL)
	exitInterrupted = 130 // SIGINT / SIGTERM
)

// exitError carries an exit code out of a subcommand. A nil err means the message was
// already printed (for example, one line per failed source) and only the code matters.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// withCode wraps err so that lede exits with code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

var subcommands []func() *cobra.Command

// addCommand registers a subcommand constructor; each subcommand file calls it from init.
func addCommand(newCmd func() *cobra.Command) { subcommands = append(subcommands, newCmd) }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "lede",
		Short:         "Crawl news sites, strip page chrome, keep and export clean articles",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withCode(exitUsage, fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath()))
	})
	for _, newCmd := range subcommands {
		root.AddCommand(newCmd())
	}
	return root
}

// run executes lede with args and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var damaged *store.CorruptError
	if errors.As(err, &damaged) {
		// A damaged store fails every command the same way, whatever it was doing.
		fmt.Fprintf(stderr, "lede: %v\nlede: restore %s from a backup; 'lede stats --check --db %s' lists what is damaged\n",
			err, damaged.Path, damaged.Path)
		return exitFailed
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "lede:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "lede:", err)
	if isUsageError(err) {
		return exitUsage
	}
	return exitFailed
}

// isUsageError recognises cobra's own argument errors (unknown command, wrong arg count).
func isUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// outputWriter remembers the first error writing to w, so that a command printing with
// fmt.Fprintf reports a full disk or a closed stdout at the end (exit 1) instead of
// exiting 0 with its output lost.
type outputWriter struct {
	w   io.Writer
	err error
}

func (o *outputWriter) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

// done returns the first write error, if any.
func (o *outputWriter) done() error {
	if o.err != nil {
		return fmt.Errorf("write output: %w", o.err)
	}
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
