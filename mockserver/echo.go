package mockserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// Echoing the path's id. GET /items/it-1 used to answer an item whose id was whatever the
// example or the synthesizer gave; a client that checks it got the item it asked for was
// misled. When a path ends in a parameter ({itemId}, {id}) and the JSON answer is an object
// with a property of that name (or "id" for a parameter that names the resource's id, see
// namesID), the answer carries the
// request's value there, converted to the property's type, provided the property's schema
// accepts it; otherwise the answer is sent unchanged.

// echoField is the property of a JSON answer that receives the path's last parameter.
type echoField struct {
	property string
	schema   *openapi3.Schema
}

// lastPathParam returns the name of the parameter that is the last segment of a path
// template ("itemId" of /items/{itemId}), or "".
func lastPathParam(path string) string {
	seg := path[strings.LastIndexByte(path, '/')+1:]
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' && !strings.ContainsAny(seg[1:len(seg)-1], "{}") {
		return seg[1 : len(seg)-1]
	}
	return ""
}

// planEcho sets the echo field of each JSON body of rp for an operation at path.
func planEcho(path string, rp *responsePlan) {
	param := lastPathParam(path)
	if param == "" || rp == nil {
		return
	}
	for mt, bp := range rp.bodies {
		if !openapi.IsJSON(baseMediaType(mt)) || bp.schema == nil || bp.schema.Value == nil {
			continue
		}
		s := bp.schema.Value
		if p := propertySchema(s, param); p != nil {
			bp.echo = &echoField{property: param, schema: p}
		} else if p := propertySchema(s, "id"); p != nil && namesID(path, param) {
			bp.echo = &echoField{property: "id", schema: p}
		}
	}
}

// namesID reports whether the last parameter of path names the resource's id: it ends in
// "id" (itemId, item_id) or is the singular of the segment before it (Stripe's
// /v1/charges/{charge}).
func namesID(path, param string) bool {
	p := strings.ToLower(param)
	if strings.HasSuffix(p, "id") {
		return true
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 {
		return false
	}
	prev := strings.ToLower(segs[len(segs)-2])
	return prev == p+"s" || prev == p+"es" || (strings.HasSuffix(p, "y") && prev == p[:len(p)-1]+"ies")
}

// propertySchema finds property name in s or in its allOf branches.
func propertySchema(s *openapi3.Schema, name string) *openapi3.Schema {
	if p := s.Properties[name]; p != nil && p.Value != nil {
		return p.Value
	}
	for _, b := range s.AllOf {
		if b != nil && b.Value != nil {
			if p := b.Value.Properties[name]; p != nil && p.Value != nil {
				return p.Value
			}
		}
	}
	return nil
}

// apply returns body with the request path's last segment in the echo property, or false
// when the body is no JSON object or the property's schema refuses the value.
func (e *echoField) apply(doc *openapi.Document, r *http.Request, body []byte) ([]byte, bool) {
	esc := r.URL.EscapedPath()
	raw, err := url.PathUnescape(esc[strings.LastIndexByte(esc, '/')+1:])
	if err != nil || raw == "" {
		return nil, false
	}
	var v any = raw
	if e.schema.Type.Is(openapi3.TypeInteger) || e.schema.Type.Is(openapi3.TypeNumber) {
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, false
		}
		v = f
	}
	if doc.ValidateValue(e.schema, v) != nil {
		return nil, false
	}
	var obj map[string]any
	if json.Unmarshal(body, &obj) != nil || obj == nil {
		return nil, false
	}
	obj[e.property] = v
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, false
	}
	return b, true
}
