package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/hookkit/hookkit/internal/uuid"
	"go.yaml.in/yaml/v3"
)

// Templates are Go text/template over the request's [Input]: {{ .Body.url }},
// {{ index .PathParams "project" }}, {{ .Header.Get "X-Repo-Auth" }},
// {{ .Query.Get "page" }}. A missing body field renders as "". The functions below add
// what mocks commonly need. The rule's call number is the field .Seq of the template's
// data; the function seq, kept for the configs that use it, returns the same number: a
// FuncMap cannot see the call, so a template that names seq renders through a pooled
// clone whose seq reads the number the render stores in it (see tmpl).

// baseFuncs are the template functions every template may use.
var baseFuncs = template.FuncMap{
	"uuid":    uuid.New,
	"now":     func() string { return time.Now().UTC().Format(time.RFC3339) },
	"unix":    func() int64 { return time.Now().Unix() },
	"json":    toJSON,
	"lower":   strings.ToLower,
	"upper":   strings.ToUpper,
	"trim":    strings.TrimSpace,
	"default": func(def, v any) any { return defaultValue(def, v) },
	"seq":     func() uint64 { return 0 }, // bound per render, see tmpl.seq
}

// tmpl is one compiled template string.
type tmpl struct {
	t *template.Template
	// seq holds clones of t whose seq function returns their n (*seqClone); nil when the
	// source does not name seq, so the common template renders without one.
	seq *sync.Pool
}

// seqClone is a clone of a template with its own seq function, which returns n.
type seqClone struct {
	t *template.Template
	n uint64
}

func compileTemplate(name, src string) (*tmpl, error) {
	t, err := template.New(name).Funcs(baseFuncs).Option("missingkey=zero").Parse(src)
	if err == nil {
		err = checkRanges(t)
	}
	if err != nil {
		msg := err.Error()
		// "template: name:1: function "x" not defined" -> keep what follows the location.
		if i := strings.Index(msg, name+":"); i >= 0 {
			msg = msg[i+len(name)+1:]
			if j := strings.Index(msg, ": "); j >= 0 {
				msg = msg[j+2:]
			}
		}
		return nil, fmt.Errorf("invalid template %q: %s", clipSource(src), msg)
	}
	out := &tmpl{t: t}
	if strings.Contains(src, "seq") { // may be a string or a field named seq: a clone costs nothing more
		out.seq = &sync.Pool{New: func() any {
			c := &seqClone{t: template.Must(t.Clone())}
			c.t.Funcs(template.FuncMap{"seq": func() uint64 { return c.n }})
			return c
		}}
	}
	return out, nil
}

func (t *tmpl) render(data *templateData) (string, error) {
	var b strings.Builder
	var w io.Writer = &b
	if data.budget != nil {
		w = &budgetWriter{w: &b, b: data.budget}
	}
	exec := t.t
	if t.seq != nil {
		c := t.seq.Get().(*seqClone)
		c.n = data.Seq
		defer t.seq.Put(c)
		exec = c.t
	}
	if err := exec.Execute(w, data); err != nil {
		if errors.Is(err, ErrTemplateBudget) {
			return "", budgetError(data.budget)
		}
		return "", fmt.Errorf("template %q: %w", clipSource(t.t.Root.String()), err)
	}
	return strings.ReplaceAll(b.String(), "<no value>", ""), nil
}

// clipSource shortens a template's source in messages.
func clipSource(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// relativePipe reports whether a pipeline is a single field of dot (.x.y) or dot itself.
func relativePipe(p *parse.PipeNode) bool {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	switch p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode, *parse.DotNode:
		return true
	}
	return false
}

// budgetWriter spends a budget as a template writes: past its bytes or its deadline the
// write fails, which stops text/template's execution at once.
type budgetWriter struct {
	w io.Writer
	b *budget
}

func (bw *budgetWriter) Write(p []byte) (int, error) {
	bw.b.left -= int64(len(p))
	if bw.b.left < 0 {
		bw.b.over = "output"
		return 0, ErrTemplateBudget
	}
	if time.Now().After(bw.b.deadline) {
		bw.b.over = "time"
		return 0, ErrTemplateBudget
	}
	return bw.w.Write(p)
}

