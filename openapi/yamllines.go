package openapi

import (
	"bytes"
	"strconv"
	"strings"
)

// yamlKeyLines returns the line of every mapping key whose JSON pointer is in prefixes,
// reading block-style YAML line by line instead of building a node tree: placing thousands
// of warnings (one no-client-error per operation of a large document) used to cost a second
// full parse, about as long as kin-openapi's own.
//
// It follows mapping keys only. Whatever it cannot follow for sure (sequence items, flow
// collections, multi-line scalars, complex keys, anchors) is skipped, so a pointer through
// such a part is simply absent from the result and placeWarnings falls back to the node
// tree for it. A pointer it does report has the line the node tree gives: the first key of
// that name in its mapping. ok is false when the text is not block YAML the scanner can
// follow at all (tabs in indentation); the result is then empty.
func yamlKeyLines(data []byte, prefixes map[string]bool) (lines map[string]int, ok bool) {
	type open struct {
		indent int
		ptr    string
		live   bool // ptr is a prefix of a wanted pointer, so its children are worth naming
	}
	lines = map[string]int{}
	stack := []open{{indent: -1, ptr: "", live: true}}
	skipDeeper := -1 // lines indented more than this belong to a value already skipped
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for n := 1; len(data) > 0; n++ {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimRight(line, " \r")
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		rest := line[indent:]
		if len(rest) == 0 || rest[0] == '#' {
			continue
		}
		if skipDeeper >= 0 {
			if indent > skipDeeper {
				continue
			}
			skipDeeper = -1
		}
		if rest[0] == '\t' {
			return map[string]int{}, false
		}
		if indent == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("...")) || rest[0] == '%') {
			continue
		}
		for len(stack) > 1 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		key, value, isKey := yamlKey(rest)
		if !isKey {
			// A sequence item, a flow collection, a scalar's continuation or a construct
			// the scanner does not follow: everything nested in it is skipped.
			skipDeeper = indent
			continue
		}
		parent := stack[len(stack)-1]
		child := open{indent: indent}
		if parent.live {
			child.ptr = parent.ptr + "/" + pointerEscaper.Replace(key)
			child.live = prefixes[child.ptr]
			if _, seen := lines[child.ptr]; child.live && !seen {
				lines[child.ptr] = n
			}
		}
		if value {
			// A key with its value on the same line has no block children.
			skipDeeper = indent
			continue
		}
		stack = append(stack, child)
	}
	return lines, true
}

// yamlKey reads "key: value" at the start of a block-mapping line. value reports whether
// something other than a comment follows the colon; isKey is false for anything that is not
// a plain or quoted key the scanner can read exactly.
func yamlKey(rest []byte) (key string, value, isKey bool) {
	var after []byte
	switch rest[0] {
	case '"':
		end := 1
		for end < len(rest) && rest[end] != '"' {
			if rest[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(rest) {
			return "", false, false
		}
		k, err := strconv.Unquote(string(rest[:end+1]))
		if err != nil {
			return "", false, false
		}
		key, after = k, rest[end+1:]
	case '\'':
		end := 1
		for end < len(rest) {
			if rest[end] == '\'' {
				if end+1 < len(rest) && rest[end+1] == '\'' {
					end += 2
					continue
				}
				break
			}
			end++
		}
		if end >= len(rest) {
			return "", false, false
		}
		key, after = strings.ReplaceAll(string(rest[1:end]), "''", "'"), rest[end+1:]
	case '-', '?', '{', '[', '&', '*', '!', '|', '>', '@', '`', '%':
		if rest[0] == '-' && len(rest) > 1 && rest[1] != ' ' {
			break // a plain key such as "-x:"
		}
		return "", false, false
	}
	if after == nil {
		i := bytes.Index(rest, []byte(": "))
		if i < 0 && bytes.HasSuffix(rest, []byte(":")) {
			i = len(rest) - 1
		}
		if i <= 0 || bytes.Contains(rest[:i], []byte(" #")) {
			return "", false, false
		}
		key, after = string(bytes.TrimRight(rest[:i], " ")), rest[i:]
	} else {
		after = bytes.TrimLeft(after, " ")
	}
	if len(after) == 0 || after[0] != ':' || (len(after) > 1 && after[1] != ' ') {
		return "", false, false
	}
	v := bytes.TrimLeft(after[1:], " ")
	// An anchor or a tag alone leaves the value to the following lines; the scanner
	// cannot follow aliases, so it does not follow these either.
	if len(v) > 0 && (v[0] == '&' || v[0] == '!') {
		return "", false, false
	}
	return key, len(v) > 0 && v[0] != '#', true
}
