package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped tells the kernel this process no longer needs the pages of the file it has
// read through bbolt's memory map (madvise MADV_DONTNEED). The mapping is shared and
// read-only and bbolt writes with pwrite, so nothing is lost: a later read faults the page in
// again from the page cache. Without this, every page a long export or a big import touches
// stays in the process's resident set, which then grows with the corpus.
//
// It must run inside a transaction: bbolt only remaps the file (moving Data) while no
// read transaction is open and from the writer itself, at commit.
func releaseMapped(db *bolt.DB, tx *bolt.Tx) {
	info := db.Info()
	size := tx.Size()
	if info == nil || info.Data == 0 || size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(size), syscall.MADV_DONTNEED)
}
