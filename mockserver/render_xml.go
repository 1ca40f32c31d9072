package mockserver

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// isXMLType reports whether a base media type is XML (application/xml, text/xml, +xml).
func isXMLType(base string) bool {
	return base == "application/xml" || base == "text/xml" || strings.HasSuffix(base, "+xml")
}

// maxXMLDepth bounds the nesting rendered as XML; deeper values (only a recursive schema
// yields them) are cut off rather than rendered without end.
const maxXMLDepth = 32

// renderXML encodes v as an XML document the way OpenAPI's xml object describes it: the
// root element named by the schema's xml.name, else its component name, else "root";
// properties as child elements (or attributes where xml.attribute says so); arrays as
// repeated elements, inside a wrapper element where xml.wrapped says so. Text is escaped
// by encoding/xml, so a synthesized or example value cannot break the document.
func renderXML(schema *openapi3.SchemaRef, v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	name := "root"
	if schema != nil {
		if schema.Value != nil && schema.Value.XML != nil && schema.Value.XML.Name != "" {
			name = schema.Value.XML.Name
		} else if i := strings.LastIndexByte(schema.Ref, '/'); i >= 0 && xmlName(schema.Ref[i+1:]) {
			name = schema.Ref[i+1:]
		}
	}
	if err := xmlElement(enc, name, schemaOf(schema), v, 0); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func schemaOf(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil {
		return nil
	}
	return ref.Value
}

// xmlName reports whether s can be an element or attribute name as it stands.
func xmlName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r == ':' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 0x7f
		if i > 0 {
			ok = ok || r == '-' || r == '.' || (r >= '0' && r <= '9')
		}
		if !ok {
			return false
		}
	}
	return true
}

// elementName is the name of the element of property prop: its xml.name, else the
// property's own name when that is a valid XML name, else "item".
func elementName(prop string, s *openapi3.Schema) string {
	if s != nil && s.XML != nil && s.XML.Name != "" {
		return s.XML.Name
	}
	if xmlName(prop) {
		return prop
	}
	return "item"
}

func xmlElement(enc *xml.Encoder, name string, s *openapi3.Schema, v any, depth int) error {
	if v == nil || depth > maxXMLDepth {
		return nil
	}
	start := xml.StartElement{Name: xml.Name{Local: name}}
	if s != nil && s.XML != nil && s.XML.Prefix != "" {
		start.Name.Local = s.XML.Prefix + ":" + name
		if s.XML.Namespace != "" {
			start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "xmlns:" + s.XML.Prefix}, Value: s.XML.Namespace})
		}
	} else if s != nil && s.XML != nil && s.XML.Namespace != "" {
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: s.XML.Namespace})
	}
	switch t := v.(type) {
	case map[string]any:
		var children []string
		for _, k := range slices.Sorted(maps.Keys(t)) {
			ps := openapi.PropertySchema(s, k)
			if ps != nil && ps.XML != nil && ps.XML.Attribute {
				if t[k] != nil {
					start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: elementName(k, ps)}, Value: scalarString(t[k])})
				}
				continue
			}
			children = append(children, k)
		}
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		for _, k := range children {
			if err := xmlProperty(enc, k, openapi.PropertySchema(s, k), t[k], depth+1); err != nil {
				return err
			}
		}
		return enc.EncodeToken(start.End())
	case []any:
		// An array at the root, or inside an array: one element per item, in a wrapper.
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		items := openapi.ItemsSchema(s)
		for _, e := range t {
			if err := xmlElement(enc, elementName("item", items), items, e, depth+1); err != nil {
				return err
			}
		}
		return enc.EncodeToken(start.End())
	}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	if err := enc.EncodeToken(xml.CharData(scalarString(v))); err != nil {
		return err
	}
	return enc.EncodeToken(start.End())
}

// xmlProperty renders property k: an array as repeated elements named after its items (in
// a wrapper element named after k when xml.wrapped is set), anything else as one element.
func xmlProperty(enc *xml.Encoder, k string, s *openapi3.Schema, v any, depth int) error {
	arr, ok := v.([]any)
	if !ok {
		return xmlElement(enc, elementName(k, s), s, v, depth)
	}
	items := openapi.ItemsSchema(s)
	if s != nil && s.XML != nil && s.XML.Wrapped {
		wrapper := xml.StartElement{Name: xml.Name{Local: elementName(k, s)}}
		if err := enc.EncodeToken(wrapper); err != nil {
			return err
		}
		for _, e := range arr {
			if err := xmlElement(enc, elementName(k, items), items, e, depth+1); err != nil {
				return err
			}
		}
		return enc.EncodeToken(wrapper.End())
	}
	name := k
	if items != nil && items.XML != nil && items.XML.Name != "" {
		name = items.XML.Name
	} else if s != nil && s.XML != nil && s.XML.Name != "" {
		name = s.XML.Name
	}
	for _, e := range arr {
		if err := xmlElement(enc, elementName(name, nil), items, e, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// renderEventStream encodes v as a text/event-stream: each item of an array is one event,
// anything else a single event; an event's data is its text, or its JSON for objects and
// arrays, one data: line per line of it.
func renderEventStream(v any) ([]byte, error) {
	events, ok := v.([]any)
	if !ok {
		events = []any{v}
	}
	var buf bytes.Buffer
	for _, e := range events {
		var data string
		switch t := e.(type) {
		case map[string]any, []any:
			b, err := json.Marshal(t)
			if err != nil {
				return nil, err
			}
			data = string(b)
		default:
			data = scalarString(t)
		}
		for _, line := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
			buf.WriteString("data: ")
			buf.WriteString(strings.ReplaceAll(line, "\r", ""))
			buf.WriteByte('\n')
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}
