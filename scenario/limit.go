package scenario

import (
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
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, &TooLargeError{Name: name}
	}
	return data, nil
}

// ReadFile reads the file at path like ReadAll.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(path, f)
}
