package openapi

import (
	"encoding/json"
)

// redactJSON replaces the values of secret properties in a well-formed JSON document (the
// caller checked it with CheckJSON) without decoding it: one pass over the bytes,
// no allocation unless a secret is found, and the rest of the document kept byte for
// byte. A secret property's value is replaced whatever its type, except an object, whose
// own properties are looked at instead, as Redactor.Value does (the decoding oracle of
// redactjson_test.go).
func redactJSON(b []byte, secret func([]byte) bool) ([]byte, bool) {
	var out []byte
	last := 0 // b[last:] is not copied to out yet
	var walk func(i int) int
	// walk scans the value at b[i] (after whitespace) and returns the index after it.
	walk = func(i int) int {
		i = skipSpace(b, i)
		if i >= len(b) {
			return i
		}
		switch b[i] {
		case '{':
			i++
			for {
				i = skipSpace(b, i)
				if i >= len(b) || b[i] == '}' {
					return i + 1
				}
				if b[i] == ',' {
					i++
					continue
				}
				keyStart := i
				i = skipString(b, i)
				key := b[keyStart+1 : i-1]
				i = skipSpace(b, i)
				i++ // ':'
				vStart := skipSpace(b, i)
				if vStart < len(b) && b[vStart] != '{' && secret(unquoteKey(key)) {
					vEnd := skipValue(b, vStart)
					out = append(out, b[last:vStart]...)
					out = append(out, `"`+Redacted+`"`...)
					last = vEnd
					i = vEnd
					continue
				}
				i = walk(vStart)
			}
		case '[':
			i++
			for {
				i = skipSpace(b, i)
				if i >= len(b) || b[i] == ']' {
					return i + 1
				}
				if b[i] == ',' {
					i++
					continue
				}
				i = walk(i)
			}
		}
		return skipValue(b, i)
	}
	walk(0)
	if out == nil {
		return b, false
	}
	return append(out, b[last:]...), true
}

// jsonText is what the byte-level scanner reads: a body, or a body already held as a
// string (parseJSON's).
type jsonText interface{ ~string | ~[]byte }

// skipSpace, skipString and skipValue are the kit's one byte-level JSON scanner: the
// redactor and TopFields walk documents with them, CheckJSON skips strings with skipString
// while it counts the nesting, and parseJSON skips whitespace with skipSpace.

// skipSpace returns the index of the first byte at or after b[i] that is not JSON
// whitespace.
func skipSpace[T jsonText](b T, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] (a quote), past the end
// of b when the string does not close.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// unquoteKey returns a property name's bytes; names with escapes are rare and decoded the
// slow way.
func unquoteKey(raw []byte) []byte {
	for _, c := range raw {
		if c == '\\' {
			q := make([]byte, 0, len(raw)+2)
			q = append(append(append(q, '"'), raw...), '"')
			var s string
			if err := json.Unmarshal(q, &s); err == nil {
				return []byte(s)
			}
			break
		}
	}
	return raw
}

// TopFields calls fn with each top-level property of a well-formed JSON object (the
// caller checked it with CheckJSON), without decoding it: the key unescaped, the value as
// its raw bytes. The stateful mock builds stored resources with it; it shares the scanner
// of the byte-level redaction.
func TopFields(b []byte, fn func(key, value []byte)) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return
		}
		if b[i] == ',' {
			i++
			continue
		}
		keyStart := i
		i = skipString(b, i)
		if i > len(b) || i-1 <= keyStart {
			return
		}
		key := unquoteKey(b[keyStart+1 : i-1])
		i = skipSpace(b, i) + 1 // ':'
		vStart := skipSpace(b, i)
		i = skipValue(b, vStart)
		fn(key, b[vStart:i])
	}
}
