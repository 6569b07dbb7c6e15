package scenario

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// chunkItems is how many items of a long list the YAML encoder is given
// at once (a variable so that tests can lower it).
var chunkItems = 256

// encodeYAML writes the tree rooted at root as one YAML document with an
// indentation of 2, exactly as one run of the encoder would, but in
// pieces. The encoder keeps every event of a document until its end and
// copies them all each time its queue grows, which made large scenarios
// slow to write; so each list of more than chunkItems items is left out
// of the tree, and written chunkItems items at a time, each batch in a
// tree that holds only the way down to the list: the items are then at
// the same place, depth and column as in the whole tree, and come out
// the same. The pieces are spliced where the list was.
func encodeYAML(root *yaml.Node) ([]byte, error) {
	lists := longLists(root)
	if len(lists) == 0 {
		return encodeWhole(root)
	}
	// The skeleton: each long list replaced by a marker item.
	saved := make([][]*yaml.Node, len(lists))
	markers := make([]string, len(lists))
	for i, l := range lists {
		saved[i] = l.list.Content
		markers[i] = fmt.Sprintf("parley-list-%d-%p", i, l.list)
		l.list.Content = []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: markers[i]}}
	}
	skeleton, err := encodeWhole(root)
	for i, l := range lists {
		l.list.Content = saved[i]
	}
	if err != nil {
		return nil, err
	}
	for i, l := range lists {
		var items bytes.Buffer
		for start := 0; start < len(saved[i]); start += max(chunkItems, 1) {
			batch := saved[i][start:min(start+max(chunkItems, 1), len(saved[i]))]
			text, err := encodeYAML(l.chunk(batch))
			if err != nil {
				return nil, err
			}
			// Drop the lines of the way down: one per mapping.
			for range l.mappings() {
				_, text, _ = bytes.Cut(text, []byte("\n"))
			}
			items.Write(text)
		}
		at := bytes.Index(skeleton, []byte("- "+markers[i]+"\n"))
		lineStart := bytes.LastIndexByte(skeleton[:max(at, 0)], '\n') + 1
		if at < 0 || len(bytes.TrimLeft(skeleton[lineStart:at], " ")) > 0 {
			return encodeWhole(root) // the marker is not where it should be
		}
		end := at + len("- "+markers[i]+"\n")
		skeleton = append(skeleton[:lineStart:lineStart], append(items.Bytes(), skeleton[end:]...)...)
	}
	return skeleton, nil
}

func encodeWhole(root *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// longList is a list of more than chunkItems items and the way down to
// it from the root: each step a mapping or list and the index of the
// next node in its Content.
type longList struct {
	list *yaml.Node
	way  []step
}

type step struct {
	node  *yaml.Node
	index int
}

// longLists finds the outermost block lists of more than chunkItems items
// whose way down holds only block mappings, and lists' items that are
// mappings: there, each mapping on the way takes one line, and the items
// one line each for their start.
func longLists(root *yaml.Node) []longList {
	var found []longList
	var walk func(n *yaml.Node, way []step)
	walk = func(n *yaml.Node, way []step) {
		if n.Style&yaml.FlowStyle != 0 {
			return
		}
		if n.Kind == yaml.SequenceNode && len(n.Content) > chunkItems && len(way) > 0 && way[len(way)-1].node.Kind == yaml.MappingNode {
			found = append(found, longList{list: n, way: way})
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 1; i < len(n.Content); i += 2 {
				if n.Content[i-1].Kind == yaml.ScalarNode && len(n.Content[i-1].Value) < 100 {
					walk(n.Content[i], append(way[:len(way):len(way)], step{n, i}))
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				if c.Kind == yaml.MappingNode {
					walk(c, append(way[:len(way):len(way)], step{n, i}))
				}
			}
		}
	}
	walk(root, nil)
	return found
}

// chunk builds the tree that holds only the way down to the list, with
// items as the list's items.
func (l longList) chunk(items []*yaml.Node) *yaml.Node {
	leaf := *l.list
	leaf.Content = items
	cur := &leaf
	for i := len(l.way) - 1; i >= 0; i-- {
		st := l.way[i]
		n := *st.node
		if n.Kind == yaml.MappingNode {
			n.Content = []*yaml.Node{st.node.Content[st.index-1], cur}
		} else {
			n.Content = []*yaml.Node{cur}
		}
		cur = &n
	}
	return cur
}

// mappings returns the mappings on the way down to the list.
func (l longList) mappings() []*yaml.Node {
	var ms []*yaml.Node
	for _, st := range l.way {
		if st.node.Kind == yaml.MappingNode {
			ms = append(ms, st.node)
		}
	}
	return ms
}