func budgetError(b *budget) error {
	if b.over == "time" {
		return fmt.Errorf("%w: the templates took longer than limits.templateTime (%s)", ErrTemplateBudget, b.limit)
	}
	return fmt.Errorf("%w: the templates rendered more than limits.templateOutput (%d bytes)", ErrTemplateBudget, b.size)
}

// checkRanges refuses templates whose work could grow without bound, at load, since a
// loop that writes nothing escapes the output and time budgets (checked as output is
// written):
//   - {{define}}, {{template}} and {{block}}: recursion;
//   - range over the time (unix), the call counter (seq, .Seq, .Step), a length (len) or
//     a bare variable, whose values are not bounded by the request;
//   - range over integer literals whose nested product exceeds maxRangeIterations;
//   - a range inside a range over anything but a field of the outer element (.items) or
//     an integer literal: over the request again ($.Body.a) it would multiply.
//
// What remains is bounded by the request's size: a range over request data, and ranges
// nested inside it over the parts of its elements.
func checkRanges(t *template.Template) error {
	if len(t.Templates()) > 1 {
		return errors.New("define and block are not allowed (a rule's template must not recurse)")
	}
	type scope struct {
		product int64 // iterations of the enclosing integer ranges, multiplied
		nested  bool  // inside a range
	}
	var walk func(n parse.Node, sc scope) error
	walkList := func(l *parse.ListNode, sc scope) error {
		if l == nil {
			return nil
		}
		for _, c := range l.Nodes {
			if err := walk(c, sc); err != nil {
				return err
			}
		}
		return nil
	}
	walk = func(n parse.Node, sc scope) error {
		switch n := n.(type) {
		case *parse.TemplateNode:
			return errors.New("template is not allowed (a rule's template must not recurse)")
		case *parse.ListNode:
			return walkList(n, sc)
		case *parse.IfNode:
			if err := walkList(n.List, sc); err != nil {
				return err
			}
			return walkList(n.ElseList, sc)
		case *parse.WithNode:
			if sc.nested && !relativePipe(n.Pipe) {
				// {{with $.Body}} inside a range would let an inner range go over the whole
				// request again.
				return errors.New("a with inside a range may only go over a field of the element (.x), not over $ or a variable")
			}
			if err := walkList(n.List, sc); err != nil {
				return err
			}
			return walkList(n.ElseList, sc)
		case *parse.RangeNode:
			inner := sc
			inner.nested = true
			if len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
				return errors.New("range must go over one value (a field such as .Body.items, or a number)")
			}
			switch a := n.Pipe.Cmds[0].Args[0].(type) {
			case *parse.NumberNode:
				if !a.IsInt || a.Int64 > maxRangeIterations || sc.product*max(a.Int64, 1) > maxRangeIterations {
					return fmt.Errorf("range over %s is not allowed (nested ranges over numbers may make at most %d iterations)", a.Text, maxRangeIterations)
				}
				inner.product *= max(a.Int64, 1)
			case *parse.FieldNode:
				if last := a.Ident[len(a.Ident)-1]; last == "Seq" || last == "Step" {
					return fmt.Errorf("range over .%s is not allowed (it could run without bound)", last)
				}
			case *parse.DotNode:
			case *parse.VariableNode:
				if len(a.Ident) == 1 || a.Ident[0] != "$" {
					return fmt.Errorf("range over the variable %s is not allowed (range over a field such as .Body.items)", a.Ident[0])
				}
				if last := a.Ident[len(a.Ident)-1]; last == "Seq" || last == "Step" {
					return fmt.Errorf("range over $.%s is not allowed (it could run without bound)", last)
				}
				if sc.nested {
					return errors.New("a range inside a range may only go over a field of the outer element (.items) or a number, not over $")
				}
			case *parse.IdentifierNode:
				return fmt.Errorf("range over %s is not allowed (it could run without bound)", a.Ident)
			default:
				return fmt.Errorf("range over %s is not allowed (range over a field such as .Body.items, or a number)", a)
			}
			if err := walkList(n.List, inner); err != nil {
				return err
			}
			return walkList(n.ElseList, sc)
		}
		return nil
	}
	return walk(t.Tree.Root, scope{product: 1})
}

