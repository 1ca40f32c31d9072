package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// parseFlagSet parses args with fs, whose output was set to parseOut: -h prints the usage
// once, on stdout (ok false, exit code 0); a parse error prints its message and the usage
// on stderr (ok false, exit code 2).
func parseFlagSet(fs *flag.FlagSet, parseOut *bytes.Buffer, args []string, stdout, stderr io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitPass, false
		}
		_, _ = stderr.Write(parseOut.Bytes())
		return exitUsage, false
	}
	return exitPass, true
}

// readCredential reads a credential from the environment variable env (flag envFlag) or
// the file (flag fileFlag), whichever is set, trimmed; "" when neither is. Credentials are
// never flag values, so they stay out of shell history and process listings, and errors
// never quote them.
func readCredential(envFlag, env, fileFlag, file string) (string, error) {
	switch {
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok || strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("%s: environment variable %s is not set or empty", envFlag, env)
		}
		return strings.TrimSpace(v), nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s: %w", fileFlag, err)
		}
		v := strings.TrimSpace(string(b))
		if v == "" {
			return "", fmt.Errorf("%s: %s is empty", fileFlag, file)
		}
		return v, nil
	}
	return "", nil
}
