package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	statestore "github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/mockserver/state/memory"
	redisstore "github.com/hookkit/hookkit/mockserver/state/redis"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// stateful is the stateful mock of one loaded document and config: the resource model and
// what each collection needs to answer, over the server's long-lived store.
type stateful struct {
	model *resource.Model
	store statestore.Store
	colls map[*resource.Collection]*collPlan
	// warnings are what the stateful mock cannot make valid, found at load (logged).
	warnings []openapi.Warning
}

// collPlan is what one collection needs per request, worked out at load.
type collPlan struct {
	c    *resource.Collection
	item *openapi3.Schema
	// itemProps and itemRequired are the resource's properties and required names, those
	// of its allOf branches included (openapi.ObjectProperties).
	itemProps    map[string]*openapi3.Schema
	itemRequired []string
	// input is the request body schema of each writing action, by action; inProps its
	// properties, those of its allOf branches included (DigitalOcean's create requests:
	// allOf: [$ref: replica, {required: [name, size]}]) and those of each oneOf or anyOf
	// branch (openapi.BranchProperties).
	input   map[resource.Action]*openapi3.Schema
	inProps map[resource.Action]map[string]*openapi3.Schema
	// fields is what a create writes for each field, in name order (planFields), starting
	// from the create response's example, else synthesized data; reqIndex numbers the
	// fields taken from the request.
	fields   []fieldRule
	reqIndex map[string]int
	// idJSON is set when ids are JSON numbers rather than strings.
	idJSON bool
	// idStyle says how a sequence number becomes an id.
	idFormat func(seq uint64) (string, any)
	// list is how list answers are built; nil without a list operation.
	list *listPlan
	// doc validates what is stored (checkItem). check says a created resource must be
	// validated before it is stored: some field is merged by schema, comes from a request
	// property whose schema is not the resource's, or the resource's schema constrains the
	// object as a whole. An invalid one is replaced by the template (fallbackItem).
	doc   *openapi.Document
	check bool
	// examples are the document's examples that seed the collection when no seed file
	// is given (exampleSeedsOf).
	examples []config.SeedEntry
	// wraps holds, when the answers wrap the resource (resource.Collection.Envelope),
	// each action's default answer, in which the resource takes the envelope's place.
	wraps map[resource.Action][]byte
	// separate is set when the create answers something else than the resource
	// (resource.Collection.SeparateCreate): the resource is built from the get's
	// default answer, and the create answered with its own (created), its id property,
	// when it declares the resource's, set to the new id (createdID).
	separate  bool
	created   []byte
	createdID bool
}

// createAnswer is the create's answer for a resource stored as item under the new id:
// the resource itself (wrapped as declared), or, when the create answers something else,
// its own default answer with the new id.
func (cp *collPlan) createAnswer(item, id []byte) []byte {
	if !cp.separate {
		return cp.wrapped(resource.Create, item)
	}
	if !cp.createdID {
		return cp.created
	}
	m, err := openapi.DecodeJSONObject(cp.created)
	if err != nil {
		return cp.created
	}
	m[cp.c.IDField] = json.RawMessage(id)
	out, err := json.Marshal(m)
	if err != nil {
		return cp.created
	}
	return out
}

// wrapped is the answer of action a for a stored resource: the resource itself, or the
// action's default answer with the resource in its envelope property.
func (cp *collPlan) wrapped(a resource.Action, item []byte) []byte {
	env := cp.c.Envelope
	if env == "" {
		return item
	}
	q, _ := json.Marshal(env)
	out := make([]byte, 0, len(item)+len(cp.wraps[a])+len(q)+2)
	out = append(out, '{')
	openapi.TopFields(cp.wraps[a], func(key, v []byte) {
		if string(key) != env {
			k, _ := json.Marshal(string(key))
			out = appendField(out, append(k, ':'), v)
		}
	})
	out = appendField(out, append(q, ':'), item)
	return append(out, '}')
}

