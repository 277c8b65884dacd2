//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped is a no-op outside Linux (see release_linux.go).
func releaseMapped(*bolt.DB, *bolt.Tx) {}

// fileResident is unknown outside Linux (see release_linux.go): no release is ever due.
func fileResident() int64 { return -1 }
