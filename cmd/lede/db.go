package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"lede/store"
)

// defaultDBPath is where the store lives unless --db or $LEDE_DB says otherwise.
func defaultDBPath() string {
	if p := os.Getenv("LEDE_DB"); p != "" {
		return p
	}
	return "lede.db"
}

// addDBFlag adds the shared --db flag to cmd and returns where its value lands.
func addDBFlag(cmd *cobra.Command) *string {
	return cmd.Flags().String("db", defaultDBPath(), "store file ($LEDE_DB sets the default)")
}

// lockWait is how long a command waits for a store another lede process holds before it
// gives up with exit code 75, counted from the start of the process as README promises.
const lockWait = 2 * time.Second

// lockTimeout is what is left of lockWait after age, the time the process has run: starting
// lede costs a few hundred milliseconds (more on a busy machine) before a command runs. It is
// never zero: the lock is always tried once.
func lockTimeout(age time.Duration) time.Duration {
	return max(lockWait-age, time.Millisecond)
}

// openDB opens the store at path, turning a held lock into exit code 75 with a clear message.
// Unless opts set their own timeout, it waits for a held lock until lockWait after the
// process started.
func openDB(path string, opts ...store.Option) (*store.DB, error) {
	opts = append([]store.Option{store.WithTimeout(lockTimeout(processAge()))}, opts...)
	db, err := store.Open(path, opts...)
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, store.ErrLocked):
		return nil, withCode(exitLocked, err)
	case errors.Is(err, store.ErrMissing):
		// err reads "<path> does not exist".
		return nil, fmt.Errorf("%w: nothing has been stored yet (run 'lede crawl' or 'lede extract --save' first)", err)
	default:
		return nil, err // store's errors name the file
	}
}
