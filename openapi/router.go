package openapi

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// ErrNotFound is returned by [Document.Find] when no path template matches.
var ErrNotFound = errors.New("no operation matches this path")

// MethodNotAllowedError is returned by [Document.Find] when a path template matches but
// declares no operation for the method. Allow lists the methods it does declare.
type MethodNotAllowedError struct {
	Path  string
	Allow []string
}

func (e *MethodNotAllowedError) Error() string {
	return fmt.Sprintf("method not allowed at %s (allowed: %s)", e.Path, strings.Join(e.Allow, ", "))
}

// Match is the result of routing a request: the operation and its path parameters, with
// values unescaped.
type Match struct {
	Operation  *Operation
	PathParams map[string]string
}

// Find routes a request by method and escaped path (r.URL.EscapedPath()). Matching is by
// path segment, so an escaped "/" (%2F) stays inside its parameter. Concrete segments win
// over templated ones, as OpenAPI requires. A path prefixed by one of the document's server
// base paths matches as well.
func (d *Document) Find(method, escapedPath string) (*Match, error) {
	return d.router.find(method, escapedPath)
}

// router is a trie over path segments. Each level holds a map of literal segments and a
// short list of templated segments ({id} or partial ones such as {name}.json), so the cost
// of a lookup grows with the depth of the path, not with the number of operations.
type router struct {
	root  *node
	bases []string
}

type node struct {
	literal map[string]*node
	params  []*paramEdge
	ops     map[string]*Operation // by method, at the node that ends a path
	allow   []string              // sorted methods of ops
	path    string
}

// paramEdge matches one segment of the form prefix{name}suffix.
type paramEdge struct {
	prefix, suffix, name string
	next                 *node
}

func newRouter(ops []*Operation, bases []string) (*router, error) {
	r := &router{root: &node{}, bases: bases}
	for _, op := range ops {
		n := r.root
		op.pathParams = nil
		for _, seg := range splitPath(op.Path) {
			var err error
			if n, err = n.child(seg); err != nil {
				return nil, fmt.Errorf("path %s: %w", op.Path, err)
			}
			if open := strings.IndexByte(seg, '{'); open >= 0 {
				op.pathParams = append(op.pathParams, seg[open+1:open+strings.IndexByte(seg[open:], '}')])
			}
		}
		if n.ops == nil {
			n.ops = map[string]*Operation{}
			n.path = op.Path
		}
		n.ops[op.Method] = op
		n.allow = append(n.allow, op.Method)
		sort.Strings(n.allow)
	}
	return r, nil
}

func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

func (n *node) child(seg string) (*node, error) {
	open := strings.IndexByte(seg, '{')
	if open < 0 {
		if n.literal == nil {
			n.literal = map[string]*node{}
		}
		next, ok := n.literal[seg]
		if !ok {
			next = &node{}
			n.literal[seg] = next
		}
		return next, nil
	}
	end := strings.IndexByte(seg[open:], '}')
	if end < 0 || strings.Contains(seg[open+end+1:], "{") {
		return nil, fmt.Errorf("segment %q: one {parameter} per segment is supported", seg)
	}
	e := &paramEdge{prefix: seg[:open], name: seg[open+1 : open+end], suffix: seg[open+end+1:]}
	for _, have := range n.params {
		if have.prefix == e.prefix && have.suffix == e.suffix {
			// Same shape, maybe another name: share the node; names are per operation.
			return have.next, nil
		}
	}
	e.next = &node{}
	n.params = append(n.params, e)
	// Longer fixed parts are more specific: try them first.
	sort.SliceStable(n.params, func(i, j int) bool {
		return len(n.params[i].prefix)+len(n.params[i].suffix) > len(n.params[j].prefix)+len(n.params[j].suffix)
	})
	return e.next, nil
}

func (r *router) find(method, escapedPath string) (*Match, error) {
	m, allowAt := r.findOnce(method, escapedPath)
	if m == nil && allowAt == nil {
		for _, base := range r.bases {
			if rest, ok := strings.CutPrefix(escapedPath, base); ok && strings.HasPrefix(rest, "/") {
				if m, allowAt = r.findOnce(method, rest); m != nil || allowAt != nil {
					break
				}
			}
		}
	}
	if m != nil {
		return m, nil
	}
	if allowAt != nil {
		return nil, &MethodNotAllowedError{Path: allowAt.path, Allow: allowAt.allow}
	}
	return nil, ErrNotFound
}

// findOnce returns the match, or when a path matches without the method, the first node
// whose path matched (for the Allow header).
func (r *router) findOnce(method, escapedPath string) (*Match, *node) {
	if !strings.HasPrefix(escapedPath, "/") {
		return nil, nil
	}
	segs := splitPath(escapedPath)
	var (
		values  [8]string
		allowAt *node
	)
	var walk func(n *node, i int, vals []string) *Match
	walk = func(n *node, i int, vals []string) *Match {
		if i == len(segs) {
			if n.ops == nil {
				return nil
			}
			op, ok := n.ops[method]
			if !ok {
				if method == "HEAD" {
					op, ok = n.ops["GET"]
				}
				if !ok {
					if allowAt == nil {
						allowAt = n
					}
					return nil
				}
			}
			return newMatch(op, vals)
		}
		seg := segs[i]
		if next, ok := n.literal[seg]; ok {
			if m := walk(next, i+1, vals); m != nil {
				return m
			}
		}
		for _, e := range n.params {
			if len(seg) <= len(e.prefix)+len(e.suffix) || !strings.HasPrefix(seg, e.prefix) || !strings.HasSuffix(seg, e.suffix) {
				continue
			}
			raw := seg[len(e.prefix) : len(seg)-len(e.suffix)]
			if m := walk(e.next, i+1, append(vals, raw)); m != nil {
				return m
			}
		}
		return nil
	}
	return walk(r.root, 0, values[:0]), allowAt
}

// newMatch names the raw values captured along the path with the operation's own
// parameter names, in template order, and unescapes them.
func newMatch(op *Operation, raw []string) *Match {
	m := &Match{Operation: op}
	if len(raw) == 0 {
		return m
	}
	m.PathParams = make(map[string]string, len(raw))
	for i, name := range op.pathParams {
		v, err := url.PathUnescape(raw[i])
		if err != nil {
			v = raw[i]
		}
		m.PathParams[name] = v
	}
	return m
}
