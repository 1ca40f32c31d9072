package openapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Response bodies kin-openapi has no decoder for (XML, HTML, event streams...) used to be
// reported as "cannot be parsed", so a valid text/html error page failed the check. They
// are judged here as far as their media type allows: XML must be well-formed, an event
// stream must consist of event-stream fields, any text must be UTF-8 (when it is text/*),
// and a body whose schema is a string is validated as that string. A body whose schema
// describes structure (an object as XML, say) is not mapped onto it: it is accepted as
// declared once it parses.

// ownDecoded reports whether a response body of Content-Type ct is judged by
// opaqueBodyProblems rather than kin-openapi: its media type is neither JSON nor one
// kin-openapi decodes.
func ownDecoded(ct string) bool {
	base, _, err := mime.ParseMediaType(ct)
	if err != nil || IsJSON(base) {
		return false
	}
	return openapi3filter.RegisteredBodyDecoder(base) == nil
}

// opaqueBodyProblems judges a body ownDecoded accepts against the declared media type mt.
func (d *Document) opaqueBodyProblems(ct string, mt *openapi3.MediaType, body []byte) Problems {
	base, _, _ := mime.ParseMediaType(ct)
	malformed := func(msg string) Problems {
		return Problems{{Kind: MalformedResponse, In: "body", Message: msg}}
	}
	switch {
	case base == "application/xml" || base == "text/xml" || strings.HasSuffix(base, "+xml"):
		if !wellFormedXML(body) {
			return malformed("body is not well-formed XML")
		}
	case base == "text/event-stream":
		if !eventStream(body) {
			return malformed("body is not an event stream (lines of data:, event:, id:, retry: or comments)")
		}
	case strings.HasPrefix(base, "text/"):
		if !utf8.Valid(body) {
			return malformed("body is not valid UTF-8 text")
		}
	}
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	s := mt.Schema.Value
	if !s.Type.Is(openapi3.TypeString) || s.Format == "binary" {
		return nil
	}
	err := d.validateFor(s, string(body), Response)
	if err == nil {
		return nil
	}
	var out Problems
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			p := schemaProblem(se, "response field")
			p.Kind = InvalidBody
			out = append(out, p)
		}
	}
	return out
}

// wellFormedXML reports whether b is one well-formed XML document.
func wellFormedXML(b []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	root := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return root
		}
		if err != nil {
			return false
		}
		if _, ok := tok.(xml.StartElement); ok {
			root = true
		}
	}
}

// eventStream reports whether every line of b is a field of the event-stream format
// (name: value, a bare name, a comment) and b is UTF-8.
func eventStream(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, line := range strings.FieldsFunc(string(b), func(r rune) bool { return r == '\n' || r == '\r' }) {
		name, _, _ := strings.Cut(line, ":")
		switch name {
		case "", "data", "event", "id", "retry":
		default:
			return false
		}
	}
	return true
}
