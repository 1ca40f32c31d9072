// Package resource infers the REST resources of an OpenAPI document: which paths form a
// collection (create, list) and its items (get, replace, patch, delete), which path
// parameter names an item, which property of the resource holds its id, and which parent
// path parameters scope it. The stateful mock stores resources by this model and the
// stateful checker plans its sequences from it, so both read a document the same way.
//
// # Inference rules
//
//   - A collection is a path P with a POST (create) or a GET (list) whose item path is
//     P/{param} with at least one of GET, PUT, PATCH or DELETE; a path with only a POST
//     and no item path (the hook API's createProjectHook) is a create-only collection.
//     Paths whose last segment holds a parameter ({id}, {Sid}.json) are item paths,
//     never collections.
//   - The id parameter is the item path's last parameter. Every parameter of P scopes the
//     collection (/projects/{pid}/hooks keeps the hooks of each project apart; the hook
//     API keeps hooks per project_id, namespace and project).
//   - The get and create answers may wrap the resource in an envelope
//     ({"reserved_ip": {...}, "links": {...}}, DigitalOcean's style): the one object
//     property whose schema is the list's item schema (or, without a list, the required
//     one named like the id parameter or the collection). The resource is then that
//     property's value, and answers are the operation's default answer around it.
//   - The id property of the resource is, in order: the property a link of the create
//     response passes to the item's id parameter ($response.body#/prop); a property named
//     id; a property named like the id parameter; the only property named after the
//     resource and ending in an id word (task_id, taskId in tasks; not project_id, not
//     valid); the only property of the id parameter's format (an ipv4 ip). Only a string
//     or a number can be the id. Without one, the id lives only in the path.
//   - The name is the collection path's last literal segment ("todos", "hooks"),
//     prefixed by the previous literal segments when two collections would share it.
//   - Only JSON object resources take part: a create or get whose 2xx body is not a JSON
//     object leaves the operation to the stateless mock.
//   - A list's resources are in the array [ListArray] picks: the answer itself, or the
//     property holding an array whose items can be objects, the resource's shape first.
//   - A create may answer a record of the act rather than the resource
//     ([Collection.SeparateCreate]): the resource is then what the get answers.
//
// An [Override] (config state.resources) names or corrects a collection the rules get
// wrong, or switches one off.
package resource

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// Action is what an operation does to a collection.
type Action string

// The actions of a collection's operations.
const (
	Create  Action = "create"
	List    Action = "list"
	Get     Action = "get"
	Replace Action = "replace"
	Patch   Action = "patch"
	Delete  Action = "delete"
)

// Collection is one inferred (or configured) resource collection.
type Collection struct {
	// Name identifies the collection in the admin API, the config and the store's keys.
	Name string `json:"name"`
	// Path is the collection's path template, e.g. /projects/{pid}/hooks.
	Path string `json:"path"`
	// ItemPath is the item's path template, e.g. /projects/{pid}/hooks/{id}; "" for a
	// create-only collection.
	ItemPath string `json:"item_path,omitempty"`
	// IDParam is the item path's parameter naming the item.
	IDParam string `json:"id_param,omitempty"`
	// IDField is the resource's property holding the id; "" when the id is only in paths.
	IDField string `json:"id_field,omitempty"`
	// Envelope is the property of the get and create answers that holds the resource,
	// when they wrap it ({"reserved_ip": {...}, "links": {...}}, while the list answers
	// the bare resources); "" when they answer the resource itself.
	Envelope string `json:"envelope,omitempty"`
	// IDSchema is the schema of the id (property or parameter); nil when undeclared.
	IDSchema *openapi3.Schema `json:"-"`
	// Scope lists the collection path's parameters: each combination of their values is a
	// collection of its own.
	Scope []string `json:"scope,omitempty"`
	// Ops maps each action to its operation.
	Ops map[Action]*openapi.Operation `json:"-"`
	// Source is "inferred" or "config".
	Source string `json:"source"`
}

