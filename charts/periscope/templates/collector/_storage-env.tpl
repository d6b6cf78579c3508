{{/*
Environment that tells the collector where records go, per storage.mode. An empty
PERISCOPE_STORAGE_URL selects the embedded engine on PERISCOPE_DATA_DIR
(packages/collector/src/config.ts).
*/}}
{{- define "periscope.collectorStorageEnv" -}}
{{- $storage := .Values.storage -}}
{{- if eq $storage.mode "embedded" }}
- name: PERISCOPE_STORAGE_URL
  value: ""
- name: PERISCOPE_DATA_DIR
  value: {{ $storage.embedded.dataDir | quote }}
{{- else }}
{{- $server := index $storage $storage.mode }}
# The URL usually carries credentials: it stays in a Secret.
- name: PERISCOPE_STORAGE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "periscope.storageSecretName" . }}
      key: {{ if $server.existingSecret }}{{ $server.existingSecretKey }}{{ else }}url{{ end }}
{{- if eq $storage.mode "cluster" }}
- name: PERISCOPE_STORAGE_CLUSTER
  value: {{ $storage.cluster.name | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Secret holding the ClickHouse URL (external and cluster modes): the user's, or the chart's. */}}
{{- define "periscope.storageSecretName" -}}
{{- $server := index .Values.storage .Values.storage.mode -}}
{{- default (include "periscope.componentName" (list . "storage")) $server.existingSecret -}}
{{- end -}}

{{/* Checksum of the storage URL's Secret, so the collector restarts when the URL changes. */}}
{{- define "periscope.storageChecksum" -}}
{{- $server := index .Values.storage .Values.storage.mode -}}
{{- if $server.existingSecret -}}
{{- include "periscope.existingSecretChecksum" (list . $server.existingSecret) -}}
{{- else -}}
{{- $server.url | sha256sum -}}
{{- end -}}
{{- end -}}
