package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// Stateful cases are sequences of requests over one resource: create it, read it, list
// it, change it, delete it, read it again. They find what no single request finds: a
// server that loses what it created, returns another resource than the one asked for, or
// still serves a deleted one.
const Stateful CaseKind = "stateful"

// StatefulMode says when the checker runs stateful sequences.
type StatefulMode int

const (
	// StatefulAuto runs them against loopback targets (a local mock) when the document
	// has a collection to exercise; a live target is opt-in, as sequences create data.
	StatefulAuto StatefulMode = iota
	// StatefulOn runs them against any target.
	StatefulOn
	// StatefulOff never runs them.
	StatefulOff
)

// Step is one request of a stateful sequence.
type Step struct {
	// Name says what the step does, e.g. "get the created projects".
	Name     string    `json:"name"`
	Exchange *Exchange `json:"exchange,omitempty"`
	Failures []Finding `json:"failures,omitempty"`
	Curl     string    `json:"curl,omitempty"`
	// CanonicalRequest is what the step's AK/SK signature covers ("" when unsigned).
	CanonicalRequest string `json:"canonical_request,omitempty"`
}

// sequence is a planned stateful case: a collection and, when it is nested, the
// collection that creates its parent.
type sequence struct {
	c      *resource.Collection
	parent *resource.Collection
}

// planSequences returns the collections to exercise: those with a create and a get or a
// list, in the model's order.
func planSequences(doc *openapi.Document, opts *Options, local bool) ([]sequence, error) {
	switch {
	case opts.Stateful == StatefulOff, opts.Stateful == StatefulAuto && !local:
		return nil, nil
	}
	model, err := resource.Infer(doc, nil)
	if err != nil {
		return nil, err
	}
	var out []sequence
	for _, c := range model.Collections {
		create := c.Ops[resource.Create]
		if create == nil || (c.Ops[resource.Get] == nil && c.Ops[resource.List] == nil) {
			continue
		}
		if !opts.selected(create.ID, Stateful) {
			continue
		}
		sq := sequence{c: c}
		for _, p := range model.Collections {
			if p != c && p.ItemPath != "" && p.Ops[resource.Create] != nil && strings.HasPrefix(c.Path, p.ItemPath+"/") {
				sq.parent = p
			}
		}
		out = append(out, sq)
	}
	return out, nil
}

// runner sends the steps of the sequences through the checker's client.
type runner struct {
	doc     *openapi.Document
	p       *planner
	opts    *Options
	client  *http.Client
	hook    *hookSender
	cr      credentials
	red     *openapi.Redactor
	lim     *limiter
	sent    *int
	created []string
	// pinned holds, within one sequence, the value first sent for each path parameter
	// no step is given (a parent's id the checker made up): every later step sends the
	// same, as the operations' own examples of it differ (DigitalOcean's
	// knowledge_base_uuid), and a resource created under one parent is not found under
	// another.
	pinned map[string]string
}

// seqCase is the case that stands for a whole sequence in the report.
func seqCase(sq sequence) Case {
	create := sq.c.Ops[resource.Create]
	return Case{ID: "stateful/" + sq.c.Name, Operation: create.ID, Kind: Stateful, Method: create.Method, Path: create.Path,
		Name: "create, read, list, change and delete one " + sq.c.Name + " resource (" + strings.Join(sq.c.Operations(), " ") + ")", op: create}
}

// steps counts the requests a sequence sends at most.
func (sq sequence) steps() int {
	n := 0
	for _, c := range []*resource.Collection{sq.c, sq.parent} {
		if c != nil {
			n += len(c.Ops) + 2
		}
	}
	return n
}

