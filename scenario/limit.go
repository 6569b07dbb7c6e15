package scenario

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// TooLargeError is returned for an input larger than MaxFileSize. It is
// found while reading: no more than MaxFileSize+1 bytes are ever read.
type TooLargeError struct {
	Name string // the file name, or "<stdin>"
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d MiB, the limit for an input file", e.Name, MaxFileSize>>20)
}

// ReadAll reads r to its end, the input named name, and fails with a
// *TooLargeError as soon as it has read more than MaxFileSize bytes. Every
// input parley reads (scenario files, standard input, GENIUS and GeniusWeb
// files) goes through it.
func ReadAll(name string, r io.Reader) ([]byte, error) {
	return readAll(name, r, 0)
}

// readAll is ReadAll with a guess of the size, so that the buffer is
// allocated once.
func readAll(name string, r io.Reader, size int64) ([]byte, error) {
	var buf bytes.Buffer
	if size > 0 && size <= MaxFileSize {
		buf.Grow(int(size) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxFileSize+1)); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if buf.Len() > MaxFileSize {
		return nil, &TooLargeError{Name: name}
	}
	return buf.Bytes(), nil
}

// ReadFile reads the file at path like ReadAll.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return readAll(path, f, size)
}
