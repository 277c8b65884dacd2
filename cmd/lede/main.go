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
	// lede alone prints its help; lede and a word that names no command is a usage error
	// (cobra finds that out in a check of its own, which returns a plain error).
	root.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2 // cobra's default, which it sets only on its own path
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
		}
		return errors.New(msg)
	}
	usageArgs(root)
	return root
}

// usageArgs makes the argument check of c and of every command below it report a usage
// error (exit 2): cobra's own checks (cobra.NoArgs, ExactArgs...) return plain errors.
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return withCode(exitUsage, fmt.Errorf("%w\nrun '%s --help' for usage", err, cmd.CommandPath()))
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}

// run executes lede with args and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var damaged *store.CorruptError
	if errors.As(err, &damaged) {
		// A damaged store fails every command the same way, whatever it was doing; the
		// check itself has just listed what is damaged.
		hint := fmt.Sprintf("; 'lede stats --check --db %s' lists what is damaged", damaged.Path)
		if check := cmd.Flags().Lookup("check"); cmd.Name() == "stats" && check != nil && check.Changed {
			hint = ""
		}
		fmt.Fprintf(stderr, "lede: %v\nlede: restore %s from a backup%s\n", err, damaged.Path, hint)
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
	return exitFailed
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