// run sends one sequence and judges it.
func (rn *runner) run(ctx context.Context, sq sequence) Result {
	res := Result{Case: seqCase(sq)}
	if rn.opts.MaxRequests > 0 && *rn.sent+sq.steps() > rn.opts.MaxRequests {
		res.Outcome, res.Reason = Skipped, fmt.Sprintf("--max-requests %d reached", rn.opts.MaxRequests)
		return res
	}
	for _, c := range []*resource.Collection{sq.parent, sq.c} {
		if c == nil {
			continue
		}
		create := c.Ops[resource.Create]
		if _, _, err := rn.body(create); err != nil && bodyRequired(create) {
			// No resource to follow without its create (OpenAI's voice consents and
			// Stripe's files are multipart uploads, which the checker does not send). An
			// optional body is left out (OpenAI's video characters).
			res.Outcome, res.Reason = Skipped, fmt.Sprintf("cannot build the create request of %s (%s): %v", c.Name, c.Ops[resource.Create].ID, err)
			return res
		}
	}
	rn.created, rn.pinned = nil, map[string]string{}
	scope := map[string]string{}
	if sq.parent != nil {
		pid, ok := rn.create(ctx, &res, sq.parent, nil)
		if !ok {
			return rn.finish(res)
		}
		params := resource.PathParams(sq.parent.ItemPath)
		scope[params[len(params)-1]] = pid
		rn.sequence(ctx, &res, sq.c, scope)
		if del := sq.parent.Ops[resource.Delete]; del != nil {
			ex := rn.step(ctx, &res, "delete the parent "+sq.parent.Name, del, mergeParams(nil, sq.parent.IDParam, pid), nil, expect2xx)
			if ex != nil && ex.Response != nil && ex.Response.Status/100 == 2 {
				rn.created = append(rn.created, fmt.Sprintf("deleted %s %s", sq.parent.Name, pid))
			}
		}
		return rn.finish(res)
	}
	rn.sequence(ctx, &res, sq.c, scope)
	return rn.finish(res)
}

// finish sets the outcome and the exchange shown on the result's line.
func (rn *runner) finish(res Result) Result {
	res.Outcome = Pass
	for _, s := range res.Steps {
		if res.Exchange == nil || (len(s.Failures) > 0 && len(res.Failures) == 0) {
			res.Exchange = s.Exchange
		}
		for _, f := range s.Failures {
			f.Message = s.Name + ": " + f.Message
			res.Failures = append(res.Failures, f)
		}
	}
	if len(res.Failures) > 0 {
		res.Outcome = Fail
	}
	res.Resources = rn.created
	var curls, canonical []string
	for i, s := range res.Steps {
		if s.Curl != "" {
			curls = append(curls, fmt.Sprintf("# step %d: %s\n%s", i+1, s.Name, s.Curl))
		}
		if s.CanonicalRequest != "" {
			canonical = append(canonical, fmt.Sprintf("# step %d: %s\n%s", i+1, s.Name, s.CanonicalRequest))
		}
	}
	res.Curl = strings.Join(curls, "\n")
	if len(canonical) > 0 {
		// Signed steps cannot be replayed as they are, as for a single signed case.
		res.Curl = akskCurlNote + "\n" + res.Curl
		res.CanonicalRequest = strings.Join(canonical, "\n")
	}
	return res
}

func (rn *runner) sequence(ctx context.Context, res *Result, c *resource.Collection, scope map[string]string) {
	sentBody := map[string]any{}
	id, ok := rn.create(ctx, res, c, scope, &sentBody)
	if !ok {
		return
	}
	item := mergeParams(scope, c.IDParam, id)
	get := c.Ops[resource.Get]
	if get != nil && c.IDParam != "" {
		ex := rn.step(ctx, res, "get the created "+c.Name, get, item, nil, expectFound)
		rn.compare(res, ex, c, id, sentBody)
	}
	if list := c.Ops[resource.List]; list != nil {
		ex := rn.step(ctx, res, "list "+c.Name, list, scope, nil, expect2xx)
		rn.listContains(res, ex, c, id)
	}
	if c.IDParam == "" {
		return
	}
	upd := c.Ops[resource.Replace]
	if upd == nil {
		upd = c.Ops[resource.Patch]
	}
	if upd != nil {
		if body, raw, err := rn.body(upd); err != nil {
			if n := len(res.Steps); n > 0 && res.Steps[n-1].Exchange != nil {
				ex := res.Steps[n-1].Exchange
				ex.Notes = append(ex.Notes, fmt.Sprintf("the %s is not changed: %s cannot be built (%v)", c.Name, upd.ID, err))
			}
		} else if raw != nil {
			rn.step(ctx, res, "change the "+c.Name+" ("+upd.Method+")", upd, item, raw, expect2xx)
			if get != nil {
				ex := rn.step(ctx, res, "get the changed "+c.Name, get, item, nil, expectFound)
				rn.compare(res, ex, c, id, body)
			}
		}
	}
	if del := c.Ops[resource.Delete]; del != nil {
		ex := rn.step(ctx, res, "delete the "+c.Name, del, item, nil, expect2xx)
		if ex != nil && ex.Response != nil && ex.Response.Status/100 == 2 {
			rn.created = append(rn.created, fmt.Sprintf("deleted %s %s", c.Name, id))
		}
		if get != nil {
			rn.step(ctx, res, "get the deleted "+c.Name, get, item, nil, expectGone)
		}
	}
}

