package main

import (
	"os"
	"path/filepath"
	"strings"

	"parley/genius"
)

// domainGroups splits the paths of the command line into negotiation
// problems, as simulate does: several folders or scenario files are one
// problem each, and so is each argument when any of them joins files with
// commas (domain.xml,buyer.xml,seller.xml); otherwise the paths are the
// files of one research domain.
func domainGroups(paths []string) [][]string {
	if len(paths) <= 1 {
		return [][]string{paths}
	}
	separate := true
	for _, p := range paths {
		if strings.Contains(p, ",") {
			var groups [][]string
			for _, q := range paths {
				groups = append(groups, strings.Split(q, ","))
			}
			return groups
		}
		separate = separate && standsAlone(p)
	}
	if !separate {
		return [][]string{paths}
	}
	groups := make([][]string, len(paths))
	for i, p := range paths {
		groups[i] = []string{p}
	}
	return groups
}

// standsAlone reports whether p is a whole negotiation problem by itself:
// a folder or a parley scenario file.
func standsAlone(p string) bool {
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		return true
	}
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml":
		return true
	case ".json":
		data, err := os.ReadFile(p)
		return err == nil && !genius.IsResearchFile(p, data)
	}
	return false
}
