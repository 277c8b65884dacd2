package store

import (
	"os"
	"strconv"
	"strings"
	"sync"
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

// statm is /proc/self/statm, opened once: each read at offset 0 gives the current figures.
var statm = sync.OnceValue(func() *os.File {
	f, _ := os.Open("/proc/self/statm")
	return f
})

// fileResident returns the process's file-backed resident memory in bytes: the binary, its
// libraries and the store's memory map (statm's third field, RssFile + RssShmem), or -1 when
// it cannot be read. One pread, a few microseconds.
func fileResident() int64 {
	f := statm()
	if f == nil {
		return -1
	}
	var buf [128]byte
	n, _ := f.ReadAt(buf[:], 0) // io.EOF with the whole file
	if n == 0 {
		return -1
	}
	fields := strings.Fields(string(buf[:n]))
	if len(fields) < 3 {
		return -1
	}
	pages, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil {
		return -1
	}
	return pages * int64(os.Getpagesize())
}