// create sends the collection's create request (its first positive case, the scope's
// parameters filled in) and returns the new resource's id: from the link of the create
// response to the item operations, else the id property, else the Location header.
func (rn *runner) create(ctx context.Context, res *Result, c *resource.Collection, scope map[string]string, sent ...*map[string]any) (string, bool) {
	op := c.Ops[resource.Create]
	body, raw, _ := rn.body(op) // run skips a sequence whose required create body cannot be built
	if len(sent) > 0 {
		*sent[0] = body
	}
	ex := rn.step(ctx, res, "create a "+c.Name, op, scope, raw, expect2xx)
	if ex == nil || ex.Response == nil || ex.Response.Status/100 != 2 {
		return "", false
	}
	id := createdID(rn.doc, c, ex, scope)
	if id == "" && c.ItemPath == "" && c.IDField == "" {
		// No item operation to read it back by and no id property to find it in the
		// list (Twilio's Queues.json beside Queues/{Sid}.json): nothing needs its id.
		ex.Notes = append(ex.Notes, "the "+c.Name+" collection has no item path and no id property: the created resource is not looked up")
		return "", true
	}
	if id == "" {
		res.Steps[len(res.Steps)-1].Failures = append(res.Steps[len(res.Steps)-1].Failures, Finding{Check: CreatedAvailable, In: "body",
			Message: "the create answer carries no id (no link parameter, no " + orNone(c.IDField) + " property, no Location header)"})
		return "", false
	}
	rn.created = append(rn.created, fmt.Sprintf("created %s %s", c.Name, id))
	return id, true
}

func orNone(s string) string {
	if s == "" {
		return "id"
	}
	return s
}

// createdID finds the id of a created resource.
func createdID(doc *openapi.Document, c *resource.Collection, ex *Exchange, scope map[string]string) string {
	var body any
	_ = json.Unmarshal([]byte(ex.Response.Body), &body)
	for _, l := range resource.LinksOf(doc, c.Ops[resource.Create]) {
		if l.Target.Path != c.ItemPath {
			continue
		}
		for _, key := range []string{c.IDParam, "path." + c.IDParam} {
			if expr, ok := l.Params[key].(string); ok {
				if v, ok := evalLink(expr, body, ex, scope); ok {
					return v
				}
			}
		}
	}
	if m, ok := c.Unwrap(body).(map[string]any); ok && c.IDField != "" && m[c.IDField] != nil {
		return scalar(m[c.IDField])
	}
	if loc := ex.Response.Header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			segs := strings.Split(strings.TrimSuffix(u.EscapedPath(), "/"), "/")
			if v, err := url.PathUnescape(segs[len(segs)-1]); err == nil && v != "" {
				return v
			}
		}
	}
	return ""
}

