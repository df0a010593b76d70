// Command oracle decodes configs exactly as PipeCD does, for the differential tests
// (test/pure/oracle.property.test.ts). It reads JSON lines {"kind": "controlplane"|"piped"|"json",
// "yaml": "..."} on stdin and answers one JSON line {"ok": bool, "error": "...", "json": "..."} per
// input. The kind "json" only runs YAMLToJSON, the first step of PipeCD's DecodeYAML, and answers
// the JSON it makes (test/pure/yaml-reads-as-pipecd.test.ts compares it with go-yaml.ts's value).
//
// Built in GOPATH mode from Debian's packages (golang-k8s-sigs-yaml-dev, golang-gopkg-yaml.v2-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o oracle .
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

type request struct {
	Kind string `json:"kind"`
	YAML string `json:"yaml"`
}

type answer struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	JSON  string `json:"json,omitempty"`
}

// check runs one decode; a panic inside PipeCD's decoding (SharedSSOConfig asserts types) is a
// refusal too: the program would crash at start.
func check(req request) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	switch req.Kind {
	case "controlplane":
		return loadControlPlane([]byte(req.YAML))
	case "piped":
		return loadPiped([]byte(req.YAML))
	}
	return fmt.Errorf("unknown kind %q", req.Kind)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 4<<20), 4<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "bad request:", err)
			os.Exit(2)
		}
		a := answer{OK: true}
		if req.Kind == "json" {
			js, err := yaml.YAMLToJSON([]byte(req.YAML))
			a.JSON = string(js)
			if err != nil {
				a = answer{OK: false, Error: err.Error()}
			}
		} else if err := check(req); err != nil {
			a = answer{OK: false, Error: err.Error()}
		}
		if err := enc.Encode(a); err != nil {
			os.Exit(2)
		}
		out.Flush()
	}
}
