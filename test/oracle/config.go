package main

// Mirrors pkg/config/config.go (Config.UnmarshalJSON, DecodeYAML, Validate) of pipe-cd/pipecd,
// for the two kinds the bootstrapper reads.

import (
	"bytes"
	"encoding/json"
	"fmt"

	"sigs.k8s.io/yaml"
)

const versionV1Beta1 = "pipecd.dev/v1beta1"

// genericConfig mirrors pkg/config/config.go genericConfig.
type genericConfig struct {
	Kind       string          `json:"kind"`
	APIVersion string          `json:"apiVersion,omitempty"`
	Spec       json.RawMessage `json:"spec"`
}

// decodeV0 mirrors pkg/config/config.go DecodeYAML and Config.UnmarshalJSON: YAMLToJSON, then
// DisallowUnknownFields on {kind, apiVersion, spec} and on the spec, then Validate().
func decodeV0(data []byte, wantKind string, spec interface{}) error {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return err
	}
	var gc genericConfig
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&gc); err != nil {
		return err
	}
	if gc.Kind != "ControlPlane" && gc.Kind != "Piped" && gc.Kind != "KubernetesApp" && gc.Kind != "TerraformApp" &&
		gc.Kind != "LambdaApp" && gc.Kind != "CloudRunApp" && gc.Kind != "ECSApp" && gc.Kind != "AnalysisTemplate" && gc.Kind != "EventWatcher" {
		return fmt.Errorf("unsupported kind: %s", gc.Kind)
	}
	if len(gc.Spec) > 0 && gc.Kind == wantKind {
		dec := json.NewDecoder(bytes.NewReader(gc.Spec))
		dec.DisallowUnknownFields()
		if err := dec.Decode(spec); err != nil {
			return err
		}
	}
	if gc.APIVersion != versionV1Beta1 {
		return fmt.Errorf("unsupported version: %s", gc.APIVersion)
	}
	// cmd/controlplane/server.go loadConfig and pkg/app/piped/cmd/piped/piped.go check the kind.
	if gc.Kind != wantKind {
		return fmt.Errorf("wrong configuration kind: %v", gc.Kind)
	}
	return nil
}

// v1Config mirrors pkg/configv1/config.go Config: fields matched by name, no DisallowUnknownFields.
type v1Config struct {
	Kind       string
	APIVersion string
	Spec       *v1PipedSpec
}

// decodeV1Piped mirrors pkg/configv1/config.go DecodeYAML[*PipedSpec] and the kind check of
// pkg/app/pipedv1/cmd/piped/piped.go.
func decodeV1Piped(data []byte) error {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return err
	}
	var c v1Config
	if err := json.Unmarshal(js, &c); err != nil {
		return err
	}
	if c.Spec == nil {
		c.Spec = &v1PipedSpec{}
	}
	if c.APIVersion != versionV1Beta1 {
		return fmt.Errorf("unsupported version: %s", c.APIVersion)
	}
	if c.Kind == "" {
		return fmt.Errorf("kind is required")
	}
	if err := c.Spec.validate(); err != nil {
		return err
	}
	if c.Kind != "Piped" {
		return fmt.Errorf("wrong configuration kind for piped: %v", c.Kind)
	}
	return nil
}
