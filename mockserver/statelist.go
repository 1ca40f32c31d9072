package mockserver

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	statestore "github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// listPlan describes the list operation's parameters and response shape.
type listPlan struct {
	limit, offset, page, perPage string // query parameter names present ("" when absent)
	defLimit, maxItems           int
	array                        bool   // the response is a JSON array
	itemsProp                    string // else the object property holding the page
	base                         []byte // the response's default body (object shape)
	totalProps, nextProps        []string
	// nextNull lists the next-page properties that may be null (else, on the last page,
	// they are left out, or kept at the end offset when required).
	nextNull, nextRequired map[string]bool
	totalHeader            string
}

// buildListPlan recognises the paging parameters by their usual names (limit/size,
// offset/skip, page, per_page/page_size) and the response's shape: an array, or an object
// whose array property resource.ListArray picks (by the resource's schema item) holds the
// page and whose total-like and next-like integers are filled in. nil when the answer is neither: the list is then answered as the stateless mock
// would.
func buildListPlan(op *openapi.Operation, plan *opPlan, item *openapi3.Schema) *listPlan {
	lp := &listPlan{}
	for _, p := range op.Parameters() {
		if p.Value == nil || p.Value.In != "query" {
			continue
		}
		name := p.Value.Name
		switch strings.ToLower(name) {
		case "limit", "size", "max", "maxresults", "max_results":
			lp.limit = name
			lp.defLimit = schemaDefault(p.Value.Schema)
		case "offset", "skip", "start":
			lp.offset = name
		case "page", "page_number", "pagenumber":
			lp.page = name
		case "per_page", "perpage", "page_size", "pagesize":
			lp.perPage = name
			lp.defLimit = schemaDefault(p.Value.Schema)
		}
	}
	rp := plan.successResp
	mt, base := jsonBody(rp)
	if rp == nil || mt == "" {
		return nil
	}
	schema := rp.bodies[mt].schema
	if schema == nil || schema.Value == nil {
		return nil
	}
	s := schema.Value
	pick, arr, ok := resource.ListArray(s, item)
	if !ok {
		// No array of objects to hold the resources (a GET at the collection path that
		// answers one object: OpenAI's model permissions).
		return nil
	}
	lp.maxItems = maxItemsOf(arr)
	if pick == "" {
		lp.array = true
	} else {
		// An object (its allOf branches' properties included, DigitalOcean's lists:
		// allOf: [{properties: {actions: ...}}, pages, meta]) whose pick property holds
		// the page.
		props, required := openapi.ObjectProperties(s)
		for _, n := range slices.Sorted(maps.Keys(props)) {
			p := props[n]
			lower := strings.ToLower(n)
			if p.Type.Is("integer") && (strings.Contains(lower, "total") || lower == "count") {
				lp.totalProps = append(lp.totalProps, n)
			}
			if p.Type.Is("integer") && strings.HasPrefix(lower, "next") {
				lp.nextProps = append(lp.nextProps, n)
				if lp.nextNull == nil {
					lp.nextNull, lp.nextRequired = map[string]bool{}, map[string]bool{}
				}
				lp.nextNull[n] = p.Nullable || p.Type.Includes("null")
				lp.nextRequired[n] = slices.Contains(required, n)
			}
		}
		lp.itemsProp = pick
		lp.base = base
	}
	for name, h := range rp.resp.Headers {
		if h != nil && h.Value != nil && strings.Contains(strings.ToLower(name), "total") {
			lp.totalHeader = http.CanonicalHeaderKey(name)
		}
	}
	return lp
}

func schemaDefault(ref *openapi3.SchemaRef) int {
	if ref == nil || ref.Value == nil {
		return 0
	}
	switch v := ref.Value.Default.(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return 0
}

func maxItemsOf(s *openapi3.Schema) int {
	if s != nil && s.MaxItems != nil {
		return int(*s.MaxItems)
	}
	return 0
}

// serveList answers a list operation with the scope's stored items, paged by the declared
// limit/offset or page/per_page parameters.
func (s *Server) serveList(st *state, w http.ResponseWriter, r *http.Request, plan *opPlan, cp *collPlan, scope string, ex *exchange) {
	lp := cp.list
	if lp == nil {
		_, ex.respSafe = st.writeResponse(w, r, plan.success, plan.successResp, "", "", false)
		return
	}
	q := r.URL.Query()
	num := func(name string, def int) int {
		if name == "" {
			return def
		}
		if n, err := strconv.Atoi(q.Get(name)); err == nil {
			return n
		}
		return def
	}
	limit := num(lp.limit, 0)
	if lp.perPage != "" {
		limit = num(lp.perPage, 0)
	}
	if limit <= 0 {
		limit = lp.defLimit
	}
	if lp.maxItems > 0 && (limit <= 0 || limit > lp.maxItems) {
		limit = lp.maxItems
	}
	offset := max(num(lp.offset, 0), 0)
	if lp.page != "" && limit > 0 {
		offset = (max(num(lp.page, 1), 1) - 1) * limit
	}
	items, total, err := st.stateful.store.List(r.Context(), cp.c.Name, scope, offset, limit)
	if err != nil {
		s.stateFailed(st, w, plan, ex, err)
		return
	}
	var b bytes.Buffer
	if lp.array {
		writeArray(&b, items)
	} else {
		page, err := openapi.DecodeJSONObject(lp.base)
		if err != nil {
			s.stateFailed(st, w, plan, ex, err)
			return
		}
		var arr bytes.Buffer
		writeArray(&arr, items)
		page[lp.itemsProp] = json.RawMessage(arr.Bytes())
		for _, p := range lp.totalProps {
			page[p] = total
		}
		for _, p := range lp.nextProps {
			next := offset + len(items)
			switch {
			case next < total, lp.nextRequired[p] && !lp.nextNull[p]:
				page[p] = next
			case lp.nextNull[p]:
				page[p] = nil
			default:
				delete(page, p)
			}
		}
		out, err := json.Marshal(page)
		if err != nil {
			s.stateFailed(st, w, plan, ex, err)
			return
		}
		b.Write(out)
	}
	if lp.totalHeader != "" {
		w.Header().Set(lp.totalHeader, strconv.Itoa(total))
	}
	st.writeStateBody(w, plan, plan.success, b.Bytes(), "")
}

func writeArray(b *bytes.Buffer, items []statestore.Item) {
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it.Value)
	}
	b.WriteByte(']')
}