// Operations lists the collection's operations as "ACTION operationId", for banners.
func (c *Collection) Operations() []string {
	var out []string
	for _, a := range []Action{Create, List, Get, Replace, Patch, Delete} {
		if op := c.Ops[a]; op != nil {
			out = append(out, string(a)+"="+op.ID)
		}
	}
	return out
}

// ScopeKey is the scope key of a request: the values of the collection path's
// parameters (params, by name), escaped and joined, so "group:app" and "group/app" never
// collide. The stateful mock and the hook API's typed handler key their stored
// resources by it, so both see the same scopes.
func (c *Collection) ScopeKey(params map[string]string) string {
	if len(c.Scope) == 0 {
		return ""
	}
	parts := make([]string, len(c.Scope))
	for i, name := range c.Scope {
		parts[i] = url.PathEscape(params[name])
	}
	return strings.Join(parts, "/")
}

// Role is the part an operation plays in a collection.
type Role struct {
	Collection *Collection
	Action     Action
}

// Model is the set of collections of a document.
type Model struct {
	Collections []*Collection
	roles       map[*openapi.Operation]Role
}

// Role returns the part op plays, if any.
func (m *Model) Role(op *openapi.Operation) (Role, bool) {
	if m == nil {
		return Role{}, false
	}
	r, ok := m.roles[op]
	return r, ok
}