// evalLink evaluates the runtime expressions hookkit follows: $response.body#/pointer,
// $response.header.Name and $request.path.name; anything else is a constant.
func evalLink(expr string, body any, ex *Exchange, scope map[string]string) (string, bool) {
	switch {
	case strings.HasPrefix(expr, "$response.body#"):
		ptr := strings.TrimPrefix(expr, "$response.body#")
		v := body
		for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
			if tok == "" {
				continue
			}
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch t := v.(type) {
			case map[string]any:
				v = t[tok]
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(t) {
					return "", false
				}
				v = t[i]
			default:
				return "", false
			}
		}
		if v == nil {
			return "", false
		}
		return scalar(v), true
	case strings.HasPrefix(expr, "$response.header."):
		v := ex.Response.Header.Get(strings.TrimPrefix(expr, "$response.header."))
		return v, v != ""
	case strings.HasPrefix(expr, "$request.path."):
		v, ok := scope[strings.TrimPrefix(expr, "$request.path.")]
		return v, ok
	case strings.HasPrefix(expr, "$"):
		return "", false
	}
	return expr, true
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// body returns the first positive request body of op, decoded and encoded; an error
// when op takes a body the checker cannot build or send (a multipart upload).
func (rn *runner) body(op *openapi.Operation) (map[string]any, []byte, error) {
	mediaType, mt := requestMedia(op)
	if mt == nil {
		return nil, nil, nil
	}
	var v any
	if ex := bodyExamples(mt); len(ex) > 0 {
		v = ex[0].value
	} else {
		sv, err := synthesizeBody(rn.doc, mediaType, mt.Schema, 0)
		if err != nil {
			return nil, nil, fmt.Errorf("request body: %w", err)
		}
		v = sv
	}
	raw, err := encodeBody(mediaType, mt, v)
	if err != nil {
		return nil, nil, err
	}
	m, _ := v.(map[string]any)
	if mediaType == "application/x-www-form-urlencoded" && mt.Schema != nil {
		// What was sent is what the form carries, read as the document says: an empty
		// object or array has no field to travel in (Stripe's payment method creates:
		// alipay={}), and a form's values are strings until the schema types them.
		if j, err := openapi.FormJSON(raw, mt.Schema.Value); err == nil {
			var wire map[string]any
			if json.Unmarshal(j, &wire) == nil {
				m = wire
			}
		}
	}
	return m, raw, nil
}

// expectation is what a step's status must be.
type expectation int

const (
	expect2xx   expectation = iota // a 2xx
	expectFound                    // a 2xx: the resource is there (created-available)
	expectGone                     // 404 or 410: the resource is gone (use-after-delete)
)

// step sends one request of a sequence: op's positive case with the given path
// parameters (and body, when given), judged by the transport's checks and by exp.
func (rn *runner) step(ctx context.Context, res *Result, name string, op *openapi.Operation, params map[string]string, body []byte, exp expectation) *Exchange {
	mediaType, _ := requestMedia(op)
	c, err := rn.p.build(Case{Operation: op.ID, Kind: Positive, Method: op.Method, Path: op.Path, op: op}, "", nil, 0)
	s := Step{Name: name}
	if err != nil {
		s.Failures = []Finding{{Check: RequestValid, Message: "cannot build the request: " + err.Error()}}
		res.Steps = append(res.Steps, s)
		return nil
	}
	c.ID = res.Case.ID + "/" + slug(name)
	if op.Method == http.MethodGet && !strings.Contains(op.Path[strings.LastIndex(op.Path, "/"):], "{") {
		// A list is asked for its first page, unfiltered: the parameters' examples
		// (page=2, a date range) would hide the resource just created.
		for _, p := range op.Parameters() {
			if p.Value != nil && p.Value.In == "query" && !p.Value.Required {
				deleteQueryParam(c.Query, p.Value.Name)
			}
		}
	}
	for k, v := range c.PathParams {
		if _, given := params[k]; given || rn.pinned == nil {
			continue
		}
		if p, ok := rn.pinned[k]; ok && rn.paramAccepts(op, k, p) {
			// (A value this operation's schema refuses is not sent: Twilio's
			// CreateParticipant takes any ConferenceSid, ListParticipant a CF pattern.)
			c.PathParams[k] = p
		} else if !ok {
			rn.pinned[k] = v
		}
	}
	for k, v := range params {
		if _, ok := c.PathParams[k]; ok {
			c.PathParams[k] = v
		}
	}
	if body != nil {
		c.Body = body
		c.Header.Set("Content-Type", mediaType)
	}
	req, err := c.request(ctx, rn.opts.BaseURL, rn.cr)
	if err != nil {
		s.Failures = []Finding{{Check: RequestValid, Message: err.Error()}}
		res.Steps = append(res.Steps, s)
		return nil
	}
	s.Curl = curl(req, c.Body, rn.opts.Token, rn.red)
	s.CanonicalRequest = canonicalForReport(req, c.Body, rn.red)
	if err := rn.lim.wait(ctx); err != nil {
		s.Failures = []Finding{{Check: Reachable, Message: "cancelled"}}
		res.Steps = append(res.Steps, s)
		return nil
	}
	*rn.sent++
	ex := send(ctx, rn.hook, rn.client, c, req, rn.opts.Token)
	s.Exchange = ex
	if ex.Response == nil {
		s.Failures = append(s.Failures, Finding{Check: Reachable, Message: "no answer: " + ex.Err})
		res.Steps = append(res.Steps, s)
		return ex
	}
	s.Failures = append(s.Failures, findingsOf(RequestValid, ex.RequestProblems)...)
	status := ex.Response.Status
	switch exp {
	case expect2xx:
		if status/100 != 2 {
			msg := fmt.Sprintf("answered %d to a valid request", status)
			if m := serverMessage(ex.Response.Body); m != "" {
				msg += ": " + m
			}
			s.Failures = append(s.Failures, Finding{Check: PositiveAccepted, In: "status", Name: strconv.Itoa(status), Message: msg})
		}
		s.Failures = append(s.Failures, ex.Findings...)
	case expectFound:
		if status/100 != 2 {
			s.Failures = append(s.Failures, Finding{Check: CreatedAvailable, In: "status", Name: strconv.Itoa(status),
				Message: fmt.Sprintf("answered %d for a resource the server created; want 2xx", status)})
		}
		s.Failures = append(s.Failures, ex.Findings...)
	case expectGone:
		_, nf := openapi.ResponseKey(op.Operation, http.StatusNotFound)
		_, gone := openapi.ResponseKey(op.Operation, http.StatusGone)
		if status/100 == 2 && !nf && !gone {
			// The document declares nothing that says "gone" for this read (no 404,
			// 410, 4XX or default): a server true to it answers 2xx.
			ex.Notes = append(ex.Notes, fmt.Sprintf("%s declares no 404, 410, 4XX or default, so a read after the delete cannot answer 404 or 410", op.ID))
		} else if status != http.StatusNotFound && status != http.StatusGone {
			s.Failures = append(s.Failures, Finding{Check: UseAfterDelete, In: "status", Name: strconv.Itoa(status),
				Message: fmt.Sprintf("answered %d for a resource the server deleted; want 404 or 410", status)})
		}
		for _, f := range ex.Findings {
			if f.Check != StatusDeclared || status == http.StatusNotFound || status == http.StatusGone {
				s.Failures = append(s.Failures, f)
			}
		}
	}
	res.Steps = append(res.Steps, s)
	return ex
}

