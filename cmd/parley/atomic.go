package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Output files are written whole or not at all: into a temporary file
// beside the target, which is renamed over it once complete. A full disk,
// an error or Ctrl-C leaves the old file (or none), never a fragment.

// temps are the temporary files being written, removed on a forced exit.
var temps = struct {
	sync.Mutex
	paths map[string]bool
}{paths: map[string]bool{}}

func trackTemp(path string, on bool) {
	temps.Lock()
	defer temps.Unlock()
	if on {
		temps.paths[path] = true
	} else {
		delete(temps.paths, path)
	}
}

// removeTemps deletes the temporary files still being written; the
// interrupt handler calls it before it ends the process.
func removeTemps() {
	temps.Lock()
	defer temps.Unlock()
	for p := range temps.paths {
		os.Remove(p)
	}
}

// atomicFile is an output file being written: Commit puts it in place,
// Abort throws it away.
type atomicFile struct {
	*os.File
	target string
	done   bool
}

// createAtomic starts writing the file at path.
func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, err
	}
	trackTemp(f.Name(), true)
	return &atomicFile{File: f, target: path}, nil
}

// Commit flushes the file to disk and renames it over the target.
func (a *atomicFile) Commit() error {
	if a.done {
		return fmt.Errorf("write %s: already finished", a.target)
	}
	a.done = true
	name := a.Name()
	defer trackTemp(name, false)
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, a.target)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", a.target, err)
	}
	return nil
}

// Abort removes the temporary file; after Commit it does nothing, so it
// can be deferred.
func (a *atomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.Close()
	os.Remove(a.Name())
	trackTemp(a.Name(), false)
}

// writeFileAtomic writes data to the file at path, whole or not at all.
func writeFileAtomic(path string, data []byte) error {
	f, err := createAtomic(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