// Collection returns the collection of that name.
func (m *Model) Collection(name string) (*Collection, bool) {
	if m == nil {
		return nil, false
	}
	for _, c := range m.Collections {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// Override corrects the inference for one collection (config state.resources).
type Override struct {
	// Name of the collection; for a new one, its name; for an inferred one at Path, its
	// new name.
	Name string
	// Path is the collection path (required).
	Path string
	// ItemPath is the item path; "" keeps the inferred one (or none).
	ItemPath string
	// IDField is the resource's id property; "" keeps the inferred one.
	IDField string
	// Disabled removes the collection at Path from the model.
	Disabled bool
}

// Infer builds the model of doc, with the overrides applied. It fails only on an override
// that does not fit the document, naming it.
func Infer(doc *openapi.Document, overrides []Override) (*Model, error) {
	byPath := map[string]map[string]*openapi.Operation{}
	var paths []string
	for _, op := range doc.Operations {
		if byPath[op.Path] == nil {
			byPath[op.Path] = map[string]*openapi.Operation{}
			paths = append(paths, op.Path)
		}
		byPath[op.Path][op.Method] = op
	}
	sort.Strings(paths)
	var cols []*Collection
	for _, p := range paths {
		if endsInParam(p) {
			continue
		}
		c := build(doc, byPath, p, itemPathOf(byPath, p), "")
		if c != nil {
			cols = append(cols, c)
		}
	}
	var errs []error
	for i, o := range overrides {
		at := fmt.Sprintf("state.resources[%d]", i)
		if o.Name != "" {
			at += fmt.Sprintf(" (%s)", o.Name)
		}
		if _, ok := byPath[o.Path]; !ok {
			errs = append(errs, fmt.Errorf("%s: path %q is not a path of %s", at, o.Path, doc.Source))
			continue
		}
		idx := -1
		for j, c := range cols {
			if c.Path == o.Path {
				idx = j
			}
		}
		if o.Disabled {
			if idx >= 0 {
				cols = append(cols[:idx], cols[idx+1:]...)
			}
			continue
		}
		item := o.ItemPath
		if item == "" && idx >= 0 {
			item = cols[idx].ItemPath
		}
		if item != "" {
			if _, ok := byPath[item]; !ok {
				errs = append(errs, fmt.Errorf("%s: itemPath %q is not a path of %s", at, item, doc.Source))
				continue
			}
			if !strings.HasPrefix(item, o.Path+"/") || !endsInParam(item) {
				errs = append(errs, fmt.Errorf("%s: itemPath %q must be the collection path %q followed by /{param}", at, item, o.Path))
				continue
			}
		}
		c := build(doc, byPath, o.Path, item, o.IDField)
		if c == nil {
			errs = append(errs, fmt.Errorf("%s: %s has no create or list operation with a JSON object body", at, o.Path))
			continue
		}
		if o.IDField != "" && c.IDField != o.IDField {
			errs = append(errs, fmt.Errorf("%s: idField %q is not a property of the resource at %s", at, o.IDField, o.Path))
			continue
		}
		c.Source = "config"
		if o.Name != "" {
			c.Name = o.Name
		}
		if idx >= 0 {
			cols[idx] = c
		} else {
			cols = append(cols, c)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	nameCollections(cols)
	m := &Model{Collections: cols, roles: map[*openapi.Operation]Role{}}
	seen := map[string]bool{}
	for _, c := range cols {
		if seen[c.Name] {
			return nil, fmt.Errorf("state.resources: two collections are named %q; give one another name", c.Name)
		}
		seen[c.Name] = true
		for a, op := range c.Ops {
			m.roles[op] = Role{Collection: c, Action: a}
		}
	}
	return m, nil
}

// endsInParam reports whether the path's last segment holds a parameter: {id}, and
// also {Sid}.json (Twilio's item paths), which is an item, never a collection.
func endsInParam(p string) bool {
	segs := strings.Split(strings.TrimSuffix(p, "/"), "/")
	last := segs[len(segs)-1]
	return strings.Contains(last, "{") && strings.Contains(last, "}")
}

// itemPathOf finds P/{param} among the document's paths.
func itemPathOf(byPath map[string]map[string]*openapi.Operation, p string) string {
	var found []string
	for q := range byPath {
		rest, ok := strings.CutPrefix(q, strings.TrimSuffix(p, "/")+"/")
		if ok && !strings.Contains(rest, "/") && strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") {
			found = append(found, q)
		}
	}
	sort.Strings(found)
	if len(found) == 0 {
		return ""
	}
	return found[0]
}

// build assembles a collection from the collection path p and the item path item, or
// returns nil when the operations there do not form one.
func build(doc *openapi.Document, byPath map[string]map[string]*openapi.Operation, p, item, idField string) *Collection {
	coll := byPath[p]
	c := &Collection{Path: p, Ops: map[Action]*openapi.Operation{}, Source: "inferred", Scope: PathParams(p)}
	if op := coll[http.MethodPost]; op != nil && objectBody(op) {
		c.Ops[Create] = op
	}
	if op := coll[http.MethodGet]; op != nil {
		c.Ops[List] = op
	}
	if item != "" {
		ip := byPath[item]
		for method, a := range map[string]Action{http.MethodGet: Get, http.MethodPut: Replace, http.MethodPatch: Patch, http.MethodDelete: Delete} {
			if op := ip[method]; op != nil {
				c.Ops[a] = op
			}
		}
		if c.Ops[Get] != nil && !objectBody(c.Ops[Get]) {
			delete(c.Ops, Get)
		}
		if c.Ops[Get] != nil || c.Ops[Replace] != nil || c.Ops[Patch] != nil || c.Ops[Delete] != nil {
			c.ItemPath = item
			params := PathParams(item)
			c.IDParam = params[len(params)-1]
		}
	}
	if c.ItemPath == "" {
		// Without item operations, a list alone is no resource, and create-only needs a
		// create; drop item actions that found no item path.
		for _, a := range []Action{Get, Replace, Patch, Delete} {
			delete(c.Ops, a)
		}
		if c.Ops[Create] == nil {
			return nil
		}
	}
	if c.Ops[Create] == nil && c.Ops[Get] == nil {
		return nil
	}
	c.Envelope = envelopeOf(c)
	c.IDField, c.IDSchema = idFieldOf(doc, c, idField)
	return c
}

// envelopeOf finds the property of the get's (else the create's) answer that wraps the
// resource: the one object property whose schema is the list's item schema (the same
// schema, or one with the same properties) while the answer itself is not; without a
// list, the one required object property named like the id parameter or the collection
// (reserved_ip at /reserved_ips/{reserved_ip}), when the answer has no id of its own.
func envelopeOf(c *Collection) string {
	var body *openapi3.Schema
	for _, a := range []Action{Get, Create} {
		if op := c.Ops[a]; op != nil {
			if body = successSchema(op); body != nil {
				break
			}
		}
	}
	if body == nil {
		return ""
	}
	list := listItemSchema(c.Ops[List])
	if list != nil && sameShape(body, list) {
		return ""
	}
	segs := strings.Split(strings.TrimSuffix(c.Path, "/"), "/")
	last := segs[len(segs)-1]
	var found []string
	for _, name := range slices.Sorted(maps.Keys(body.Properties)) {
		p := body.Properties[name].Value
		if p == nil || !openapi.ObjectLike(p) {
			continue
		}
		switch {
		case list != nil:
			if sameShape(p, list) {
				found = append(found, name)
			}
		case (name == c.IDParam || name+"s" == last || name+"es" == last) && slices.Contains(body.Required, name):
			if id := body.Properties["id"]; id == nil || id.Value == nil || !idCapable(id.Value) {
				found = append(found, name)
			}
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// listItemSchema is the schema of the items a list answers: the items of the array that
// holds its resources (ListArray).
func listItemSchema(op *openapi.Operation) *openapi3.Schema {
	if op == nil || op.Operation.Responses == nil {
		return nil
	}
	_, arr, ok := listArrayOf(op, nil)
	if !ok || arr.Items == nil {
		return nil
	}
	return arr.Items.Value
}

// sameShape reports whether two object schemas are the same one, or declare the same
// properties.
func sameShape(a, b *openapi3.Schema) bool {
	if a == b {
		return true
	}
	if len(a.Properties) == 0 || len(a.Properties) != len(b.Properties) {
		return false
	}
	for name := range a.Properties {
		if b.Properties[name] == nil {
			return false
		}
	}
	return true
}

// Unwrap returns the resource an answer of the get or create carries: body itself, or
// its Envelope property.
func (c *Collection) Unwrap(body any) any {
	if c.Envelope == "" {
		return body
	}
	if m, ok := body.(map[string]any); ok {
		return m[c.Envelope]
	}
	return nil
}

// PathParams lists the parameter names of a path template in order.
func PathParams(p string) []string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

// ItemSchema returns the resource's schema: the get's 2xx JSON body, else the create's
// (their Envelope property's schema when they wrap the resource).
func (c *Collection) ItemSchema() *openapi3.Schema {
	for _, a := range []Action{Get, Create} {
		if op := c.Ops[a]; op != nil {
			if s := successSchema(op); s != nil {
				if c.Envelope == "" {
					return s
				}
				if p := s.Properties[c.Envelope]; p != nil {
					return p.Value
				}
			}
		}
	}
	return nil
}

// successSchema is the JSON object schema of the operation's lowest 2xx response.
func successSchema(op *openapi.Operation) *openapi3.Schema {
	if op.Operation.Responses == nil {
		return nil
	}
	for status := 200; status < 300; status++ {
		r := op.Operation.Responses.Status(status)
		if r == nil || r.Value == nil {
			continue
		}
		for mt, media := range r.Value.Content {
			if openapi.IsJSON(mt) && media != nil && media.Schema != nil && media.Schema.Value != nil && media.Schema.Value.Type.Is("object") {
				return media.Schema.Value
			}
		}
		return nil
	}
	return nil
}

// SuccessResponse returns the operation's lowest declared 2xx response and its status.
func SuccessResponse(op *openapi.Operation) (*openapi3.Response, int) {
	if op.Operation.Responses == nil {
		return nil, 0
	}
	for status := 200; status < 300; status++ {
		if r := op.Operation.Responses.Status(status); r != nil && r.Value != nil {
			return r.Value, status
		}
	}
	return nil, 0
}

func objectBody(op *openapi.Operation) bool { return successSchema(op) != nil }

// idFieldOf finds the resource's id property by the rules of the package doc.
func idFieldOf(doc *openapi.Document, c *Collection, want string) (string, *openapi3.Schema) {
	s := c.ItemSchema()
	var param *openapi3.Schema
	if op := firstItemOp(c); op != nil {
		for _, p := range op.Parameters() {
			if p.Value != nil && p.Value.In == "path" && p.Value.Name == c.IDParam && p.Value.Schema != nil {
				param = p.Value.Schema.Value
			}
		}
	}
	if s == nil {
		return "", param
	}
	prop := func(name string) (string, *openapi3.Schema) {
		if name == "" {
			return "", nil
		}
		if p := s.Properties[name]; p != nil && p.Value != nil {
			return name, p.Value
		}
		return "", nil
	}
	if want != "" {
		return prop(want)
	}
	// An inferred id must be able to hold one: DigitalOcean answers
	// {"reserved_ip": {...}} at /reserved_ips/{reserved_ip}, an envelope named like the
	// id parameter, and {"valid": true} where "valid" ends in "id".
	prop = func(name string) (string, *openapi3.Schema) {
		if p := s.Properties[name]; name != "" && p != nil && p.Value != nil && idCapable(p.Value) {
			return name, p.Value
		}
		return "", nil
	}
	if create := c.Ops[Create]; create != nil {
		if name := linkedField(doc, create, c); name != "" {
			if n, ps := prop(name); n != "" {
				return n, ps
			}
		}
	}
	if n, ps := prop("id"); n != "" {
		return n, ps
	}
	if n, ps := prop(c.IDParam); n != "" {
		return n, ps
	}
	// An "<x>_id" property names this resource only when x is the resource's own name
	// (task_id in tasks); project_id in reserved_ips is a reference to another one.
	own := map[string]bool{stem(c.IDParam): true}
	segs := strings.Split(strings.TrimSuffix(c.Path, "/"), "/")
	if last := stem(segs[len(segs)-1]); last != "" {
		own[last] = true
		own[strings.TrimSuffix(last, "s")] = true
		own[strings.TrimSuffix(last, "es")] = true
	}
	var cands, sameFormat []string
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[name].Value
		if name == "id" || !idCapable(p) {
			continue
		}
		if idSuffixed(name) && own[stem(name[:len(name)-2])] {
			cands = append(cands, name)
		}
		if param != nil && param.Format != "" && p.Format == param.Format {
			sameFormat = append(sameFormat, name)
		}
	}
	if len(cands) == 1 {
		return prop(cands[0])
	}
	// The only property of the id parameter's format (an ipv4 "ip" at
	// /reserved_ips/{reserved_ip}, declared format: ipv4).
	if len(cands) == 0 && len(sameFormat) == 1 {
		return prop(sameFormat[0])
	}
	return "", param
}

// stem lower-cases a name and keeps only its letters and digits: task_id, taskId and
// task-id all have the stem of "task" + "id".
func stem(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// idSuffixed reports whether a property name ends in an "id" word: user_id, user-id,
// userId, userID, uuid, guid; not valid, paid or android, which merely end in "id".
func idSuffixed(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "-id") || strings.HasSuffix(name, "Id") ||
		strings.HasSuffix(name, "ID") || strings.HasSuffix(lower, "uuid") || strings.HasSuffix(lower, "guid")
}

// idCapable reports whether a schema can hold an id: a string or a number (or a schema
// that says nothing about its type), not an object, an array or a boolean.
func idCapable(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if s.Type == nil || len(*s.Type) == 0 {
		return len(s.Properties) == 0 && s.Items == nil
	}
	return s.Type.Is("string") || s.Type.Is("integer") || s.Type.Is("number") || s.Type.Includes("string") || s.Type.Includes("integer")
}

func firstItemOp(c *Collection) *openapi.Operation {
	for _, a := range []Action{Get, Replace, Patch, Delete} {
		if op := c.Ops[a]; op != nil {
			return op
		}
	}
	return nil
}

// linkedField returns the response body property a link of the create response passes to
// the id parameter of one of the collection's item operations.
func linkedField(doc *openapi.Document, create *openapi.Operation, c *Collection) string {
	r, _ := SuccessResponse(create)
	if r == nil {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(r.Links)) {
		l := r.Links[name]
		if l == nil || l.Value == nil {
			continue
		}
		target, ok := doc.Operation(l.Value.OperationID)
		if !ok || target.Path != c.ItemPath {
			continue
		}
		expr, ok := l.Value.Parameters[c.IDParam].(string)
		if !ok {
			expr, ok = l.Value.Parameters["path."+c.IDParam].(string)
		}
		if field, found := strings.CutPrefix(expr, "$response.body#/"); ok && found && !strings.Contains(field, "/") {
			return field
		}
	}
	return ""
}

// Links are the links of the operation's success response that lead to another operation
// of the document, with their parameter expressions, in name order.
type Link struct {
	Name   string
	Target *openapi.Operation
	// Params maps a parameter name (optionally "path."/"query." qualified) to a runtime
	// expression such as $response.body#/id or a constant.
	Params map[string]any
}

// LinksOf returns the links of op's lowest 2xx response whose target is an operation of
// doc.
func LinksOf(doc *openapi.Document, op *openapi.Operation) []Link {
	r, _ := SuccessResponse(op)
	if r == nil {
		return nil
	}
	var out []Link
	for _, name := range slices.Sorted(maps.Keys(r.Links)) {
		l := r.Links[name]
		if l == nil || l.Value == nil {
			continue
		}
		target, ok := doc.Operation(l.Value.OperationID)
		if !ok {
			continue
		}
		out = append(out, Link{Name: name, Target: target, Params: l.Value.Parameters})
	}
	return out
}

// nameCollections gives inferred collections without a name the path's last literal
// segment, prefixed by earlier literal segments until names are unique.
func nameCollections(cols []*Collection) {
	depth := map[*Collection]int{}
	for _, c := range cols {
		depth[c] = 1
	}
	for range 8 {
		names := map[string][]*Collection{}
		for _, c := range cols {
			if c.Source == "config" && c.Name != "" {
				names[c.Name] = append(names[c.Name], c)
				continue
			}
			c.Name = literalName(c.Path, depth[c])
			names[c.Name] = append(names[c.Name], c)
		}
		clash := false
		for _, cs := range names {
			if len(cs) > 1 {
				for _, c := range cs {
					if c.Source != "config" {
						depth[c]++
						clash = true
					}
				}
			}
		}
		if !clash {
			return
		}
	}
	// Paths with the same literal segments (OpenAI's /threads/runs and
	// /threads/{thread_id}/runs) stay alike at any depth: the later ones, in path
	// order, are numbered.
	seen := map[string]int{}
	for _, c := range cols {
		if c.Source == "config" && c.Name != "" {
			seen[c.Name]++
		}
	}
	for _, c := range cols {
		if c.Source == "config" && c.Name != "" {
			continue
		}
		base := c.Name
		for n := seen[base] + 1; seen[c.Name] > 0; n++ {
			c.Name = fmt.Sprintf("%s-%d", base, n)
		}
		seen[c.Name]++
		if c.Name != base {
			seen[base]++
		}
	}
}

func literalName(p string, n int) string {
	var lits []string
	for _, seg := range strings.Split(p, "/") {
		if seg != "" && !strings.HasPrefix(seg, "{") {
			lits = append(lits, seg)
		}
	}
	if len(lits) == 0 {
		return "root"
	}
	if n > len(lits) {
		n = len(lits)
	}
	return strings.Join(lits[len(lits)-n:], "-")
}
