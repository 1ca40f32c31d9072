package contract

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseBaseURL parses the URL of a target (hookkit check's --base-url, hookkit proxy's
// --upstream): an http:// or https:// URL with a host. The most common slip, a bare
// host:port, gets the fix in the message rather than Go's URL-parse error, which for
// "127.0.0.1:4010" talks about a "first path segment" and for "localhost:4010" takes
// "localhost" for the scheme.
//
// Errors quote the URL with any user:password replaced, so a credential in it is never shown.
func ParseBaseURL(s string) (*url.URL, error) {
	shown := withoutUserinfo(s)
	if s == "" {
		return nil, fmt.Errorf("empty URL: want http://HOST:PORT or https://HOST")
	}
	if !strings.Contains(s, "://") {
		return nil, fmt.Errorf("%q has no scheme: add http:// or https:// (e.g. http://%s)", shown, strings.TrimPrefix(shown, "//"))
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%q is not a URL: %v", shown, errorWithoutInput(err))
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q: scheme %q is not supported: use http:// or https://", shown, u.Scheme)
	case u.Host == "":
		return nil, fmt.Errorf("%q has no host: want http:// or https:// with a host", shown)
	}
	return u, nil
}

// errorWithoutInput returns the reason of a *url.Error, without the URL it already quotes.
func errorWithoutInput(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// withoutUserinfo replaces the user:password@ part of a URL's authority with "xxxxx@",
// also when the URL does not parse.
func withoutUserinfo(s string) string {
	rest := s
	prefix := ""
	if i := strings.Index(s, "://"); i >= 0 {
		prefix, rest = s[:i+3], s[i+3:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return s
	}
	return prefix + "xxxxx" + rest[at:]
}