// compare checks that a read resource is the one asked for (its id property) and holds
// the values sent for the fields the request and the resource share.
func (rn *runner) compare(res *Result, ex *Exchange, c *resource.Collection, id string, sent map[string]any) {
	if ex == nil || ex.Response == nil || ex.Response.Status/100 != 2 {
		return
	}
	s := &res.Steps[len(res.Steps)-1]
	var body any
	if err := json.Unmarshal([]byte(ex.Response.Body), &body); err != nil {
		return // body-schema already says so
	}
	got, _ := c.Unwrap(body).(map[string]any)
	if c.IDField != "" && got[c.IDField] != nil && scalar(got[c.IDField]) != id {
		s.Failures = append(s.Failures, Finding{Check: ResourceIdentity, In: "body", Name: c.IDField,
			Message: fmt.Sprintf("asked for %s %s, got the resource with %s %s", c.Name, id, c.IDField, scalar(got[c.IDField]))})
		return
	}
	props, _ := openapi.ObjectProperties(c.ItemSchema())
	red := rn.red
	// The exchange holds the answer redacted (a password reads "[REDACTED]"), so what was
	// sent is redacted alike: a secret field is compared as present, never by value.
	shown := redactedCopy(red, sent)
	for _, name := range slices.Sorted(maps.Keys(sent)) {
		prop := props[name]
		if prop == nil || prop.WriteOnly || prop.ReadOnly || name == c.IDField {
			continue // the id is the server's to give (resource-identity checks it)
		}
		if err := rn.doc.ValidateValueAs(prop, sent[name], openapi.Response); err != nil {
			// The request's schema of the field is not the resource's (DigitalOcean's
			// metrics: names sent, objects read back), and the value sent is no valid
			// value of the resource: the document does not say what reads back.
			ex.Notes = append(ex.Notes, fmt.Sprintf("field %s not compared: the value sent is not valid for the %s resource's schema of it", name, c.Name))
			continue
		}
		if !sharedEqual(shown[name], got[name], prop, 0) {
			msg := fmt.Sprintf("field %s: sent %s, got %s", name, show(shown[name]), show(got[name]))
			if red.IsSecretField(name) {
				msg = fmt.Sprintf("field %s differs from what was sent", name)
			}
			s.Failures = append(s.Failures, Finding{Check: ResourceEqual, In: "body", Name: name, Message: msg})
		}
	}
}

