package mockserver

import (
	"bytes"
	"encoding/json"
	"slices"
	"sync"
)

// marshalFlat encodes m exactly as json.Marshal does when every value is a string, as in
// the error bodies of common error schemas ({"error_code": ..., "error_msg": ...}):
// keys in sorted order, each string escaped by encoding/json itself through a pooled
// encoder. It skips json.Marshal's reflective walk of the map, which was the largest cost
// of answering an invalid request. ok is false when a value is not a string; the caller
// then uses json.Marshal.
func marshalFlat(m map[string]any) (b []byte, ok bool) {
	var keys [8]string
	ks := keys[:0]
	for k, v := range m {
		if _, ok := v.(string); !ok {
			return nil, false
		}
		ks = append(ks, k)
	}
	slices.Sort(ks)
	fe := flatEncoders.Get().(*flatEncoder)
	defer fe.put()
	fe.out = append(fe.out[:0], '{')
	for i, k := range ks {
		if i > 0 {
			fe.out = append(fe.out, ',')
		}
		if err := fe.appendString(k); err != nil {
			return nil, false
		}
		fe.out = append(fe.out, ':')
		if err := fe.appendString(m[k].(string)); err != nil {
			return nil, false
		}
	}
	fe.out = append(fe.out, '}')
	return bytes.Clone(fe.out), true
}

// flatEncoder is marshalFlat's scratch space: a json.Encoder (HTML escaping on, as
// json.Marshal) writing into buf, and the object being built in out.
type flatEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
	out []byte
}

var flatEncoders = sync.Pool{New: func() any {
	fe := &flatEncoder{}
	fe.enc = json.NewEncoder(&fe.buf)
	return fe
}}

// maxFlatScratch bounds the scratch space kept for reuse.
const maxFlatScratch = 16 << 10

func (fe *flatEncoder) put() {
	if cap(fe.out) <= maxFlatScratch && fe.buf.Cap() <= maxFlatScratch {
		flatEncoders.Put(fe)
	}
}

// appendString appends s as encoding/json writes a string: quoted and escaped. A plain
// ASCII string needs no escaping and is copied as is.
func (fe *flatEncoder) appendString(s string) error {
	if plainJSON(s) {
		fe.out = append(fe.out, '"')
		fe.out = append(fe.out, s...)
		fe.out = append(fe.out, '"')
		return nil
	}
	fe.buf.Reset()
	if err := fe.enc.Encode(s); err != nil {
		return err
	}
	fe.out = append(fe.out, bytes.TrimSuffix(fe.buf.Bytes(), []byte{'\n'})...)
	return nil
}

// plainJSON reports whether encoding/json writes s between quotes unchanged: printable
// ASCII without '"', '\\' and the characters it escapes for HTML ('<', '>', '&').
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}
