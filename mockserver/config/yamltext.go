package config

import (
	"regexp"
	"strconv"
)

// This file is the one place that reads the text of the YAML library's errors
// (go.yaml.in/yaml v3): yaml gives no structured line, unknown key or type for them.
// Each pattern is pinned by yamltext_test.go against the library itself, so an upgrade
// that rewords one fails there, not in a user's error message.

// yamlPrefix starts the library's syntax errors.
const yamlPrefix = "yaml: "

var (
	// "yaml: line 7: did not find expected key"; TypeError rows lack "yaml: ".
	yamlLineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	// "field maxage not found in type config.CORSConfig" (Decoder.KnownFields).
	yamlUnknownKeyRe = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	// "cannot unmarshal !!str `many` into uint64".
	yamlCannotUnmarshalRe = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
)

// yamlLineMessage splits "line N: message" (with or without "yaml: ").
func yamlLineMessage(msg string) (line int, rest string, ok bool) {
	sm := yamlLineRe.FindStringSubmatch(msg)
	if sm == nil {
		return 0, "", false
	}
	line, err := strconv.Atoi(sm[1])
	return line, sm[2], err == nil
}

// yamlUnknownKey reads the key and the Go type of an unknown-key error.
func yamlUnknownKey(msg string) (key, goType string, ok bool) {
	sm := yamlUnknownKeyRe.FindStringSubmatch(msg)
	if sm == nil {
		return "", "", false
	}
	return sm[1], sm[2], true
}

// yamlCannotUnmarshal reads the YAML tag, the value and the Go type of a type error.
func yamlCannotUnmarshal(msg string) (tag, value, goType string, ok bool) {
	sm := yamlCannotUnmarshalRe.FindStringSubmatch(msg)
	if sm == nil {
		return "", "", "", false
	}
	return sm[1], sm[2], sm[3], true
}