// redactedCopy is a deep copy of v with the secret fields red hides in reports redacted.
func redactedCopy(red *openapi.Redactor, v map[string]any) map[string]any {
	if red == nil || v == nil {
		return v
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out map[string]any
	if json.Unmarshal(raw, &out) != nil {
		return v
	}
	red.Value(out)
	return out
}

// sharedEqual compares what was sent with what was read back where both sides share it:
// like jsonEqual, except that inside objects the properties the schema marks readOnly
// (the server sets them) or writeOnly (the server never returns them) are not compared,
// at any depth, and a property the client did not send is not either.
func sharedEqual(sent, got any, s *openapi3.Schema, depth int) bool {
	if s == nil || depth > 32 {
		return jsonEqual(sent, got)
	}
	switch sv := sent.(type) {
	case map[string]any:
		gv, ok := got.(map[string]any)
		if !ok {
			return false
		}
		props, _ := openapi.ObjectProperties(s)
		if len(props) == 0 {
			return jsonEqual(sent, got)
		}
		for k, v := range sv {
			p := props[k]
			if p != nil && (p.ReadOnly || p.WriteOnly) {
				continue
			}
			if !sharedEqual(v, gv[k], p, depth+1) {
				return false
			}
		}
		return true
	case []any:
		gv, ok := got.([]any)
		if !ok || len(gv) != len(sv) {
			return false
		}
		var item *openapi3.Schema
		if s.Items != nil {
			item = s.Items.Value
		}
		for i := range sv {
			if !sharedEqual(sv[i], gv[i], item, depth+1) {
				return false
			}
		}
		return true
	}
	return jsonEqual(sent, got)
}

func show(v any) string {
	if v == nil {
		return "nothing"
	}
	b, _ := json.Marshal(v)
	return trim(string(b), 80)
}

// jsonEqual compares two JSON values after a round trip, so 3 and 3.0 are equal.
func jsonEqual(a, b any) bool {
	norm := func(v any) any {
		raw, _ := json.Marshal(v)
		var out any
		_ = json.Unmarshal(raw, &out)
		return out
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// listContains checks that a list answer holds the created resource, when the resource
// has an id property to recognise it by and the answer is not one page of many.
func (rn *runner) listContains(res *Result, ex *Exchange, c *resource.Collection, id string) {
	if ex == nil || ex.Response == nil || ex.Response.Status/100 != 2 || c.IDField == "" {
		return
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(ex.Response.Body)))
	var body any
	if dec.Decode(&body) != nil {
		return
	}
	prop, _, ok := c.ListArrayOf(c.Ops[resource.List])
	if !ok && hasJSONSchema(c.Ops[resource.List]) {
		// The document's answer holds no array of resources (Stripe's GET /v1/account
		// answers the one account, OpenAI's model permissions an object of names): there
		// is no list to look in.
		ex.Notes = append(ex.Notes, fmt.Sprintf("%s answers no array of %s resources: whether it holds the created one is not checked", c.Ops[resource.List].ID, c.Name))
		return
	}
	var items []any
	switch t := body.(type) {
	case []any:
		items = t
	case map[string]any:
		// The array the document says holds the resources (resource.ListArray): a list
		// may carry other arrays (names of statuses) beside its page.
		if ok && prop != "" {
			if t[prop] == openapi.Redacted {
				// The exchange holds the answer redacted, and the page's name reads as a
				// secret's (DigitalOcean's tokens): what it holds is not to be shown.
				ex.Notes = append(ex.Notes, fmt.Sprintf("the list's %s property is redacted (a secret's name): whether it holds the created %s is not checked", prop, c.Name))
				return
			}
			items, _ = t[prop].([]any)
			break
		}
		for _, k := range slices.Sorted(maps.Keys(t)) {
			if arr, ok := t[k].([]any); ok {
				items = arr
				break
			}
		}
	}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && m[c.IDField] != nil && scalar(m[c.IDField]) == id {
			return
		}
	}
	s := &res.Steps[len(res.Steps)-1]
	if limit := listMaxItems(c); limit > 0 && len(items) >= limit {
		ex.Notes = append(ex.Notes, fmt.Sprintf("the created %s is not in the list, which is full (maxItems %d): one page of more", c.Name, limit))
		return
	}
	if limit := listPageDefault(c); limit > 0 && len(items) >= limit {
		ex.Notes = append(ex.Notes, fmt.Sprintf("the created %s is not in the list, which holds a full default page (%d): one page of more", c.Name, limit))
		return
	}
	if m, ok := body.(map[string]any); ok {
		for k, v := range m {
			if n, ok := v.(float64); ok && strings.Contains(strings.ToLower(k), "total") && int(n) > len(items) {
				ex.Notes = append(ex.Notes, fmt.Sprintf("the created %s is not on the first page (%d of %v items)", c.Name, len(items), n))
				return
			}
		}
	}
	s.Failures = append(s.Failures, Finding{Check: ListContains, In: "body",
		Message: fmt.Sprintf("the list of %d %s does not hold the created one (%s %s)", len(items), c.Name, c.IDField, id)})
}

// listMaxItems is the maxItems of the list answer's array (the body, or the property
// resource.ListArray picks, as listContains reads it), 0 when unbounded: a full list may be one page of
// many even without paging parameters or a total.
func listMaxItems(c *resource.Collection) int {
	if _, arr, ok := c.ListArrayOf(c.Ops[resource.List]); ok && arr.MaxItems != nil {
		return int(*arr.MaxItems)
	}
	return 0
}

// listPageDefault is the default of the list's page-size query parameter (limit,
// per_page...: the names the stateful mock pages by), 0 when it has none: a list
// answering that many items may be the first page of more.
func listPageDefault(c *resource.Collection) int {
	op := c.Ops[resource.List]
	if op == nil {
		return 0
	}
	for _, p := range op.Parameters() {
		if p.Value == nil || p.Value.In != "query" || p.Value.Schema == nil || p.Value.Schema.Value == nil {
			continue
		}
		switch strings.ToLower(p.Value.Name) {
		case "limit", "size", "max", "maxresults", "max_results", "per_page", "perpage", "page_size", "pagesize":
			if d, ok := p.Value.Schema.Value.Default.(float64); ok && d > 0 {
				return int(d)
			}
		}
	}
	return 0
}

// paramAccepts says whether op's path parameter name takes the value v, as its schema
// reads it (a number, a boolean or a string).
func (rn *runner) paramAccepts(op *openapi.Operation, name, v string) bool {
	for _, ref := range op.Parameters() {
		prm := ref.Value
		if prm == nil || prm.In != "path" || prm.Name != name || prm.Schema == nil || prm.Schema.Value == nil {
			continue
		}
		s := prm.Schema.Value
		var x any = v
		switch {
		case s.Type.Is("integer") || s.Type.Is("number"):
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return false
			}
			x = f
		case s.Type.Is("boolean"):
			b, err := strconv.ParseBool(v)
			if err != nil {
				return false
			}
			x = b
		}
		return rn.doc.ValidateValueAs(s, x, openapi.Request) == nil
	}
	return true
}

