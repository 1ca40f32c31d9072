package openapi

import "bytes"

// refUnderKey reports whether data holds a mapping whose value under a key ending in
// one of keys starts with a $ref key, in block or flow style, quoted or not: what
// `(?:k1|k2...)"?[ \t]*:[ \t]*(?:\{[ \t]*|\r?\n[ \t]*)["']?\$ref["']?[ \t]*:` matches.
// It finds the candidates of the inliners (operation, properties and description
// $refs) before they parse anything. Go's regexp scans a 4 MB document for that pattern
// in 0.3 s, as it has no literal to start from; this looks back from each "$ref",
// which is a literal.
func refUnderKey(data []byte, keys ...string) bool {
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("$ref"))
		if i < 0 {
			return false
		}
		at := off + i
		off = at + 4
		if refKeyAt(data, at, keys) {
			return true
		}
	}
}

// refKeyAt checks the text around the "$ref" at data[at:]: a key (an optional quote
// after it, spaces, a colon), then a key under keys before it.
func refKeyAt(data []byte, at int, keys []string) bool {
	// After: ["']? [ \t]* ':'
	j := at + 4
	if j < len(data) && (data[j] == '"' || data[j] == '\'') {
		j++
	}
	for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
		j++
	}
	if j >= len(data) || data[j] != ':' {
		return false
	}
	// Before: key "? [ \t]* ':' [ \t]* ('{' [ \t]* | '\r'? '\n' [ \t]*) ["']?
	i := at
	if i > 0 && (data[i-1] == '"' || data[i-1] == '\'') {
		i--
	}
	for i > 0 && (data[i-1] == ' ' || data[i-1] == '\t') {
		i--
	}
	switch {
	case i > 0 && data[i-1] == '{':
		i--
	case i > 0 && data[i-1] == '\n':
		i--
		if i > 0 && data[i-1] == '\r' {
			i--
		}
	default:
		return false
	}
	for i > 0 && (data[i-1] == ' ' || data[i-1] == '\t') {
		i--
	}
	if i == 0 || data[i-1] != ':' {
		return false
	}
	i--
	for i > 0 && (data[i-1] == ' ' || data[i-1] == '\t') {
		i--
	}
	if i > 0 && data[i-1] == '"' {
		i--
	}
	for _, k := range keys {
		if bytes.HasSuffix(data[:i], []byte(k)) {
			return true
		}
	}
	return false
}

// hasExternalRef reports whether data may hold a $ref to another file: a "$ref" key
// whose value does not start with '#'. Documents without one are not parsed to share
// their $refs.
func hasExternalRef(data []byte) bool {
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("$ref"))
		if i < 0 {
			return false
		}
		j := off + i + 4
		off = j
		if j < len(data) && (data[j] == '"' || data[j] == '\'') {
			j++
		}
		for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
			j++
		}
		if j >= len(data) || data[j] != ':' {
			continue
		}
		j++
		for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
			j++
		}
		if j < len(data) && (data[j] == '"' || data[j] == '\'') {
			j++
		}
		if j < len(data) && data[j] != '#' {
			return true
		}
	}
}
