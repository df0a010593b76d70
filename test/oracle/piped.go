package main

// Mirrors PipedSpec of pipe-cd/pipecd in both piped generations, pkg/config/piped.go (piped) and
// pkg/configv1/piped.go (pipedv1): the fields the bootstrapper reads or rewrites, and the checks
// of PipedSpec.Validate that concern them. The other fields are json.RawMessage: they are
// decoded without DisallowUnknownFields in both (PipedSpec.UnmarshalJSON calls json.Unmarshal
// afresh), and their contents are not mirrored.

import (
	"encoding/json"
	"errors"
)

type pipedSpecFields struct {
	ProjectID             string            `json:"projectID"`
	PipedID               string            `json:"pipedID"`
	PipedKeyFile          string            `json:"pipedKeyFile,omitempty"`
	PipedKeyData          string            `json:"pipedKeyData,omitempty"`
	Name                  string            `json:"name,omitempty"`
	APIAddress            string            `json:"apiAddress"`
	WebAddress            string            `json:"webAddress,omitempty"`
	SyncInterval          Duration          `json:"syncInterval,omitempty"`
	AppConfigSyncInterval Duration          `json:"appConfigSyncInterval,omitempty"`
	Git                   json.RawMessage   `json:"git,omitempty"`
	Repositories          json.RawMessage   `json:"repositories,omitempty"`
	Notifications         json.RawMessage   `json:"notifications"`
	SecretManagement      json.RawMessage   `json:"secretManagement,omitempty"`
	EventWatcher          json.RawMessage   `json:"eventWatcher"`
	PlanPreview           json.RawMessage   `json:"planPreview"`
	AppSelector           map[string]string `json:"appSelector,omitempty"`
}

// PipedSpec mirrors pkg/config/piped.go PipedSpec (custom UnmarshalJSON: json.Unmarshal afresh).
type PipedSpec struct {
	pipedSpecFields
	ChartRepositories json.RawMessage `json:"chartRepositories,omitempty"`
	ChartRegistries   json.RawMessage `json:"chartRegistries,omitempty"`
	CloudProviders    json.RawMessage `json:"cloudProviders,omitempty"`
	PlatformProviders json.RawMessage `json:"platformProviders,omitempty"`
	AnalysisProviders json.RawMessage `json:"analysisProviders,omitempty"`
}

func (s *PipedSpec) UnmarshalJSON(data []byte) error {
	type alias PipedSpec
	return json.Unmarshal(data, (*alias)(s))
}

// v1PipedSpec mirrors pkg/configv1/piped.go PipedSpec.
type v1PipedSpec struct {
	pipedSpecFields
	Plugins json.RawMessage `json:"plugins,omitempty"`
}

func (s *v1PipedSpec) UnmarshalJSON(data []byte) error {
	type alias v1PipedSpec
	return json.Unmarshal(data, (*alias)(s))
}

// validate mirrors the first checks of PipedSpec.Validate, the same in both generations.
func (s *pipedSpecFields) validate() error {
	if s.ProjectID == "" {
		return errors.New("projectID must be set")
	}
	if s.PipedID == "" {
		return errors.New("pipedID must be set")
	}
	if s.PipedKeyData == "" && s.PipedKeyFile == "" {
		return errors.New("either pipedKeyFile or pipedKeyData must be set")
	}
	if s.PipedKeyData != "" && s.PipedKeyFile != "" {
		return errors.New("only pipedKeyFile or pipedKeyData can be set")
	}
	if s.APIAddress == "" {
		return errors.New("apiAddress must be set")
	}
	if s.SyncInterval < 0 {
		return errors.New("syncInterval must be greater than or equal to 0")
	}
	return nil
}

// loadPiped accepts what either generation loads.
func loadPiped(data []byte) error {
	var spec PipedSpec
	errV0 := decodeV0(data, "Piped", &spec)
	if errV0 == nil {
		errV0 = spec.validate()
	}
	if errV0 == nil {
		return nil
	}
	if errV1 := decodeV1Piped(data); errV1 != nil {
		return errors.New("piped: " + errV0.Error() + "; pipedv1: " + errV1.Error())
	}
	return nil
}