// templateData is what templates see: the request, with Body never nil so that
// {{ .Body.url }} on a request without a body renders "" instead of failing.
type templateData struct {
	Input
	// Seq is the number of requests the rule has answered, this one included (1-based).
	Seq uint64
	// Step is the 1-based step of the rule's sequence (0 without a sequence).
	Step int

	budget *budget // what the answer's templates may still spend; nil: unbounded
}

func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func defaultValue(def, v any) any {
	switch t := v.(type) {
	case nil:
		return def
	case string:
		if t == "" {
			return def
		}
	}
	return v
}

// tmplValue is a YAML body compiled for rendering as JSON: object keys keep the file's
// order, static leaves are pre-encoded and string leaves with {{ are templates.
type tmplValue struct {
	static   []byte // encoded JSON of a leaf without template
	tmpl     *tmpl
	keys     []string
	fields   []*tmplValue
	items    []*tmplValue
	isObject bool
	isArray  bool
	line     int
}

// compileBody turns a YAML body into a tmplValue; errors name the line of the leaf.
func compileBody(n *yaml.Node) (*tmplValue, []lineErr) {
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return compileBody(n.Alias)
	}
	v := &tmplValue{line: n.Line}
	var errs []lineErr
	switch n.Kind {
	case yaml.MappingNode:
		v.isObject = true
		for i := 0; i+1 < len(n.Content); i += 2 {
			sub, e := compileBody(n.Content[i+1])
			errs = append(errs, e...)
			v.keys = append(v.keys, n.Content[i].Value)
			v.fields = append(v.fields, sub)
		}
	case yaml.SequenceNode:
		v.isArray = true
		for _, c := range n.Content {
			sub, e := compileBody(c)
			errs = append(errs, e...)
			v.items = append(v.items, sub)
		}
	case yaml.ScalarNode:
		var leaf any
		switch n.ShortTag() {
		case "!!null":
			leaf = nil
		case "!!bool":
			leaf, _ = strconv.ParseBool(n.Value)
		case "!!int", "!!float":
			if err := n.Decode(&leaf); err != nil {
				errs = append(errs, lineErr{n.Line, err.Error()})
			}
		default:
			if strings.Contains(n.Value, "{{") {
				t, err := compileTemplate("body", n.Value)
				if err != nil {
					errs = append(errs, lineErr{n.Line, err.Error()})
				}
				v.tmpl = t
				return v, errs
			}
			leaf = n.Value
		}
		b, err := json.Marshal(leaf)
		if err != nil {
			errs = append(errs, lineErr{n.Line, fmt.Sprintf("value %q cannot be sent as JSON", n.Value)})
		}
		v.static = b
	default:
		errs = append(errs, lineErr{n.Line, "unsupported YAML value in body"})
	}
	return v, errs
}

type lineErr struct {
	line int
	msg  string
}

// render writes v as JSON.
func (v *tmplValue) render(buf *bytes.Buffer, data *templateData) error {
	switch {
	case v.tmpl != nil:
		s, err := v.tmpl.render(data)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(s)
		buf.Write(b)
	case v.isObject:
		buf.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			b, _ := json.Marshal(k)
			buf.Write(b)
			buf.WriteByte(':')
			if err := v.fields[i].render(buf, data); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case v.isArray:
		buf.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := it.render(buf, data); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	default:
		buf.Write(v.static)
	}
	return nil
}

// value returns the body as encoding/json would decode it, for checking against a
// schema at load. A templated leaf becomes a placeholder string and its JSON pointer is
// recorded in holes; lines maps the pointer of every value to its line in the file.
func (v *tmplValue) value(ptr string, lines map[string]int, holes map[string]bool) any {
	lines[ptr] = v.line
	switch {
	case v.tmpl != nil:
		holes[ptr] = true
		return "{{template}}"
	case v.isObject:
		m := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			m[k] = v.fields[i].value(ptr+"/"+escapePointer(k), lines, holes)
		}
		return m
	case v.isArray:
		a := make([]any, 0, len(v.items))
		for i, it := range v.items {
			a = append(a, it.value(ptr+"/"+strconv.Itoa(i), lines, holes))
		}
		return a
	}
	var out any
	_ = json.Unmarshal(v.static, &out)
	return out
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