// stateNamespace names the document in Redis keys: a slug of its title and version, so
// replicas serving the same document share keys and other documents never collide.
func stateNamespace(doc *openapi.Document) string {
	title, version := "document", "0"
	if doc.T.Info != nil {
		title, version = doc.T.Info.Title, doc.T.Info.Version
	}
	return slugify(title) + "@" + slugify(version)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9.]+`)

func slugify(s string) string {
	s = strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "x"
	}
	return s
}

// openStore opens the store state asks for: Redis when a URL is given, else memory.
func openStore(doc *openapi.Document, cfg *config.Config, redisURL string) (statestore.Store, string, error) {
	if redisURL == "" {
		redisURL = cfg.State.Redis
	}
	if redisURL == "" {
		s := memory.New(cfg.State.MaxItems, cfg.State.MaxBytes)
		return s, s.String(), nil
	}
	if err := config.CheckRedisURL(redisURL); err != nil {
		return nil, "", fmt.Errorf("state redis: %w", err)
	}
	s, err := redisstore.New(context.Background(), redisstore.Options{URL: redisURL, Prefix: cfg.State.Prefix, Namespace: stateNamespace(doc), TTL: cfg.State.TTL})
	if err != nil {
		return nil, "", err
	}
	return s, s.String(), nil
}

// buildStateful infers the model and prepares each collection.
func buildStateful(doc *openapi.Document, cfg *config.Config, store statestore.Store, plans map[*openapi.Operation]*lazyPlan) (*stateful, error) {
	model, err := resource.Infer(doc, cfg.Overrides())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.Source, err)
	}
	sf := &stateful{model: model, store: store, colls: map[*resource.Collection]*collPlan{}}
	// Each collection is prepared on its own (its templates are its operations' answers,
	// synthesized and validated, which is most of the start of a large stateful mock), so
	// they are prepared side by side, one goroutine per CPU, and gathered in order.
	type prepared struct {
		cp    *collPlan
		warns []openapi.Warning
	}
	out := make([]prepared, len(model.Collections))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(model.Collections)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cp, warns := prepareCollection(doc, model.Collections[i], plans)
				out[i] = prepared{cp, warns}
			}
		}()
	}
	for i := range model.Collections {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, c := range model.Collections {
		sf.colls[c] = out[i].cp
		sf.warnings = append(sf.warnings, out[i].warns...)
	}
	return sf, nil
}

// prepareCollection builds a collection's plan: what a create keeps of a request, the
// templates of its answers, its ids and the examples that seed it.
func prepareCollection(doc *openapi.Document, c *resource.Collection, plans map[*openapi.Operation]*lazyPlan) (*collPlan, []openapi.Warning) {
	var warns []openapi.Warning
	cp := &collPlan{c: c, item: c.ItemSchema(), input: map[resource.Action]*openapi3.Schema{}, inProps: map[resource.Action]map[string]*openapi3.Schema{}, doc: doc}
	cp.itemProps, cp.itemRequired = openapi.ObjectProperties(cp.item)
	for _, a := range []resource.Action{resource.Create, resource.Replace, resource.Patch} {
		if op := c.Ops[a]; op != nil {
			cp.input[a] = resource.RequestSchema(op)
			cp.inProps[a] = openapi.BranchProperties(cp.input[a])
		}
	}
	base := map[string]json.RawMessage{}
	template := c.Ops[resource.Create]
	if cp.separate = c.SeparateCreate(); cp.separate {
		_, cp.created = jsonBody(plans[template].get().successResp)
		made, _ := openapi.ObjectProperties(resource.SuccessSchema(template))
		cp.createdID = c.IDField != "" && made[c.IDField] != nil && cp.created != nil
		template = c.Ops[resource.Get]
	}
	if op := template; op != nil {
		if _, body := jsonBody(plans[op].get().successResp); body != nil {
			_ = json.Unmarshal(body, &base)
			if c.Envelope != "" {
				inner := base[c.Envelope]
				base = map[string]json.RawMessage{}
				_ = json.Unmarshal(inner, &base)
			}
		}
	}
	if c.Envelope != "" {
		// The answers wrap the stored resource: each in its operation's default body.
		cp.wraps = map[resource.Action][]byte{}
		for a, op := range c.Ops {
			if _, body := jsonBody(plans[op].get().successResp); body != nil {
				cp.wraps[a] = body
			}
		}
	}
	cp.idJSON = cp.c.IDSchema != nil && (cp.c.IDSchema.Type.Is("integer") || cp.c.IDSchema.Type.Is("number"))
	cp.planFields(base)
	var err error
	var propSchema *openapi3.Schema
	if c.IDField != "" {
		propSchema = c.IDSchema
	}
	if cp.idFormat, err = idFormatter(doc, propSchema, idParamSchema(c)); err != nil {
		warns = append(warns, openapi.Warning{Kind: Unsynthesizable, File: doc.Source, Message: fmt.Sprintf("stateful collection %s: %v", c.Name, err)})
	}
	if cp.check {
		if err := cp.checkItem(cp.fallbackItem(cp.sampleID())); err != nil {
			warns = append(warns, openapi.Warning{Kind: Unsynthesizable, File: doc.Source, Message: fmt.Sprintf("stateful collection %s: the create response's template breaks the resource's schema (%v): a create whose merge breaks it too is answered with it", c.Name, err)})
		}
	}
	if op := c.Ops[resource.List]; op != nil {
		cp.list = buildListPlan(op, plans[op].get(), cp.item)
	}
	examples, more := cp.exampleSeedsOf(doc)
	cp.examples = examples
	warns = append(warns, more...)
	return cp, warns
}

// jsonBody returns the JSON media type of a response and its default body.
func jsonBody(rp *responsePlan) (string, []byte) {
	if rp == nil {
		return "", nil
	}
	for _, mt := range rp.mediaTypes {
		if openapi.IsJSON(baseMediaType(mt)) {
			return mt, rp.bodies[mt].def
		}
	}
	return "", nil
}

// fieldRule says what a create does with one top-level field of the resource.
type fieldRule struct {
	name string
	key  []byte // the quoted name and a colon, ready to write
	op   int
	base []byte // the template's value (nil when the template lacks the field)
	def  []byte // the request schema's default, for fromRequest
	// keepIfMiss: the resource requires the field, so a value the request leaves out
	// falls back to the template's.
	keepIfMiss bool
	req        int // index among the request fields, for fromRequest
	// merge: the field's value is merged with the template's by its schema (needsMerge)
	// rather than copied; baseVal is the template's value decoded.
	merge   bool
	schema  *openapi3.Schema
	baseVal any
	// prop is the resource's schema of the field (nil when it declares none).
	prop *openapi3.Schema
}

// What a create does with a field.
const (
	keepBase      = iota // the template's value (readOnly and unknown fields)
	dropWriteOnly        // never stored nor returned
	stampNow             // readOnly date-time: the creation time
	fromRequest          // the request's value, else the default, else the template's when required
	newID                // the id property
)

// planFields works out, once per load, what a create writes for each field, in name
// order, so a request only copies bytes.
func (cp *collPlan) planFields(base map[string]json.RawMessage) {
	names := map[string]bool{}
	for k := range base {
		names[k] = true
	}
	for k := range cp.itemProps {
		names[k] = true
	}
	if cp.c.IDField != "" {
		names[cp.c.IDField] = true
	}
	in := cp.inProps[resource.Create]
	cp.reqIndex = map[string]int{}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		q, _ := json.Marshal(name)
		p := cp.itemProps[name]
		f := fieldRule{name: name, key: append(q, ':'), op: keepBase, base: base[name], prop: p}
		f.keepIfMiss = slices.Contains(cp.itemRequired, name)
		switch {
		case name == cp.c.IDField:
			f.op = newID
		case p != nil && p.WriteOnly:
			f.op = dropWriteOnly
		case p != nil && p.ReadOnly && p.Type.Is("string") && p.Format == "date-time":
			f.op = stampNow
		case p != nil && !p.ReadOnly && declares(in, name):
			f.op = fromRequest
			f.req = len(cp.reqIndex)
			cp.reqIndex[name] = f.req
			if d := in[name].Default; d != nil {
				f.def, _ = json.Marshal(d)
			}
			if needsMerge(p) {
				f.merge, f.schema = true, p
				if f.base != nil {
					f.baseVal, _ = decodeAny(f.base)
				}
			}
			cp.check = cp.check || f.merge || in[name] != p
		}
		if f.op == keepBase && f.base != nil && p != nil && needsMerge(p) {
			// A template value holding writeOnly fields would be echoed.
			if v, err := decodeAny(f.base); err == nil {
				f.base, _ = json.Marshal(withoutWriteOnly(v, p, 0))
			}
		}
		cp.fields = append(cp.fields, f)
	}
	// A create body with oneOf or anyOf branches may send a property as another branch
	// declares it (Gadget's kind where the resource is a Widget): the schema the fields
	// were matched with above is only the first branch's.
	if s := cp.input[resource.Create]; s != nil && (len(s.OneOf) > 0 || len(s.AnyOf) > 0) {
		cp.check = true
	}
	cp.check = cp.check || composite(cp.item)
}

// newItem builds a created resource: the create response's default body, with the
// request's fields where the resource shares them. A field the client may set but did not
// send takes its request default, else keeps the template's value when the resource
// requires it, else is left out. readOnly date-times are stamped with the time of
// creation, other readOnly fields keep the template's value, writeOnly fields are never
// kept, and the id field gets the new id. The request body (validated, so well-formed) is
// scanned, not decoded: its fields are copied byte for byte, which keeps a create close
// to the cost of a stateless answer.
//
// With strict set (a second pass, when the first broke the document), a request value
// that is not valid for the resource's schema of its field is treated as not sent: the
// request's property schema may differ from the resource's (DigitalOcean's metrics, a list
// of names in the request and of objects in the resource), and one such field no longer
// costs the client every other value it sent.
func (cp *collPlan) newItem(body []byte, id []byte, strict bool) []byte {
	var small [16][]byte
	req := small[:0]
	if len(cp.reqIndex) > len(small) {
		req = make([][]byte, 0, len(cp.reqIndex))
	}
	req = req[:len(cp.reqIndex)]
	openapi.TopFields(body, func(key []byte, v []byte) {
		if i, ok := cp.reqIndex[string(key)]; ok {
			req[i] = v
		}
	})
	var now []byte
	out := make([]byte, 0, len(body)+256)
	out = append(out, '{')
	for _, f := range cp.fields {
		var v []byte
		switch f.op {
		case keepBase:
			v = f.base
		case newID:
			v = id
		case stampNow:
			if f.base != nil || f.keepIfMiss {
				if now == nil {
					now = time.Now().UTC().AppendFormat([]byte{'"'}, time.RFC3339)
					now = append(now, '"')
				}
				v = now
			}
		case fromRequest:
			r := req[f.req]
			if r != nil && string(r) != "null" && f.merge {
				if rv, err := decodeAny(r); err == nil {
					if b, err := json.Marshal(mergeValue(f.baseVal, rv, f.schema, 0)); err == nil {
						r = b
					}
				}
			}
			if strict && r != nil && !cp.validField(f.prop, r) {
				r = nil
			}
			switch {
			case r != nil && string(r) != "null":
				v = r
			case f.def != nil && (!strict || cp.validField(f.prop, f.def)):
				v = f.def
			case f.keepIfMiss:
				v = f.base
			}
		}
		out = appendField(out, f.key, v)
	}
	return append(out, '}')
}

// appendField appends a key (quoted, with its colon) and a value to an object being
// written, with the comma before it but the first; a nil value is left out.
func appendField(out, key, v []byte) []byte {
	if v == nil {
		return out
	}
	if len(out) > 1 {
		out = append(out, ',')
	}
	return append(append(out, key...), v...)
}

// validField says whether v (JSON) is a valid value of the resource's field schema p, as
// the mock answers it; a field the resource does not describe takes any value.
func (cp *collPlan) validField(p *openapi3.Schema, v []byte) bool {
	if p == nil || cp.doc == nil {
		return true
	}
	x, err := decodeAny(v)
	return err == nil && cp.doc.ValidateValueAs(p, x, openapi.Response) == nil
}

// fallbackItem is the created resource when the merge with a request would break the
// document: the create response's template with the new id (validated at load).
func (cp *collPlan) fallbackItem(id []byte) []byte {
	out := []byte{'{'}
	for _, f := range cp.fields {
		v := f.base
		if f.op == newID {
			v = id
		} else if f.op == dropWriteOnly {
			v = nil
		}
		out = appendField(out, f.key, v)
	}
	return append(out, '}')
}

// idBytes is an id as JSON: a number, or a quoted string (ids hold no characters to
// escape).
func (cp *collPlan) idBytes(key string) []byte {
	if cp.idJSON {
		return []byte(key)
	}
	return strconv.AppendQuote(nil, key)
}

func (cp *collPlan) sampleID() []byte {
	key, _ := cp.idFormat(1)
	return cp.idBytes(key)
}

// create stores a new resource built from the request. An id taken by a seeded resource
// is skipped for the next one. invalid is set when the merged resource would have broken
// the document, and instead says what was stored in its place.
func (cp *collPlan) create(ctx context.Context, store statestore.Store, scope string, seq uint64, body []byte) (key string, b []byte, invalid error, instead string, err error) {
	for attempt := 0; ; attempt++ {
		key, _ = cp.idFormat(seq)
		id := cp.idBytes(key)
		b = cp.newItem(body, id, false)
		if cp.check {
			if invalid = cp.checkItem(b); invalid != nil {
				// The fields whose values break the resource's schema take the
				// template's; only when the rest still breaks it is the whole template
				// stored.
				instead = "stored and answered it with the template's values for the fields whose sent values break the resource's schema"
				if b = cp.newItem(body, id, true); cp.checkItem(b) != nil {
					b = cp.fallbackItem(id)
					instead = "stored and answered the create response's template with the new id instead"
				}
			}
		}
		_, _, err = store.Create(ctx, cp.c.Name, scope, key, b, "")
		if !errors.Is(err, statestore.ErrExists) || attempt == 100 {
			return key, b, invalid, instead, err
		}
		if seq, err = store.NextID(ctx, cp.c.Name); err != nil {
			return "", nil, nil, "", err
		}
	}
}

// updated applies a PUT (replace) or PATCH (merge) to a stored resource: fields the
// request may set take the request's values; on replace, settable fields the request left
// out are dropped unless the resource requires them; on patch, null removes a field the
// resource does not require. readOnly fields and the id never change.
//
// With strict set (a second pass, when the first broke the document), a sent value that is
// not valid for the resource's schema of its field leaves the field as it was.
func (cp *collPlan) updated(old, req map[string]any, replace, strict bool, in map[string]*openapi3.Schema) map[string]any {
	out := make(map[string]any, len(old))
	for k, v := range old {
		out[k] = v
	}
	if cp.item == nil {
		for k, v := range req {
			out[k] = v
		}
		return out
	}
	for name, p := range cp.itemProps {
		if p == nil || p.ReadOnly || name == cp.c.IDField {
			continue
		}
		if p.WriteOnly {
			delete(out, name)
			continue
		}
		v, sent := req[name]
		required := slices.Contains(cp.itemRequired, name)
		switch {
		case !declares(in, name):
		case sent && v == nil && !p.Nullable && !required:
			delete(out, name)
		case sent && v != nil:
			if needsMerge(p) {
				v = mergeValue(old[name], v, p, 0)
			}
			if b, err := json.Marshal(v); !strict || err == nil && cp.validField(p, b) {
				out[name] = v
			}
		case sent:
			out[name] = v
		case replace && !required:
			delete(out, name)
		}
	}
	return out
}

// declares says whether a request whose properties are props may set the field name.
func declares(props map[string]*openapi3.Schema, name string) bool {
	return props[name] != nil && !props[name].ReadOnly
}

// errItemTooLarge refuses an update that would make a stored resource larger than a
// request body may be (--max-body) and than it was: each PATCH may add fields, and without
// this bound repeated ones would grow one resource without end.
type errItemTooLarge struct {
	size  int
	limit int64
}

func (e *errItemTooLarge) Error() string {
	return fmt.Sprintf("the updated resource would take %d bytes, more than the limit of %d bytes (--max-body)", e.size, e.limit)
}

// errState wraps a store failure, so it is answered as such (503) and not as the client's
// fault.
type errState struct{ err error }

func (e *errState) Error() string { return "state store: " + e.err.Error() }
func (e *errState) Unwrap() error { return e.err }

// serveState answers an operation of a collection from the store.
func (s *Server) serveState(st *state, w http.ResponseWriter, r *http.Request, m *openapi.Match, plan *opPlan, role resource.Role, body []byte, ex *exchange) {
	ex.source = journal.SourceState
	cp := st.stateful.colls[role.Collection]
	c := cp.c
	store := st.stateful.store
	ctx := r.Context()
	scope := c.ScopeKey(m.PathParams)
	id := m.PathParams[c.IDParam]
	// The body passed validation: a JSON object of bounded size and depth. A create only
	// copies its top-level fields; an update merges decoded values.
	hasBody := len(body) > 0 && cp.input[role.Action] != nil
	if hasBody && baseMediaType(r.Header.Get("Content-Type")) == "application/x-www-form-urlencoded" {
		// A form body (validated) is stored as the JSON object it stands for.
		if j, err := openapi.FormJSON(body, cp.input[role.Action]); err == nil {
			body = j
		} else {
			hasBody = false
		}
	}
	var req map[string]any
	if hasBody && role.Action != resource.Create && json.Unmarshal(body, &req) != nil {
		req = nil
	}
	fail := func(err error) { s.stateFailed(st, w, plan, ex, err) }
	// answer sends a stored resource, the not-found answer, or the store's failure.
	answer := func(v []byte, ok bool, err error) {
		switch {
		case err != nil:
			fail(err)
		case !ok:
			st.stateNotFound(w, r, plan, ex, c, id)
		default:
			st.writeStateBody(w, plan, plan.success, cp.wrapped(role.Action, v), "")
		}
	}
	switch role.Action {
	case resource.Create:
		seq, err := store.NextID(ctx, c.Name)
		if err != nil {
			fail(err)
			return
		}
		if !hasBody {
			body = nil
		}
		key, b, invalid, instead, err := cp.create(ctx, store, scope, seq, body)
		if err != nil {
			fail(err)
			return
		}
		if invalid != nil {
			stateFallback(ex, c.Name, instead, invalid)
		}
		loc := ""
		if c.ItemPath != "" {
			loc = strings.TrimSuffix(r.URL.EscapedPath(), "/") + "/" + url.PathEscape(key)
		}
		if loc != "" && (c.IDField == "" || cp.separate) && (plan.successResp == nil || plan.successResp.resp.Headers["Location"] == nil) {
			// The resource has no id property, or the create answers something else, so
			// the body cannot say which id it got: Location does (an undeclared header
			// is allowed, and 201 is its place).
			w.Header().Set("Location", loc)
		}
		st.writeStateBody(w, plan, plan.success, cp.createAnswer(b, cp.idBytes(key)), loc)
	case resource.Get:
		answer(store.Get(ctx, c.Name, scope, id))
	case resource.List:
		s.serveList(st, w, r, plan, cp, scope, ex)
	case resource.Replace, resource.Patch:
		in := cp.inProps[role.Action]
		var invalid error
		var instead string
		v, ok, err := store.Update(ctx, c.Name, scope, id, func(old []byte) ([]byte, error) {
			invalid = nil
			o, err := openapi.DecodeJSONObject(old)
			if err != nil {
				return nil, err
			}
			replace := role.Action == resource.Replace
			nv, err := json.Marshal(cp.updated(o, req, replace, false, in))
			if err == nil && int64(len(nv)) > max(s.maxBody, int64(len(old))) {
				return nil, &errItemTooLarge{size: len(nv), limit: s.maxBody}
			}
			if err == nil {
				if invalid = cp.checkItem(nv); invalid != nil {
					// The fields whose sent values break the resource's schema stay
					// as they were; only when the rest still breaks it is nothing
					// changed.
					instead = "kept the stored values of the fields whose sent values break the resource's schema"
					if nv, err = json.Marshal(cp.updated(o, req, replace, true, in)); err == nil && cp.checkItem(nv) != nil {
						instead = "kept and answered the stored resource unchanged instead"
						return old, nil
					}
				}
			}
			return nv, err
		})
		if invalid != nil && err == nil && ok {
			stateFallback(ex, c.Name, instead, invalid)
		}
		var big *errItemTooLarge
		if errors.As(err, &big) {
			ex.problems = append(ex.problems, openapi.Problem{Kind: openapi.BodyTooLarge, In: "body", Message: big.Error()})
			st.writeError(w, plan.errors, ex.problems)
			return
		}
		answer(v, ok, err)
	case resource.Delete:
		ok, err := store.Delete(ctx, c.Name, scope, id)
		switch {
		case err != nil:
			fail(err)
		case !ok && plan.declaresNotFound():
			st.stateNotFound(w, r, plan, ex, c, id)
		// !ok without a declared not-found: nothing the operation declares stands for
		// "not found" (no 404, 4XX or default), and any other error would tell the client
		// something false; a delete is idempotent, so the resource being absent already
		// is answered as a success.
		case plan.successResp == nil:
			w.WriteHeader(plan.success)
		default:
			_, ex.respSafe = st.writeResponse(w, r, plan.success, plan.successResp, "", "", false)
			ex.source = journal.SourceState
		}
	}
}

// negotiatesJSON reports whether the operation's success answer for r would be JSON.
// Stored resources are JSON, so a request whose Accept picks another declared media type
// (XML, an event stream) is answered as the stateless mock answers it, in that type.
func (p *opPlan) negotiatesJSON(r *http.Request) bool {
	rp := p.successResp
	if rp == nil || len(rp.mediaTypes) < 2 {
		return true
	}
	return openapi.IsJSON(baseMediaType(negotiate(r.Header.Get("Accept"), rp.mediaTypes)))
}

// writeStateBody sends a stored resource (or list) as the operation's success response,
// with the response's required headers and Location when given and declared.
func (st *state) writeStateBody(w http.ResponseWriter, plan *opPlan, status int, body []byte, location string) {
	rp := plan.successResp
	h := w.Header()
	if rp != nil {
		for _, hd := range rp.headers {
			h.Set(hd.name, hd.value)
		}
		if location != "" {
			for name := range rp.resp.Headers {
				if strings.EqualFold(name, "Location") {
					h.Set("Location", location)
				}
			}
		}
	}
	mt, _ := jsonBody(rp)
	if mt == "" {
		w.WriteHeader(status)
		return
	}
	h.Set("Content-Type", rp.bodies[mt].contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// declaresNotFound says whether the operation declares a response that stands for 404.
func (p *opPlan) declaresNotFound() bool {
	_, ok := p.statusFor(http.StatusNotFound)
	return ok
}

// stateNotFound answers a request for an id that is not stored: the declared 404 (or the
// 4XX/default response standing for it), else the operation's error response.
func (st *state) stateNotFound(w http.ResponseWriter, r *http.Request, plan *opPlan, ex *exchange, c *resource.Collection, id string) {
	if rp, ok := plan.statusFor(http.StatusNotFound); ok {
		_, ex.respSafe = st.writeResponse(w, r, http.StatusNotFound, rp, "", "", false)
		ex.source = journal.SourceState
		return
	}
	if plan.successResp != nil && !declaresGone(plan.op) {
		// The operation declares nothing that stands for "not found" (OAI's link
		// example: a get that answers 200 only; OpenAI's: 200 or 429): the document
		// promises an answer for any id, so an unknown one gets the stateless answer
		// rather than an undeclared 404 or an error that means something else.
		_, ex.respSafe = st.writeResponse(w, r, plan.success, plan.successResp, "", "", false)
		ex.source = journal.SourceState
		return
	}
	ex.problems = append(ex.problems, openapi.Problem{Kind: openapi.InvalidRequest, In: "path", Name: c.IDParam,
		Message: fmt.Sprintf("no %s with id %q", c.Name, id)})
	ep := *plan.errors
	if ep.style == styleProblem {
		ep.status = http.StatusNotFound
	}
	st.writeError(w, &ep, ex.problems)
}

// stateFailed answers 503 in the operation's error format when the store fails (Redis
// down): the client did nothing wrong, and the log says what happened.
func (s *Server) stateFailed(st *state, w http.ResponseWriter, plan *opPlan, ex *exchange, err error) {
	ex.problems = append(ex.problems, openapi.Problem{Kind: openapi.InvalidRequest, In: "state", Message: "state store unavailable: " + err.Error()})
	ep := *plan.errors
	ep.status = http.StatusServiceUnavailable
	st.writeError(w, &ep, ex.problems)
}

// stateCollection is the admin view of a collection.
type stateCollection struct {
	*resource.Collection
	Operations []string          `json:"operations"`
	Count      int               `json:"count"`
	Items      []statestore.Item `json:"items"`
}

// declaresGone reports whether the operation declares a response that can stand for a
// resource that is not there: 404, 410, the 4XX range or default.
func declaresGone(op *openapi.Operation) bool {
	_, nf := openapi.ResponseKey(op.Operation, http.StatusNotFound)
	_, gone := openapi.ResponseKey(op.Operation, http.StatusGone)
	return nf || gone
}
