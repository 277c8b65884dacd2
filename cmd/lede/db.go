package main

import (
	"errors"
	"fmt"
	"os"

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

// openDB opens the store at path, turning a held lock into exit code 75 with a clear message.
func openDB(path string, opts ...store.Option) (*store.DB, error) {
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
