//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped is a no-op outside Linux (see release_linux.go).
func releaseMapped(*bolt.DB, *bolt.Tx) {}