// bodyRequired says whether op requires a request body.
func bodyRequired(op *openapi.Operation) bool {
	rb := op.Operation.RequestBody
	return rb != nil && rb.Value != nil && rb.Value.Required
}

// hasJSONSchema says whether op's lowest 2xx answer declares a JSON schema.
func hasJSONSchema(op *openapi.Operation) bool {
	r, _ := resource.SuccessResponse(op)
	if r == nil {
		return false
	}
	for mt, media := range r.Content {
		if openapi.IsJSON(mt) && media != nil && media.Schema != nil && media.Schema.Value != nil {
			return true
		}
	}
	return false
}

func mergeParams(base map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(base)+1)
	for a, b := range base {
		out[a] = b
	}
	if k != "" {
		out[k] = v
	}
	return out
}

// runSequences runs the stateful sequences after the single-request cases and appends
// them to the report. In a dry run they are listed as planned.
func runSequences(ctx context.Context, doc *openapi.Document, opts *Options, host string, rep *Report, client *http.Client, hook *hookSender, cr credentials, red *openapi.Redactor, lim *limiter, sent int) {
	seqs, err := planSequences(doc, opts, isLoopback(host))
	if err != nil || len(seqs) == 0 {
		return
	}
	rn := &runner{doc: doc, p: &planner{doc: doc, opts: opts}, opts: opts, client: client, hook: hook, cr: cr, red: red, lim: lim, sent: &sent}
	stateless := opts.Stateful == StatefulAuto && !opts.DryRun && statelessMock(ctx, opts.BaseURL)
	for _, sq := range seqs {
		switch {
		case stateless:
			rep.Results = append(rep.Results, Result{Case: seqCase(sq), Outcome: Skipped, Reason: statelessReason})
		case opts.DryRun:
			rep.Results = append(rep.Results, Result{Case: seqCase(sq), Outcome: Planned})
		case ctx.Err() != nil:
			rep.Results = append(rep.Results, Result{Case: seqCase(sq), Outcome: Skipped, Reason: "cancelled"})
		default:
			rep.Results = append(rep.Results, rn.run(ctx, sq))
		}
	}
}

// itemOps are the operations that address one resource of a collection by an id the
// checker made up (no --set value for the id parameter), by operationId.
type itemOps map[string]string

func itemOperations(doc *openapi.Document, set map[string]string) itemOps {
	model, err := resource.Infer(doc, nil)
	if err != nil {
		return nil
	}
	out := itemOps{}
	for _, c := range model.Collections {
		if _, ok := set[c.IDParam]; ok || c.IDParam == "" {
			continue
		}
		for _, a := range []resource.Action{resource.Get, resource.Replace, resource.Patch, resource.Delete} {
			if op := c.Ops[a]; op != nil {
				out[op.ID] = c.IDParam
			}
		}
	}
	return out
}

// excuse accepts a declared 404 (or default) to a positive case that addresses a resource by a made-up
// id: a server that keeps state rightly knows no such resource. The stateful sequences
// check the operation with an id the server gave out.
func (items itemOps) excuse(res *Result) {
	param, ok := items[res.Case.Operation]
	if !ok || res.Case.Kind != Positive || res.Exchange == nil || res.Exchange.Response == nil || res.Exchange.Response.Status != http.StatusNotFound {
		return
	}
	// A 404 is declared by its code, 4XX, or default (which stands for every status the
	// operation does not list).
	if r := res.Case.op.Operation.Responses; r == nil || r.Status(http.StatusNotFound) == nil && r.Default() == nil {
		return
	}
	kept := res.Failures[:0]
	for _, f := range res.Failures {
		if f.Check != PositiveAccepted {
			kept = append(kept, f)
		}
	}
	res.Failures = kept
	res.Exchange.Notes = append(res.Exchange.Notes, fmt.Sprintf("declared 404 for the made-up %s %q: accepted (give a real one with --set %s=...)", param, res.Case.PathParams[param], param))
	if len(res.Failures) == 0 {
		res.Outcome = Pass
	}
}

// deleteQueryParam removes a query parameter and the names it is sent under as a
// deepObject (name[key], name[0]).
func deleteQueryParam(q url.Values, name string) {
	for k := range q {
		if k == name || strings.HasPrefix(k, name+"[") {
			q.Del(k)
		}
	}
}

// statelessReason is why the sequences are skipped against a mock that keeps no state.
const statelessReason = "the target is a hookkit mock that keeps no state: start it with --stateful (or state.enabled: true) to run the stateful sequences, or pass --stateful=true to run them anyway"

// statelessMock reports whether the target is a hookkit mock that says it keeps no state
// (its admin health answer holds "stateful": false), so the stateful sequences, which
// read back what they create, cannot pass there. Anything else (not a hookkit mock, its
// admin API off, no answer within a second) is not.
func statelessMock(ctx context.Context, baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil {
		return false
	}
	probe := url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/__admin/health"}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, probe.String(), nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var health struct {
		Status   string `json:"status"`
		Stateful *bool  `json:"stateful"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&health) != nil {
		return false
	}
	return health.Status == "ok" && health.Stateful != nil && !*health.Stateful
}
